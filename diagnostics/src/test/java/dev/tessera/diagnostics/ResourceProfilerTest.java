package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceProfilerTest {
  @Test
  void samplesCpuAndMemoryIncludingOffHeapUntilClosed() throws Exception {
    ResourceProfiler res = ResourceProfiler.start(Duration.ofMillis(20));
    // 64 MiB off the heap, touched so that it is resident
    ByteBuffer direct = ByteBuffer.allocateDirect(64 << 20);
    for (int i = 0; i < direct.capacity(); i += 4096) {
      direct.put(i, (byte) 1);
    }
    long t0 = System.nanoTime();
    double x = 0;
    while (System.nanoTime() - t0 < 300_000_000L) { // busy: CPU shows up
      x += Math.sqrt(x + 1);
    }
    assertTrue(x > 0);
    res.close();
    assertFalse(res.isRunning(), "the sampler thread must stop on close");
    List<ResourceProfiler.ResourceSample> s = res.results();
    assertTrue(s.size() >= 5, s.size() + " samples");
    for (int i = 1; i < s.size(); i++) {
      assertTrue(s.get(i).timeNanos() >= s.get(i - 1).timeNanos());
      assertTrue(s.get(i).cpuPercent() >= 0);
      assertTrue(s.get(i).rssBytes() > s.get(i).heapBytes(), "RSS counts more than the heap");
    }
    double maxCpu = s.stream().mapToDouble(ResourceProfiler.ResourceSample::cpuPercent).max()
        .orElse(0);
    assertTrue(maxCpu > 10, "a busy thread should show (even on a loaded machine): " + maxCpu);
    assertEquals(0, s.get(0).cpuPercent(), "the first sample has nothing to compare with");
    // the JVM counts CPU time in 10 ms ticks: measured over 100 ms or more, no reading can be
    // far above 100% per core (it read 1,450% on 2 cores when measured over microseconds)
    int cores = Runtime.getRuntime().availableProcessors();
    assertTrue(maxCpu <= 150.0 * cores, maxCpu + "% on " + cores + " cores: " + s);
    // the last sample was taken while the 64 MiB direct buffer was resident: the resident set
    // holds it on top of the heap in use (a heap-only measure would not)
    ResourceProfiler.ResourceSample last = s.get(s.size() - 1);
    assertTrue(last.rssBytes() >= last.heapBytes() + (64L << 20), "off-heap memory counted: "
        + last);
    assertEquals(s.size(), res.table().rowCount());
    int after = res.results().size();
    Thread.sleep(60);
    assertEquals(after, res.results().size(), "no samples after close");
    res.close(); // twice is fine
    assertTrue(direct.get(0) == 1);
  }

  @Test
  void aProfilerClosedAtOnceReadsNoCpuSpike() {
    for (int i = 0; i < 20; i++) {
      ResourceProfiler res = ResourceProfiler.start(Duration.ofMillis(25));
      res.close();
      for (ResourceProfiler.ResourceSample s : res.results()) {
        assertEquals(0, s.cpuPercent(), "two readings at once measure nothing: " + s);
      }
    }
  }

  @Test
  void rejectsANonPositiveInterval() {
    assertThrows(IllegalArgumentException.class, () -> ResourceProfiler.start(Duration.ZERO));
  }
}
