package dev.tessera.diagnostics;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * Samples this process's CPU use and memory every {@code dt} on a background thread, from
 * {@link #start} until {@link #close}, like Dask's {@code ResourceProfiler}.
 *
 * <pre>{@code
 * try (ResourceProfiler res = ResourceProfiler.start(Duration.ofMillis(100))) {
 *   x.compute();
 * }
 * res.results();   // time, CPU %, resident memory, heap
 * }</pre>
 *
 * <p>Memory is the resident set size from {@code /proc/self/status}, which counts everything
 * the process holds: the heap, and off-heap memory such as ND4J's buffers and native
 * libraries. Where {@code /proc} is missing, it falls back to the JVM's own view (committed
 * heap and non-heap plus direct buffers), which misses memory allocated by native code. CPU
 * is counted like {@code top}: 100% per fully used core, averaged over the last
 * {@value #CPU_WINDOW_MILLIS} ms or more (the JVM counts process CPU time in 10 ms clock ticks, so
 * a shorter window would read 0% or 1,000%); the first sample reads 0%, as it has nothing to
 * compare with. A sample is also taken when the profiler starts and when it closes, so even a
 * short run has two.
 */
public final class ResourceProfiler implements Profile, AutoCloseable {
  /**
   * One sample.
   *
   * @param timeNanos {@link System#nanoTime()} of the sample
   * @param cpuPercent CPU used since the previous sample, 100 per busy core
   * @param rssBytes resident memory of the process (heap and off-heap)
   * @param heapBytes the part of the Java heap in use
   */
  public record ResourceSample(long timeNanos, double cpuPercent, long rssBytes,
      long heapBytes) {}

  private static final Path STATUS = Path.of("/proc/self/status");
  /** The shortest span CPU use is measured over. */
  static final long CPU_WINDOW_MILLIS = 100;

  private final long intervalNanos;
  private final Thread sampler;
  private final com.sun.management.OperatingSystemMXBean os;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  // guarded by this
  private final List<ResourceSample> samples = new ArrayList<>();
  /** (time, process CPU time) readings, the oldest one older than the CPU window. */
  private final java.util.ArrayDeque<long[]> readings = new java.util.ArrayDeque<>();
  private boolean closed;

  private ResourceProfiler(Duration dt) {
    Objects.requireNonNull(dt, "dt");
    if (dt.isNegative() || dt.isZero()) {
      throw new IllegalArgumentException("the sampling interval must be positive, got " + dt);
    }
    this.intervalNanos = dt.toNanos();
    this.os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    this.sampler = new Thread(this::loop, "tessera-resource-profiler");
    this.sampler.setDaemon(true);
  }

  /**
   * Starts sampling every {@code dt} until the profiler is closed.
   *
   * @param dt the interval between samples, such as {@code Duration.ofMillis(100)}
   * @return the running profiler, for try-with-resources
   * @throws IllegalArgumentException if {@code dt} is not positive
   */
  public static ResourceProfiler start(Duration dt) {
    ResourceProfiler p = new ResourceProfiler(dt);
    p.sample();
    p.sampler.start();
    return p;
  }

  private void loop() {
    long next = System.nanoTime() + intervalNanos;
    while (true) {
      long wait = next - System.nanoTime();
      synchronized (this) {
        if (closed) {
          return;
        }
        if (wait > 0) {
          try {
            wait(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
          if (closed) {
            return;
          }
          continue; // re-check the time: woken early or on time
        }
      }
      sample();
      next += intervalNanos;
      long now = System.nanoTime();
      if (next < now) {
        next = now + intervalNanos; // fell behind (a busy machine): skip, do not burst
      }
    }
  }

  private void sample() {
    long heap = memory.getHeapMemoryUsage().getUsed();
    long rss = rss();
    long cpu = os.getProcessCpuTime();
    long now = System.nanoTime(); // read together with the CPU time
    synchronized (this) {
      samples.add(new ResourceSample(now, cpuPercent(now, cpu), rss, heap));
    }
  }

  /**
   * Returns the CPU use from the newest reading at least the CPU window old (else the first
   * one) to ({@code now}, {@code cpu}), and records this reading; 0 without an older reading,
   * the previous sample's value when the span is too short to measure (a quarter window).
   */
  private double cpuPercent(long now, long cpu) {
    long window = CPU_WINDOW_MILLIS * 1_000_000;
    while (readings.size() > 1) {
      long[] second = readings.stream().skip(1).findFirst().orElseThrow();
      if (now - second[0] >= window) {
        readings.removeFirst(); // the next one is old enough to measure from
      } else {
        break;
      }
    }
    double percent = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).cpuPercent();
    long[] base = readings.peekFirst();
    if (base != null && cpu >= 0 && base[1] >= 0 && now - base[0] >= window / 4) {
      percent = 100.0 * (cpu - base[1]) / (now - base[0]);
    }
    readings.addLast(new long[] {now, cpu});
    return percent;
  }

  /** Returns the resident set size, or the JVM's own estimate without {@code /proc}. */
  long rss() {
    if (Files.isReadable(STATUS)) {
      try {
        for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
          if (line.startsWith("VmRSS:")) {
            String[] parts = line.substring(6).trim().split("\\s+");
            return Long.parseLong(parts[0]) * 1024; // the unit is always kB
          }
        }
      } catch (IOException | NumberFormatException e) {
        // fall through to the JVM's view
      }
    }
    long total = memory.getHeapMemoryUsage().getCommitted()
        + memory.getNonHeapMemoryUsage().getCommitted();
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      total += Math.max(0, pool.getMemoryUsed());
    }
    return total;
  }

  /**
   * Takes a last sample and stops the sampling thread, waiting for it to end. Closing twice
   * does nothing.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    sample();
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    boolean interrupted = false;
    while (sampler.isAlive()) {
      try {
        sampler.join();
      } catch (InterruptedException e) {
        interrupted = true; // finish stopping the sampler, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@return whether the sampling thread is still running} */
  public boolean isRunning() {
    return sampler.isAlive();
  }

  /** {@return the samples so far, by time; a snapshot} */
  public synchronized List<ResourceSample> results() {
    return List.copyOf(samples);
  }

  /**
   * Returns the samples as a table with the columns {@code time_s} (since the first sample),
   * {@code cpu_percent}, {@code rss_bytes} and {@code heap_bytes}.
   *
   * @return the table, by time
   */
  public Table table() {
    List<ResourceSample> rs = results();
    long origin = rs.isEmpty() ? 0 : rs.get(0).timeNanos();
    DoubleColumn time = DoubleColumn.create("time_s");
    DoubleColumn cpu = DoubleColumn.create("cpu_percent");
    LongColumn rss = LongColumn.create("rss_bytes");
    LongColumn heap = LongColumn.create("heap_bytes");
    for (ResourceSample s : rs) {
      time.append((s.timeNanos() - origin) / 1e9);
      cpu.append(s.cpuPercent());
      rss.append(s.rssBytes());
      heap.append(s.heapBytes());
    }
    return Table.create("resources", time, cpu, rss, heap);
  }

  @Override
  public synchronized boolean isEmpty() {
    return samples.isEmpty();
  }

  @Override
  public synchronized long firstNanos() {
    return samples.isEmpty() ? 0 : samples.get(0).timeNanos();
  }

  @Override
  public synchronized String toString() {
    return "ResourceProfiler(" + samples.size() + " samples every "
        + Duration.ofNanos(intervalNanos) + ")";
  }
}
