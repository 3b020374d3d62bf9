package dev.tessera.bench;

import dev.tessera.diagnostics.ProgressBar;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * W1 task_overhead_threads: compute a flat list of {@code n} trivial delayed tasks
 * {@code inc(i)}; the graph is built beforehand and its build timed separately.
 * {@code scheduler=sync} gives task_overhead_sync, {@code scheduler=processes}
 * task_overhead_processes (worker JVMs, one per core); {@code progress=true} computes under
 * the diagnostics progress bar, to measure what it costs; {@code dashboard=true} computes each
 * timed run twice, without and with a live dashboard attached (nobody watching; order
 * alternating), and {@code dashboard=watched} the same with a page's event stream open (see
 * {@link W1Dashboard}). Extra figures: us_per_task, build_seconds_median, and the floor: a
 * bare ExecutorService round trip.
 */
public final class W1 implements Workload {
  static int inc(int x) {
    return x + 1;
  }

  @Override
  public String name(Params p) {
    return "task_overhead_" + p.get("scheduler");
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "100000");
    d.put("scheduler", "threads");
    d.put("progress", "false");
    d.put("dashboard", "false");
    return d;
  }

  static Scheduler scheduler(String name) {
    switch (name) {
      case "sync":
        return Schedulers.sync();
      case "threads":
        return Schedulers.threads();
      case "processes":
        return Schedulers.processes(Runtime.getRuntime().availableProcessors());
      case "cluster":
        return localCluster();
      default:
        throw new IllegalArgumentException("scheduler=" + name
            + ": expected threads, sync, processes or cluster");
    }
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    Scheduler scheduler = scheduler(p.get("scheduler"));
    List<Double> builds = new ArrayList<>();
    Delayed<List<Integer>> graph = null;
    for (int r = 0; r < 3; r++) {
      long t0 = System.nanoTime();
      List<Delayed<Integer>> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(Delayed.call(W1::inc, Delayed.value(i)));
      }
      graph = Delayed.list(items);
      builds.add((System.nanoTime() - t0) / 1e9);
    }
    Delayed<List<Integer>> all = graph;
    boolean progress = Boolean.parseBoolean(p.get("progress"));
    if (!p.get("dashboard").equals("false")) {
      return new W1Dashboard(all, scheduler, n, p.get("dashboard"), builds);
    }
    return new Trial() {
      @Override
      public Object run() {
        if (!progress) {
          return all.compute(scheduler);
        }
        // the diagnostics progress bar, in its log mode (one line on stderr at the end)
        try (ProgressBar bar = new ProgressBar(System.err, false,
            ProgressBar.DEFAULT_INTERVAL).register(false)) {
          return all.compute(scheduler);
        }
      }

      @Override
      public Map<String, Object> check(Object result) {
        return checkIncremented(result, n);
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("us_per_task", median / n * 1e6);
        e.put("build_seconds_median", Bench.median(builds));
        e.put("floor_executor_roundtrip_us", executorRoundTripMicros());
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }

  /** Closes a scheduler the workload created (the sync scheduler needs nothing). */
  /** {@return 2 local Ignite worker JVMs of 1 thread each, as in W9} */
  static dev.tessera.cluster.Cluster localCluster() {
    return dev.tessera.cluster.Cluster.local(dev.tessera.cluster.ClusterOptions.builder()
        .workers(2).threads(1).heap("2g").build());
  }

  /**
   * Bytes moved by a cluster per run: program to workers, workers to program, and results
   * relayed from one worker to another; nothing for other schedulers.
   */
  static Map<String, Object> movedBytes(Scheduler scheduler, int runs) {
    Map<String, Object> e = new java.util.LinkedHashMap<>();
    if (scheduler instanceof dev.tessera.cluster.Cluster c) {
      e.put("sent_to_workers_MB_per_run", c.bytesSent() / 1e6 / runs);
      e.put("received_from_workers_MB_per_run", c.bytesReceived() / 1e6 / runs);
      e.put("worker_to_worker_MB_per_run", c.transferredBytes() / 1e6 / runs);
      e.put("startup_seconds", c.startupMillis() / 1e3);
    }
    return e;
  }

  static void release(Scheduler scheduler) {
    if (scheduler instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + scheduler + ": " + e, e);
      }
    }
  }

  /** The floor: median round trip of a trivial task through a bare single-thread executor. */
  static double executorRoundTripMicros() throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      List<Double> rounds = new ArrayList<>();
      for (int batch = 0; batch < 5; batch++) {
        int m = 20000;
        long t0 = System.nanoTime();
        for (int i = 0; i < m; i++) {
          final int x = i;
          ex.submit(() -> inc(x)).get();
        }
        rounds.add((System.nanoTime() - t0) / 1e3 / m);
      }
      return Bench.median(rounds);
    } finally {
      ex.shutdownNow();
    }
  }

  /**
   * Checks the result of {@code map(inc, range(n))}: the values 1 to n, in order. W1, its
   * dashboard variant and W9 compute the same list.
   */
  static Map<String, Object> checkIncremented(Object result, int n) {
    @SuppressWarnings("unchecked")
    List<Integer> values = (List<Integer>) result;
    boolean ok = values.size() == n;
    for (int i = 0; ok && i < n; i++) {
      ok = values.get(i) == i + 1;
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("ok", ok);
    c.put("tasks", n);
    return c;
  }
}
