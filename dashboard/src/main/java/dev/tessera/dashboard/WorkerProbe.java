package dev.tessera.dashboard;

import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.WorkerStats;
import dev.tessera.schedulers.engine.WorkerReport;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the JVMs that run tasks, read-only and from outside: this JVM (CPU, resident
 * memory, heap, off-heap) and each worker JVM of a process pool, found as a child process
 * of this one running {@code dev.tessera.schedulers.WorkerMain} (CPU from the operating
 * system's process accounting, resident memory from {@code /proc/PID/status}). This JVM's
 * off-heap figure is an estimate: resident memory minus what the JVM committed itself. A worker
 * JVM's heap, off-heap and the bytes of the results it holds come from inside it
 * ({@link ProcessScheduler#workerStats()}, asked of every open pool by the
 * {@link StatsPoller}'s thread); a worker that did not answer its last round shows {@code -1}
 * (unknown). The workers of other engines (a cluster's nodes) come from the poller by name,
 * with their transport's report; those on this machine get CPU and memory from the OS too.
 *
 * <p>CPU is the share of one core used since the previous sample (100 per busy core). Not
 * thread-safe: the State lock guards it.
 */
final class WorkerProbe {
  static final String WORKER_MAIN = "dev.tessera.schedulers.WorkerMain";
  /** The pid at the end of a worker's name: {@code worker-1 (pid 4242)}, {@code (host, pid 7)}. */
  static final Pattern PID = Pattern.compile("pid (\\d+)\\)$");

  /**
   * One JVM's figures; -1 where unknown.
   *
   * @param pid its process id, -1 if unknown
   * @param local whether it is this JVM
   * @param name the worker's name for a worker of an engine other than a pool's, else null
   * @param cpuPercent CPU since the previous sample, 100 per busy core
   * @param rssBytes resident memory
   * @param heapBytes Java heap in use
   * @param heapMaxBytes the heap's limit
   * @param offHeapBytes native memory outside the JVM's heap and pools (ND4J's buffers)
   * @param heldBytes the results a worker JVM holds, estimated; -1 for this JVM
   */
  record Sample(long pid, boolean local, String name, double cpuPercent, long rssBytes, long heapBytes,
      long heapMaxBytes, long offHeapBytes, long heldBytes) {}

  private final Map<Long, long[]> lastCpu = new HashMap<>(); // pid -> {cpuNanos, wallNanos}

  /**
   * Samples this JVM and the workers, with what they said about themselves in the poller's
   * last round; reads only {@code /proc} and the operating system's process table, so it
   * never waits for a worker.
   */
  List<Sample> sample(StatsPoller.Answers inside) {
    List<Sample> out = new ArrayList<>();
    ProcessHandle self = ProcessHandle.current();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    long rss = rss(self.pid());
    out.add(new Sample(self.pid(), true, null, cpu(self), rss, heap.getUsed(), heap.getMax(),
        offHeap(rss, heap.getCommitted() + nonHeap.getCommitted()), -1));
    List<ProcessHandle> workers = new ArrayList<>();
    self.children().filter(WorkerProbe::isWorker).forEach(workers::add);
    Set<Long> listed = new HashSet<>();
    listed.add(self.pid());
    for (ProcessHandle w : workers) {
      WorkerStats s = inside.pools().get(w.pid());
      listed.add(w.pid());
      out.add(s == null ? new Sample(w.pid(), false, null, cpu(w), rss(w.pid()), -1, -1, -1, -1)
          : new Sample(w.pid(), false, null, cpu(w), rss(w.pid()), s.heapBytes(),
              s.heapMaxBytes(), s.offHeapBytes(), s.heldBytes()));
    }
    for (StatsPoller.Remote r : inside.remotes()) {
      WorkerReport rep = r.report();
      long pid = rep != null ? rep.pid() : pidIn(r.name());
      if (pid > 0 && !listed.add(pid)) {
        continue; // the same JVM twice (a worker of two engines)
      }
      // on this machine (a local cluster): CPU and resident memory from the OS, as above
      Optional<ProcessHandle> here = pid > 0 && isTessera(pid) ? ProcessHandle.of(pid)
          : Optional.empty();
      double cpu = here.isPresent() ? cpu(here.get()) : rep != null ? rep.cpuPercent() : -1;
      long res = here.isPresent() ? rss(pid) : -1;
      long off = rep == null || res < 0 || rep.committedBytes() < 0 ? -1
          : offHeap(res, rep.committedBytes());
      out.add(new Sample(pid, false, r.name(), cpu, res, rep == null ? -1 : rep.heapBytes(),
          rep == null ? -1 : rep.heapMaxBytes(), off, rep == null ? -1 : rep.heldBytes()));
    }
    lastCpu.keySet().removeIf(pid -> out.stream().noneMatch(s -> s.pid() == pid));
    return out;
  }

  /** {@return the pid a worker's name ends with ({@code "... pid 4242)"}), or -1} */
  static long pidIn(String name) {
    Matcher m = PID.matcher(name);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Whether {@code pid} is a JVM running Tessera here (a pid of another machine may not be). */
  private static boolean isTessera(long pid) {
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
          .contains("dev.tessera.");
    } catch (IOException | RuntimeException e) {
      return false; // no /proc, or no such process
    }
  }

  static boolean isWorker(ProcessHandle p) {
    // /proc first: ProcessHandle.Info truncates long command lines (a worker's class path)
    Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    if (Files.isReadable(cmdline)) {
      try {
        for (String a : new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
            .split("\0")) {
          if (a.equals(WORKER_MAIN)) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false; // it just ended
      }
    }
    Optional<String[]> args = p.info().arguments();
    if (args.isPresent()) {
      for (String a : args.get()) {
        if (a.equals(WORKER_MAIN)) {
          return true;
        }
      }
      return false;
    }
    return p.info().commandLine().map(c -> c.contains(WORKER_MAIN)).orElse(false);
  }

  private double cpu(ProcessHandle p) {
    Optional<Duration> total = p.info().totalCpuDuration();
    if (total.isEmpty()) {
      return -1;
    }
    long now = System.nanoTime();
    long cpu = total.get().toNanos();
    long[] prev = lastCpu.put(p.pid(), new long[] {cpu, now});
    if (prev == null || now - prev[1] <= 0) {
      return -1; // the first sample has nothing to compare with
    }
    return Math.max(0, 100.0 * (cpu - prev[0]) / (now - prev[1]));
  }

  /** Resident memory from /proc (Linux), else -1. */
  static long rss(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc, or the process just ended
    }
    return -1;
  }

  /**
   * Native memory of this JVM outside its heap and its own pools: resident memory minus the
   * committed heap and non-heap (code, metaspace), which is where ND4J's buffers live (ND4J
   * 1.0.0-M2.1 counts its CPU buffers nowhere: JavaCPP's {@code Pointer.totalBytes()} and
   * ND4J's {@code AllocationsTracker} both say 0 with a 100 MB array alive), with native
   * libraries and thread stacks. Without {@code /proc}: direct buffers and JavaCPP's count.
   */
  static long offHeap(long rss, long jvmCommitted) {
    if (rss > 0) {
      return Math.max(0, rss - jvmCommitted);
    }
    long total = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        total += Math.max(0, b.getMemoryUsed());
      }
    }
    return total + JavaCpp.totalBytes();
  }

  /**
   * JavaCPP's {@code Pointer.totalBytes()}, once ND4J's native layer is in use. Initializing
   * {@code Pointer} loads (and may unpack) native libraries, so it is called only after
   * JavaCPP's own deallocator thread shows that some other code initialized it.
   */
  private static final class JavaCpp {
    private static volatile Method total;

    static long totalBytes() {
      Method m = total;
      if (m == null) {
        if (!running("JavaCPP Deallocator")) {
          return 0;
        }
        try {
          m = Class.forName("org.bytedeco.javacpp.Pointer", false,
              Thread.currentThread().getContextClassLoader()).getMethod("totalBytes");
          total = m;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          return 0;
        }
      }
      try {
        return ((Number) m.invoke(null)).longValue();
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return 0;
      }
    }

    private static boolean running(String name) {
      ThreadGroup root = Thread.currentThread().getThreadGroup();
      while (root.getParent() != null) {
        root = root.getParent();
      }
      Thread[] threads = new Thread[root.activeCount() + 16];
      int n = root.enumerate(threads, true);
      for (int i = 0; i < n; i++) {
        if (name.equals(threads[i].getName())) {
          return true;
        }
      }
      return false;
    }
  }
}
