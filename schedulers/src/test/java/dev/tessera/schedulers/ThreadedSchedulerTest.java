package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadedSchedulerTest extends SchedulerContractTest {
  private final ThreadedScheduler scheduler = Schedulers.threads(4);

  @Override
  protected Scheduler scheduler() {
    return scheduler;
  }

  @Override
  protected int parallelism() {
    return 4;
  }

  @AfterEach
  void close() throws InterruptedException {
    String prefix = poolPrefix();
    scheduler.close();
    // every thread the scheduler started is gone
    for (int i = 0; i < 100 && !threadsNamed(prefix).isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertEquals(List.of(), threadsNamed(prefix));
  }

  private String poolPrefix() {
    // the pool's threads are named tessera-<pool>-worker-<n>; start one to learn the name
    String[] name = {null};
    List<Delayed<String>> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      items.add(Delayed.call(ThreadedSchedulerTest::threadName, Delayed.value(i)));
    }
    for (String n : Delayed.list(items).compute(scheduler)) {
      if (n.contains("-worker-")) {
        name[0] = n.substring(0, n.indexOf("-worker-") + 8);
      }
    }
    return name[0] == null ? "no-pool-thread-started" : name[0];
  }

  static String threadName(int sleep) throws InterruptedException {
    Thread.sleep(20);
    return Thread.currentThread().getName();
  }

  private static List<String> threadsNamed(String prefix) {
    List<String> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.isAlive()) {
        out.add(t.getName());
      }
    }
    return out;
  }

  @Test
  void runsTasksInParallel() {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      items.add(Delayed.call(Work::sleepMillis, Delayed.value(200 + i)));
    }
    long t0 = System.nanoTime();
    Delayed.list(items).compute(scheduler);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 8 * 200 * 3 / 4, "8 sleeps of 200 ms on 4 workers took " + ms + " ms");
  }

  @Test
  void aTaskMayComputeOnTheSameScheduler() {
    List<Delayed<Integer>> outer = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      outer.add(Delayed.call(ThreadedSchedulerTest::nested, Delayed.value(i)));
    }
    List<Integer> out = Delayed.list(outer).compute(scheduler);
    for (int i = 0; i < 8; i++) {
      assertEquals(i + 2, out.get(i));
    }
  }

  static int nested(int i) {
    // uses the default scheduler from inside a task; the caller thread works, so no deadlock
    return Delayed.call(Work::inc, Delayed.call(Work::inc, Delayed.value(i))).compute();
  }

  @Test
  void releasedResultsCanBeCollected() throws Exception {
    List<WeakReference<byte[]>> refs = Collections.synchronizedList(new ArrayList<>());
    Delayed<byte[]> d = Delayed.call(Work::megabyte, Delayed.value(1));
    for (int j = 0; j < 20; j++) {
      d = Delayed.call(Work::touch, d);
    }
    Delayed<Integer> last = Delayed.call(Work::firstByte, d);
    var watcher = new dev.tessera.graph.spi.SchedulerCallback() {
      @Override
      public long sizeOf(Object result) {
        // the one moment a callback sees a local result: while the scheduler measures it
        if (result instanceof byte[] b) {
          refs.add(new WeakReference<>(b));
          return b.length;
        }
        return -1;
      }
    };
    assertEquals(1, dev.tessera.graph.Tessera.compute(List.of(last), scheduler, watcher)
        .get(0));
    assertEquals(21, refs.size());
    for (int i = 0; i < 10 && refs.stream().anyMatch(r -> r.get() != null); i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(refs.stream().allMatch(r -> r.get() == null),
        "every intermediate result is unreachable after compute()");
  }

  @Test
  void closedSchedulerRefusesWork() {
    ThreadedScheduler s = Schedulers.threads(2);
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Delayed.call(Work::inc, Delayed.value(1)).compute(s));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void refusesZeroWorkers() {
    assertThrows(IllegalArgumentException.class, () -> Schedulers.threads(0));
  }
}
