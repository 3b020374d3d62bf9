package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every scheduler passes: subclass it and return the scheduler under test. The
 * tests observe only through the public API and callbacks, so they hold for schedulers whose
 * tasks run in other processes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SchedulerContractTest {
  /**
   * Returns the scheduler under test; the same instance for every call in one test.
   *
   * @return the scheduler
   */
  protected abstract Scheduler scheduler();

  /** {@return how many tasks the scheduler may run at once (bounds on held results scale with it)} */
  protected abstract int parallelism();

  /**
   * {@return how many tasks of one computation may run or wait at workers at once} A remote
   * pool queues {@code Placement.INFLIGHT} (2) tasks per worker and picks among the next ready
   * tasks by locality, so each queued task may be part-way through a subtree of its own.
   */
  protected int tasksAtOnce() {
    return parallelism();
  }

  private <T> T compute(Delayed<T> d, Recorder r) {
    @SuppressWarnings("unchecked")
    T v = (T) Tessera.compute(List.of(d), scheduler(), r).get(0);
    return v;
  }

  @Test
  void aFailedTaskRerunsLocallyWithItsExactInputs() throws Exception {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      items.add(Delayed.call(Work::inc, Delayed.value(10 * i)));
    }
    Delayed<Integer> bad = Delayed.call(Work::firstOver, Delayed.list(items), Delayed.value(0));
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> bad.compute(scheduler()));
    assertEquals(List.of(List.of(1, 11, 21)), e.inputs(), "the values it ran on");
    assertTrue(e.task().isPresent());
    // runs here, in this thread, and fails the same way
    Thread me = Thread.currentThread();
    ArithmeticException again = assertThrows(ArithmeticException.class, e::rerunLocally);
    assertTrue(java.util.Arrays.stream(again.getStackTrace())
        .anyMatch(f -> f.getMethodName().equals("firstOver")), "ran the task's function");
    assertEquals(me, Thread.currentThread());
    // a fixed input (as in a debugger) gives the result
    assertEquals(List.of(1, 11, 21), e.inputs().get(0));
  }

  @Test
  void flatGraph() {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      items.add(Delayed.call(Work::inc, Delayed.value(i)));
    }
    Recorder r = new Recorder();
    List<Integer> out = compute(Delayed.list(items), r);
    assertEquals(10_000, out.size());
    for (int i = 0; i < out.size(); i++) {
      assertEquals(i + 1, out.get(i));
    }
    assertEquals(10_001, r.ended());
    assertTrue(r.outcome.succeeded());
  }

  @Test
  void chainOfAHundredThousandTasks() {
    Delayed<Integer> d = Delayed.value(0);
    for (int i = 0; i < 100_000; i++) {
      d = Delayed.call(Work::inc, d);
    }
    Recorder r = new Recorder();
    assertEquals(100_000, compute(d, r));
    assertTrue(r.maxHeld() <= 2, "a chain holds at most 2 results, held " + r.maxHeld());
  }

  @Test
  void diamond() {
    Delayed<Integer> a = Delayed.call(Work::inc, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(Work::inc, a);
    Delayed<Integer> c = Delayed.call(Work::add, a, Delayed.value(10));
    Delayed<Integer> d = Delayed.call(Work::add, b, c);
    Recorder r = new Recorder();
    assertEquals(3 + 12, compute(d, r));
    assertEquals(4, r.ended());
    r.runs.values().forEach(n -> assertEquals(1, n.get()));
  }

  @Test
  void wideFanIn() {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      items.add(Delayed.call(Work::inc, Delayed.value(i)));
    }
    Delayed<Long> total = Delayed.call(Work::sum, Delayed.list(items));
    assertEquals(20_000L * 20_001 / 2, compute(total, new Recorder()));
  }

  @Test
  void nestedArguments() {
    Delayed<Integer> a = Delayed.call(Work::inc, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(Work::inc, a);
    Delayed<String> s = Delayed.apply(args -> args[0] + "|" + args[1] + "|" + args[2],
        a, List.of(b, 7, List.of(a, List.of(b, Delayed.value("x")))), "lit");
    assertEquals("2|[3, 7, [2, [3, x]]]|lit", compute(s, new Recorder()));
  }

  @Test
  void sharedWorkRunsOnce() {
    Delayed<Integer> shared = Delayed.call(Work::inc, Delayed.value(41));
    Delayed<Integer> x = Delayed.call(Work::add, shared, Delayed.value(1));
    Delayed<Integer> again = Delayed.call(Work::inc, Delayed.value(41)); // same key as shared
    Delayed<Integer> y = Delayed.call(Work::add, again, Delayed.value(2));
    Recorder r = new Recorder();
    List<Object> both = Tessera.compute(List.of(x, y), scheduler(), r);
    assertEquals(List.of(43, 44), both);
    assertEquals(3, r.ended());
    assertEquals(1, r.runs.get(shared.key()).get());
  }

  @Test
  void failureNamesTheKeyKeepsTheCauseAndStopsTheRest() {
    List<Delayed<Integer>> items = new ArrayList<>();
    Delayed<Integer> bad = Delayed.call(Work::failIfNegative, Delayed.value(-5));
    items.add(bad);
    for (int i = 0; i < 2_000; i++) {
      items.add(Delayed.call(Work::sleepMillis, Delayed.value(1 + i % 2)));
    }
    Recorder r = new Recorder();
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> compute(Delayed.list(items), r));
    assertEquals(bad.key(), e.key());
    assertTrue(e.getMessage().contains(bad.key().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("failIfNegative"), e.getMessage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("negative input -5", e.getCause().getMessage());
    // what had not started never starts; what had started has ended
    assertTrue(r.started() < 200, "started " + r.started() + " tasks after the failure");
    assertEquals(r.started(), r.ended());
    assertNotNull(r.outcome, "finish is always called");
    assertEquals(e, r.outcome.failure());
    assertEquals("finish", r.calls.get(r.calls.size() - 1));
    // and the scheduler works for the next call
    assertEquals(3, compute(Delayed.call(Work::inc, Delayed.value(2)), new Recorder()));
  }

  @Test
  void callbacksSeeStartTasksAndFinishInOrder() {
    Delayed<Integer> d = Delayed.call(Work::add, Delayed.call(Work::inc, Delayed.value(1)),
        Delayed.call(Work::inc, Delayed.value(2)));
    Recorder r = new Recorder();
    assertEquals(5, compute(d, r));
    assertEquals("start", r.calls.get(0));
    assertEquals("finish", r.calls.get(r.calls.size() - 1));
    assertEquals(3, r.started());
    assertEquals(3, r.ended());
    assertEquals(3, r.info.taskCount());
    assertEquals(3, r.outcome.tasksCompleted());
    for (var ev : r.events) {
      assertTrue(ev.startNanos() <= ev.endNanos());
      assertTrue(!ev.worker().isEmpty());
    }
  }

  @Test
  void interruptCancelsTheComputation() throws Exception {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      items.add(Delayed.call(Work::sleepMillis, Delayed.value(30_000 + i)));
    }
    Delayed<List<Integer>> slow = Delayed.list(items);
    Recorder r = new Recorder();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Object[]> f = caller.submit(() -> {
        long t0 = System.nanoTime();
        try {
          compute(slow, r);
          return new Object[] {null, false, 0L};
        } catch (RuntimeException e) {
          return new Object[] {e, Thread.currentThread().isInterrupted(),
              System.nanoTime() - t0};
        }
      });
      while (r.started() == 0) {
        Thread.sleep(10);
      }
      Thread.sleep(100);
      f.cancel(true); // interrupts the calling thread
      Thread.sleep(50);
      // the future is cancelled; wait for the task itself through a second submission
      Future<?> barrier = caller.submit(() -> { });
      barrier.get(20, TimeUnit.SECONDS);
    } finally {
      caller.shutdownNow();
      assertTrue(caller.awaitTermination(20, TimeUnit.SECONDS));
    }
    assertNotNull(r.outcome, "finish is always called");
    assertInstanceOf(ComputeCancelledException.class, r.outcome.failure());
    assertEquals(r.started(), r.ended(), "a cancelled computation leaves no task running");
    assertTrue(r.started() < 8);
    assertEquals(3, compute(Delayed.call(Work::inc, Delayed.value(2)), new Recorder()));
  }

  @Test
  void intermediatesAreReleased() {
    // 64 independent chains of 1 MB results, summed at the end: a scheduler that kept every
    // result would hold 64 * 10 of them
    List<Delayed<Integer>> heads = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      Delayed<byte[]> d = Delayed.call(Work::megabyte, Delayed.value(i));
      for (int j = 0; j < 10; j++) {
        d = Delayed.call(Work::touch, d);
      }
      heads.add(Delayed.call(Work::firstByte, d));
    }
    Recorder r = new Recorder();
    List<Integer> out = compute(Delayed.list(heads), r);
    assertEquals(64, out.size());
    assertEquals(63, out.get(63));
    // held: finished chain heads (small ints, at most 64) + one live link per running chain
    assertTrue(r.maxHeld() <= 64 + 2 * parallelism(), "held " + r.maxHeld());
  }

  @Test
  void reductionTreeHoldsFewResults() {
    List<Delayed<Integer>> level = new ArrayList<>();
    for (int i = 0; i < 512; i++) {
      level.add(Delayed.call(Work::inc, Delayed.value(i)));
    }
    int depth = 0;
    while (level.size() > 1) {
      List<Delayed<Integer>> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(Delayed.call(Work::add, level.get(i), level.get(i + 1)));
      }
      level = next;
      depth++;
    }
    Recorder r = new Recorder();
    assertEquals(512 * 513 / 2, compute(level.get(0), r));
    // each task at a worker may be part-way through its own subtree: p * (depth + 1), not 512
    assertTrue(r.maxHeld() <= tasksAtOnce() * (depth + 2),
        "held " + r.maxHeld() + " results at depth " + depth);
  }

  @Test
  void concurrentComputeCalls() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<Future<Boolean>> fs = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        final int base = t * 1000;
        fs.add(callers.submit(() -> {
          for (int rep = 0; rep < 10; rep++) {
            List<Delayed<Integer>> items = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
              items.add(Delayed.call(Work::inc, Delayed.value(base + i)));
            }
            Delayed<Long> s = Delayed.call(Work::sum, Delayed.list(items));
            long expected = 300L * base + 300L * 301 / 2;
            if (compute(s, new Recorder()) != expected) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : fs) {
        assertTrue(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      callers.shutdownNow();
      assertTrue(callers.awaitTermination(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void persistKeepsResults() {
    Delayed<Integer> a = Delayed.call(Work::inc, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(Work::inc, a);
    Delayed<Integer> held = b.persist(scheduler());
    assertEquals(b.key(), held.key());
    assertEquals(1, held.graph().size());
    Recorder r = new Recorder();
    assertEquals(4, compute(Delayed.call(Work::inc, held), r));
    // inc, and on a local scheduler the task that reads the held result: not the chain below
    assertTrue(r.ended() <= 2, "ran " + r.runs.keySet());
    assertTrue(!r.runs.containsKey(a.key()), "ran " + r.runs);
    Tessera.release(held);
    assertThrows(TaskFailedException.class, () -> compute(Delayed.call(Work::inc, held),
        new Recorder()));
  }

  @Test
  void duplicateOutputsAndLiterals() {
    Delayed<Integer> a = Delayed.call(Work::inc, Delayed.value(1));
    List<Object> out = Tessera.compute(List.of(a, a, Delayed.value("x")), scheduler());
    assertEquals(List.of(2, 2, "x"), out);
  }

  @Test
  void keysAreWhatTheyClaim() {
    Delayed<Integer> a = Delayed.call(Work::inc, Delayed.value(1));
    Recorder r = new Recorder();
    compute(a, r);
    assertEquals(List.of(a.key()), new ArrayList<Key>(r.runs.keySet()));
    assertEquals("inc", a.key().prefix());
  }
}
