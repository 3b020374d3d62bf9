package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A local cluster starts, computes, and on close leaves no JVM, no thread, no directory. */
class LifecycleTest {
  static int inc(int x) {
    return x + 1;
  }

  private static Set<Thread> threads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /** Threads started since {@code before}, other than the JDK's own shared ones. */
  private static List<String> newThreads(Set<Thread> before) {
    List<String> out = new ArrayList<>();
    for (Thread t : threads()) {
      if (!before.contains(t) && t.isAlive() && !t.getName().equals("process reaper")
          && !t.getName().startsWith("ForkJoinPool.commonPool")
          && !t.getName().equals("Attach Listener")) {
        out.add(t.getName());
      }
    }
    return out;
  }

  @Test
  void closeLeavesNoJvmAndNoThreadBehind() throws Exception {
    Set<Thread> before = threads();
    List<Long> pids;
    Cluster c = Cluster.local(2);
    try {
      assertEquals(List.of("worker-0", "worker-1"), c.workers());
      pids = c.localWorkerPids();
      assertEquals(2, pids.size());
      assertTrue(c.name().startsWith("cluster("), c.name());
      assertEquals(3, Delayed.call(LifecycleTest::inc, Delayed.value(2)).compute(c));
      // the engines' threads (results here, engine calls there) stop with the rest
      assertEquals(Integer.valueOf(1),
          c.engines().orElseThrow().call(1, ctx -> ctx.engine()).get(60, TimeUnit.SECONDS));
      assertTrue(c.startupMillis() > 0);
    } finally {
      c.close();
    }
    c.close(); // idempotent
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "worker " + pid + " outlived close()");
    }
    List<String> left = newThreads(before);
    for (int i = 0; i < 100 && !left.isEmpty(); i++) {
      Thread.sleep(100); // threads that were told to stop end on their own
      left = newThreads(before);
    }
    assertEquals(List.of(), left, "threads left after close()");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Delayed.call(LifecycleTest::inc, Delayed.value(2)).compute(c));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, c::engines);
  }
}
