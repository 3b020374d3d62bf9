package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  @Test
  void startsAndStops() {
    long t0 = System.nanoTime();
    List<Long> pids;
    try (Cluster c = Cluster.local(2)) {
      System.out.println("started in " + c.startupMillis() + " ms");
      assertEquals(List.of("worker-0", "worker-1"), c.workers());
      pids = c.localWorkerPids();
      assertEquals(2, pids.size());
    }
    System.out.println("total " + (System.nanoTime() - t0) / 1e6 + " ms");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      System.out.println("thread: " + t.getName());
    }
  }
}
