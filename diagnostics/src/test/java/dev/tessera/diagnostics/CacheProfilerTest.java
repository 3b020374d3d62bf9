package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class CacheProfilerTest {
  private static long size(Object o) {
    return o instanceof double[] a ? a.length * 8L : 8;
  }

  @Test
  void bytesFollowTheCountOnTheSyncScheduler() {
    int n = 9;
    int block = 16;
    Blocks b = Blocks.of(n, block);
    try (CacheProfiler cache = CacheProfiler.start(CacheProfilerTest::size)) {
      assertEquals(Blocks.expected(n, block), b.compute(Schedulers.sync()), 1e-9);
      List<CacheProfiler.CacheSample> s = cache.results();
      // one sample at the start, one per task, one at the end
      assertEquals(2 * n + 1 + 2, s.size());
      assertNull(s.get(0).key());
      assertEquals(0, s.get(s.size() - 1).resultsHeld());
      assertEquals(0, s.get(s.size() - 1).bytesHeld());
      int max = 0;
      for (CacheProfiler.CacheSample c : s.subList(1, s.size() - 2)) {
        // every result held is one block (the sum is the last task, checked below)
        assertEquals(c.resultsHeld() * block * 8L, c.bytesHeld(), c.toString());
        max = Math.max(max, c.resultsHeld());
      }
      // the sum's sample: it holds the output (8 bytes) while the doubled blocks are freed
      CacheProfiler.CacheSample last = s.get(s.size() - 2);
      assertEquals(b.out(), last.key());
      assertEquals(8, last.bytesHeld());
      // priority order finishes each block before starting the next: the doubled blocks pile
      // up for the sum, the data blocks do not
      assertEquals(n, max);
      Table t = cache.table();
      assertEquals(s.size(), t.rowCount());
      assertEquals(List.of("time_s", "key", "results_held", "bytes_held"), t.columnNames());
    }
  }

  @Test
  void neverNegativeAndEmptyAtTheEndOnTheThreadedScheduler() {
    Blocks b = Blocks.of(30, 4);
    try (ThreadedScheduler threads = Schedulers.threads(3);
        CacheProfiler cache = CacheProfiler.start(CacheProfilerTest::size)) {
      for (int r = 0; r < 3; r++) {
        b.compute(threads);
      }
      List<CacheProfiler.CacheSample> s = cache.results();
      assertEquals(3 * (61 + 2), s.size());
      for (CacheProfiler.CacheSample c : s) {
        assertTrue(c.bytesHeld() >= 0 && c.resultsHeld() >= 0, c.toString());
      }
      assertEquals(0, s.get(s.size() - 1).bytesHeld());
    }
  }

  @Test
  void countsOnlyWithoutASizeFunction() {
    Blocks b = Blocks.of(3, 2);
    try (CacheProfiler cache = CacheProfiler.start()) {
      assertTrue(cache.isEmpty());
      b.compute(Schedulers.sync());
      assertFalse(cache.isEmpty());
      assertFalse(cache.measuresBytes());
      cache.results().forEach(c -> assertEquals(-1, c.bytesHeld()));
    }
  }
}
