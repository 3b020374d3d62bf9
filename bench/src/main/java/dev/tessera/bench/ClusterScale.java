package dev.tessera.bench;

import dev.tessera.cluster.Cluster;
import dev.tessera.cluster.ClusterOptions;
import dev.tessera.futures.Client;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.Delayed;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ClusterScale: the figures behind docs/cluster.md's "To 100 nodes" on a local cluster of
 * {@code workers} Ignite worker JVMs (1 thread each). Timed: W9's {@code map(inc, range(n))} +
 * gather in batches of 500. Extras: the cluster's start-up, the submit round trip, the
 * program's heap per task of a computation in flight ({@code inflight} sleeping tasks, measured
 * after a full GC, graph and scheduler state included, then cancelled), and how long the
 * program takes to notice a worker that stops answering (SIGSTOP, as a dropped network looks)
 * and one whose JVM is gone (SIGKILL), and for the replacement to join.
 */
public final class ClusterScale implements Workload {
  static int sleepy(int x) throws InterruptedException {
    Thread.sleep(50);
    return x;
  }

  @Override
  public String name(Params p) {
    return "cluster_scale";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("workers", "4");
    d.put("n", "10000");
    d.put("inflight", "100000");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int workers = p.getInt("workers");
    int n = p.getInt("n");
    long t0 = System.nanoTime();
    Cluster cluster = Cluster.local(ClusterOptions.builder().workers(workers).threads(1)
        .heap("1g").build());
    double startup = (System.nanoTime() - t0) / 1e9;
    Client client = Client.on(cluster);
    List<Integer> items = Params.range(n);
    return new Trial() {
      @Override
      public Object run() {
        return W9.mapAndGather(client, items, 500);
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> c = W1.checkIncremented(result, n);
        c.put("workers_seen", cluster.workers().size());
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("workers", workers);
        e.put("startup_seconds", startup);
        e.put("us_per_task", median / n * 1e6);
        e.put("roundtrip_us_median", W9.roundTripMicros(client, 200));
        e.put("program_heap_bytes_per_task_in_flight", heapPerTask(p.getInt("inflight")));
        e.putAll(loss(cluster, workers));
        return e;
      }

      private double heapPerTask(int m) {
        long before = usedAfterGc();
        List<Delayed<Integer>> tasks = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
          tasks.add(Delayed.call(ClusterScale::sleepy, Delayed.value(i)));
        }
        List<TaskFuture<Object>> running = client.compute(Delayed.list(tasks));
        long during = usedAfterGc();
        client.cancel(running);
        return (double) (during - before) / m;
      }

      @Override
      public void close() {
        client.close();
        cluster.close();
      }
    };
  }

  private static long usedAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  /** Stops one worker (SIGSTOP), then kills another (SIGKILL); times what the program sees. */
  private static Map<String, Object> loss(Cluster cluster, int workers) throws Exception {
    Map<String, Object> e = new LinkedHashMap<>();
    List<Long> pids = cluster.localWorkerPids();
    if (pids.size() < 2) {
      return e;
    }
    long silent = pids.get(0);
    long t = System.nanoTime();
    signal("STOP", silent);
    waitWorkers(cluster, workers - 1, 120);
    e.put("silent_worker_noticed_seconds", (System.nanoTime() - t) / 1e9);
    t = System.nanoTime();
    signal("KILL", silent); // the stopped JVM: replaced once its exit is seen
    waitWorkers(cluster, workers, 180);
    e.put("replacement_joined_seconds", (System.nanoTime() - t) / 1e9);
    Thread.sleep(3000); // not while the replacement's join settles: see docs/cluster.md
    long dead = cluster.localWorkerPids().get(0);
    t = System.nanoTime();
    signal("KILL", dead);
    waitWorkers(cluster, workers - 1, 60);
    e.put("dead_worker_noticed_seconds", (System.nanoTime() - t) / 1e9);
    waitWorkers(cluster, workers, 180); // whole again before close
    return e;
  }

  private static void signal(String sig, long pid) throws Exception {
    if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
      return; // already gone: the cluster stopped the silent worker itself
    }
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
    }
  }

  /** Waits until the program lists exactly {@code k} usable workers. */
  private static void waitWorkers(Cluster cluster, int k, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (cluster.workers().size() != k) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("still " + cluster.workers().size() + " workers, not "
            + k + ", after " + seconds + " s");
      }
      Thread.sleep(20);
    }
  }
}
