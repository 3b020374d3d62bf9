package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keys shared by computations in progress on one engine, at the moments a real pool cannot
 * force: the later computation starts while the shared task runs, and then the shared task
 * ends, its lender is cancelled, or the worker holding the lent result dies. Fake workers keep
 * an encoded 7 under each task's id, answer on a thread of their own, and hold back the answer
 * of a task whose key starts with "slow" until the test lets it go.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineSharingTest {
  static int slow(int x) {
    return x;
  }

  static int add(int a, int b) {
    return a + b;
  }

  private final Codecs codecs = new Codecs(List.of());
  private final List<Fake> fakes = new ArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private Engine engine;
  /** Runs per key prefix (the function's name), over every fake. */
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  /** By function name: its tasks' answers wait for the latch. */
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  /** By function name: counted down as each of its tasks starts. */
  private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();

  /** Holds back the answers of the functions that have a gate; the others answer at once. */
  final class Fake extends FakeWorker {
    /** Tasks whose answer waits for their gate, by id. */
    final Map<Long, String> heldBack = new ConcurrentHashMap<>();

    Fake(String name) {
      super(name, () -> engine);
    }

    @Override
    public void run(long id, String key, boolean output, byte[] task, long[] inputIds,
        byte[][] inline) throws IOException {
      checkAlive();
      for (int j = 0; j < inputIds.length; j++) {
        if (inline[j] == null && !kept.containsKey(inputIds[j])) {
          throw new AssertionError(name + " was sent " + key + " without its input "
              + inputIds[j]);
        }
      }
      String fn = key.substring(1, key.indexOf('-'));
      runs.computeIfAbsent(fn, k -> new AtomicInteger()).incrementAndGet();
      started.computeIfAbsent(fn, k -> new CountDownLatch(1)).countDown();
      byte[] value = codecs.encode(7);
      CountDownLatch gate = gates.get(fn);
      if (gate == null) {
        reader.execute(() -> answer(id, value));
        return;
      }
      heldBack.put(id, fn);
      callers.execute(() -> { // held back without blocking the reader
        try {
          gate.await();
        } catch (InterruptedException e) {
          return;
        }
        if (heldBack.remove(id) != null) {
          reader.execute(() -> answer(id, value));
        }
      });
    }

    @Override
    public void cancel(long lo, long hi) {
      // a held-back task ends as an interrupted one does; the others have answered already
      for (long id : List.copyOf(heldBack.keySet())) {
        if (id >= lo && id < hi && heldBack.remove(id) != null) {
          reader.execute(() -> engine.failed(this, id, new InterruptedException("cancelled"),
              null, "cancelled"));
        }
      }
    }
  }

  private void start(int n) {
    engine = FakeWorker.engineOn(n, codecs, Fake::new, fakes);
  }

  @AfterEach
  void stop() {
    gates.values().forEach(CountDownLatch::countDown);
    if (engine != null) {
      engine.close("closed by the test");
    }
    callers.shutdownNow();
    fakes.forEach(f -> f.reader.shutdownNow());
  }

  private static ExecutionPlan plan(Delayed<?> d) {
    return ExecutionPlan.of(d.graph(), List.of(d.key()));
  }

  private final Delayed<Integer> shared = Delayed.call(EngineSharingTest::slow,
      Delayed.value(1));
  private final Delayed<Integer> a = Delayed.call(EngineSharingTest::add, shared,
      Delayed.value(1));
  private final Delayed<Integer> b = Delayed.call(EngineSharingTest::add, shared,
      Delayed.value(2));

  private int runsOf(String fn) {
    AtomicInteger n = runs.get(fn);
    return n == null ? 0 : n.get();
  }

  /** Waits until nothing is held, claimed or kept; fails after 10 s. */
  private void assertAllReleased() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && (engine.heldValues() > 0 || engine.claimedKeys() > 0
        || fakes.stream().anyMatch(f -> !f.kept.isEmpty()))) {
      Thread.sleep(10);
    }
    assertEquals(0, engine.claimedKeys(), "no key claimed once nothing runs");
    assertEquals(0, engine.heldValues(), "no handle left");
    for (Fake f : fakes) {
      assertTrue(f.kept.isEmpty(), f.name + " still keeps " + f.kept.keySet());
    }
  }

  /** Starts {@code d} on a thread of its own; returns once its first tasks are placed. */
  private Future<List<Object>> computeLater(Delayed<?> d) {
    return callers.submit(() -> engine.get(plan(d), SchedulerCallback.NONE));
  }

  private void awaitStarted(String fn) throws InterruptedException {
    assertTrue(started.computeIfAbsent(fn, k -> new CountDownLatch(1)).await(10,
        TimeUnit.SECONDS), fn + " started");
  }

  @Test
  void aLaterComputationWaitsForTheSharedTaskInsteadOfRunningIt() throws Exception {
    start(2);
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("slow", gate);
    Future<List<Object>> first = computeLater(a);
    awaitStarted("slow");
    Future<List<Object>> second = computeLater(b);
    Thread.sleep(200); // the second is waiting for the first's shared task
    assertEquals(1, runsOf("slow"));
    assertTrue(engine.claimedKeys() > 0, "the first claims its keys while it runs");
    gate.countDown();
    assertEquals(List.of(7), first.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(7), second.get(10, TimeUnit.SECONDS));
    assertEquals(1, runsOf("slow"), "the shared task ran once");
    assertEquals(2, runsOf("add"));
    assertAllReleased();
  }

  @Test
  void aBorrowerWhoseLenderIsCancelledRunsTheSharedTaskItself() throws Exception {
    start(2);
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("slow", gate);
    Execution first = engine.start(plan(a), SchedulerCallback.NONE, () -> {
      throw new AssertionError("starts at once");
    });
    awaitStarted("slow");
    Future<List<Object>> second = computeLater(b);
    Thread.sleep(200); // waiting for the first's shared task
    first.cancel();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> first.results().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("cancelled"), e.getCause().getMessage());
    gate.countDown(); // the second's own run of it
    assertEquals(List.of(7), second.get(10, TimeUnit.SECONDS));
    assertEquals(2, runsOf("slow"), "run again by the borrower");
    assertAllReleased();
  }

  @Test
  void aLentResultLostWithItsWorkerIsComputedAgainByItsBorrower() throws Exception {
    start(2);
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("slowTwo", gate);
    gates.put("slowThree", gate);
    Delayed<Integer> first = Delayed.call(EngineSharingTest::add, shared,
        Delayed.call(EngineSharingTest::slowTwo, Delayed.value(0)));
    Delayed<Integer> second = Delayed.call(EngineSharingTest::add, shared,
        Delayed.call(EngineSharingTest::slowThree, Delayed.value(0)));
    Future<List<Object>> f1 = computeLater(first);
    awaitStarted("slowTwo");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Fake home = null;
    while (home == null && System.nanoTime() < deadline) {
      home = fakes.stream().filter(f -> !f.kept.isEmpty()).findFirst().orElse(null);
      Thread.sleep(5);
    }
    Thread.sleep(50); // the shared result is DONE in the first, held for its add
    Future<List<Object>> f2 = computeLater(second);
    awaitStarted("slowThree");
    assertEquals(1, runsOf("slow"), "borrowed, not run again");
    home.die();
    Thread.sleep(200);
    gate.countDown();
    assertEquals(List.of(7), f2.get(20, TimeUnit.SECONDS));
    assertEquals(List.of(7), f1.get(20, TimeUnit.SECONDS));
    assertTrue(runsOf("slow") >= 2, "computed again after its worker died");
    assertAllReleased();
  }

  static int slowTwo(int x) {
    return x;
  }

  static int slowThree(int x) {
    return x;
  }
}
