package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.schedulers.engine.Engine;
import dev.tessera.schedulers.engine.WorkerEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of the engine's messages to one worker, forced with workers that answer when the
 * test says so: a task's message is sent while another worker's failure stops the computation.
 * A cancel must not overtake a task decided before it (the worker would run that task to its
 * end, ignoring the cancel), and a task announced to the callbacks as started must end there
 * too (ProcessSchedulerTest's failureNamesTheKey... once saw "started 3, ended 1").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineOrderingTest {
  static int bad(int x) {
    throw new IllegalStateException("negative input " + x);
  }

  static int slow(int x) {
    return x;
  }

  /** Whether a task is held in a fake's {@code run} (one per test). */
  static final java.util.concurrent.atomic.AtomicBoolean HOLDING =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * A worker as the engine sees it, answering like {@code WorkerMain}: a task it holds is
   * failed as "cancelled before it started" by a cancel of its range; a task that arrives after
   * the cancel runs to its end. Its answers go to the engine on its own thread, as a reader's.
   */
  static final class FakeWorker implements WorkerEndpoint {
    final String name;
    final ExecutorService reader;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final Set<Long> queued = ConcurrentHashMap.newKeySet();
    volatile Engine engine;
    /** Counted down once the failing task's failure was delivered to the engine. */
    final CountDownLatch failureDelivered;
    /** Counted down once the failing task was sent (to either worker). */
    final CountDownLatch badSent;
    /** Whether this worker's first slow task is held in {@link #run} until the failure. */
    final boolean holdFirst;
    volatile boolean held;
    volatile boolean cancelled;
    /** Delivers the failing task's failure, once; set when it was sent here. */
    volatile Runnable failNow;
    private final java.util.concurrent.atomic.AtomicBoolean failed =
        new java.util.concurrent.atomic.AtomicBoolean();
    /** Every fake worker of the test, this one too. */
    final List<FakeWorker> others;
    /** The test's timer. */
    volatile java.util.concurrent.ScheduledExecutorService timer;

    void fail() {
      Runnable f = failNow;
      if (f != null && failed.compareAndSet(false, true)) {
        f.run();
      }
    }

    FakeWorker(String name, CountDownLatch failureDelivered, CountDownLatch badSent,
        boolean holdFirst, List<FakeWorker> all) {
      this.name = name;
      this.others = all;
      this.badSent = badSent;
      this.failureDelivered = failureDelivered;
      this.holdFirst = holdFirst;
      this.reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name + "-reader");
        t.setDaemon(true);
        return t;
      });
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean alive() {
      return true;
    }

    @Override
    public void run(long id, String key, boolean output, byte[] task, long[] inputIds,
        byte[][] inline) {
      if (key.contains("bad")) {
        log.add("RUN " + id);
        failNow = () -> reader.execute(() -> {
          engine.failed(this, id, new IllegalStateException("negative input -5"), List.of(),
              "");
          failureDelivered.countDown();
        });
        badSent.countDown();
        // fails when the next task is being sent (below), or after a while if none is
        timer.schedule(this::fail, 5, TimeUnit.SECONDS);
        return;
      }
      if (holdFirst && badSent.getCount() == 0 && HOLDING.compareAndSet(false, true)) {
        held = true;
        // the sending thread is here, past every check, when the other worker's failure
        // arrives (as when it is descheduled, or encodes a large task)
        others.forEach(FakeWorker::fail);
        try {
          failureDelivered.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      log.add("RUN " + id);
      if (cancelled) {
        // arrived after the cancel: a worker runs it to its end
        reader.execute(() -> engine.done(this, id, 1_000, 4, null));
      } else {
        queued.add(id);
      }
    }

    @Override
    public void fetch(long id) {
      reader.execute(() -> engine.data(this, id, new byte[0]));
    }

    @Override
    public void release(long[] ids) {
      // nothing held
    }

    @Override
    public void cancel(long lo, long hi) {
      log.add("CANCEL");
      cancelled = true;
      List<Long> drop = new ArrayList<>();
      for (long id : queued) {
        if (id >= lo && id < hi) {
          drop.add(id);
        }
      }
      queued.removeAll(drop);
      reader.execute(() -> {
        for (long id : drop) {
          engine.failed(this, id, new InterruptedException("cancelled before it started"),
              List.of(), "");
        }
      });
    }

    @Override
    public void kill() {
      throw new AssertionError(name + " killed: a task ignored the cancel");
    }
  }

  @Test
  void aCancelNeverOvertakesATaskSentBeforeItAndEveryStartedTaskEnds() throws Exception {
    CountDownLatch failure = new CountDownLatch(1);
    CountDownLatch badSent = new CountDownLatch(1);
    HOLDING.set(false);
    List<FakeWorker> fakes = new java.util.concurrent.CopyOnWriteArrayList<>();
    FakeWorker a = new FakeWorker("fake-a", failure, badSent, true, fakes);
    FakeWorker b = new FakeWorker("fake-b", failure, badSent, true, fakes);
    fakes.add(a);
    fakes.add(b);
    java.util.concurrent.ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor();
    a.timer = timer;
    b.timer = timer;
    Engine engine = new Engine(Schedulers.sync(), "fakes(2)", new Codecs(List.of()), 3);
    a.engine = engine;
    b.engine = engine;
    engine.join(a);
    engine.join(b);
    List<Delayed<Integer>> items = new ArrayList<>();
    items.add(Delayed.call(EngineOrderingTest::bad, Delayed.value(-5)));
    for (int i = 0; i < 20; i++) {
      items.add(Delayed.call(EngineOrderingTest::slow, Delayed.value(i)));
    }
    Delayed<List<Integer>> all = Delayed.list(items);
    ExecutionPlan plan = ExecutionPlan.of(all.graph(), List.of(all.key()));
    Recorder r = new Recorder();
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> engine.get(plan, r));
    assertEquals(items.get(0).key(), e.key());
    assertTrue(a.held || b.held, "a task was being sent when the failure arrived");
    for (FakeWorker w : List.of(a, b)) {
      List<String> log = new ArrayList<>(w.log);
      int cancel = log.indexOf("CANCEL");
      assertTrue(cancel < 0 || cancel == log.size() - 1,
          w.name + " got a task after the cancel, which it ran to its end: " + log);
    }
    assertEquals(r.started(), r.ended(), "every task announced as started has ended");
    assertEquals("finish", r.calls.get(r.calls.size() - 1));
    engine.close("closed by the test");
    a.reader.shutdownNow();
    b.reader.shutdownNow();
    timer.shutdownNow();
  }
}
