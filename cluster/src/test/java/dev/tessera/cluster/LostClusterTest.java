package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every local worker killed at once: a lost cluster. The replacements start it again, one after
 * another (two started together could each find nobody and form two clusters), the program's
 * node reconnects, and work runs on the new workers.
 */
class LostClusterTest {
  static int inc(int x) {
    return x + 1;
  }

  @Test
  void everyWorkerKilledAtOnceComesBack() throws Exception {
    try (Cluster cluster = Cluster.local(2)) {
      assertEquals(3, Delayed.call(LostClusterTest::inc, Delayed.value(2)).compute(cluster));
      List<String> old = cluster.workers();
      assertEquals(2, old.size(), "workers: " + old);
      for (long p : cluster.localWorkerPids()) {
        ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
      }
      List<String> now = cluster.workers();
      for (int i = 0; i < 1200 && (now.size() < 2 || now.stream().anyMatch(old::contains));
          i++) {
        Thread.sleep(100);
        now = cluster.workers();
      }
      assertEquals(2, now.size(), "workers before: " + old + ", now: " + now);
      assertTrue(now.stream().noneMatch(old::contains), "before: " + old + ", now: " + now);
      assertEquals(3, Delayed.call(LostClusterTest::inc, Delayed.value(2)).compute(cluster));
    }
  }
}
