package dev.tessera.bench;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessOptions;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W9 distributed_overhead: a pool of 2 worker JVMs (1 task at a time each) behind a futures
 * {@link Client}: {@code map(inc, range(n))} then gather (timed), and the median round trip of
 * one submitted trivial task ({@code rounds} of them). {@code batch} items go to the pool as one
 * computation ({@link Submit#batchSize}); {@code batch=1} is one computation per item, as in
 * Dask. {@code scheduler=threads} runs the same on 2 threads, {@code scheduler=cluster} on 2 local
 * Ignite worker JVMs of 1 thread each. Extra figures: us_per_task,
 * roundtrip_us_median, startup_seconds, and the same map with batch=1 (us_per_task_unbatched).
 */
public final class W9 implements Workload {
  static int inc(int x) {
    return x + 1;
  }

  @Override
  public String name(Params p) {
    return "distributed_overhead";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "10000");
    d.put("rounds", "200");
    d.put("scheduler", "processes");
    d.put("batch", "500");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    int rounds = p.getInt("rounds");
    int batch = p.getInt("batch");
    long t0 = System.nanoTime();
    Scheduler scheduler = switch (p.get("scheduler")) {
      case "processes" -> Schedulers.processes(ProcessOptions.builder().workers(2).build());
      case "threads" -> Schedulers.threads(2);
      case "cluster" -> W1.localCluster();
      default -> throw new IllegalArgumentException("scheduler=" + p.get("scheduler")
          + ": expected processes, threads or cluster");
    };
    double startup = (System.nanoTime() - t0) / 1e9;
    Client client = Client.on(scheduler);
    List<Integer> items = Params.range(n);
    return new Trial() {
      @Override
      public Object run() {
        return mapAndGather(client, items, batch);
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> c = W1.checkIncremented(result, n);
        c.put("held_after", client.heldResults());
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("us_per_task", median / n * 1e6);
        e.put("roundtrip_us_median", roundTripMicros(client, rounds));
        e.put("startup_seconds", startup);
        int m = Math.min(n, 2000);
        long t = System.nanoTime();
        mapAndGather(client, items.subList(0, m), 1);
        e.put("us_per_task_unbatched", (System.nanoTime() - t) / 1e3 / m);
        return e;
      }

      @Override
      public void close() {
        client.close();
        W1.release(scheduler);
      }
    };
  }

  /** map + gather, then release: the next run computes again instead of reusing the keys. */
  static List<Integer> mapAndGather(Client client, List<Integer> items, int batch) {
    List<TaskFuture<Integer>> fs = client.with(Submit.options().batchSize(batch))
        .map(W9::inc, items);
    List<Integer> out = client.gather(fs);
    fs.forEach(TaskFuture::release);
    return out;
  }

  /** The median time from submit to having the value back, for a fresh trivial task. */
  static double roundTripMicros(Client client, int rounds) {
    Submit fresh = Submit.options().pure(false);
    List<Double> times = new ArrayList<>(rounds);
    for (int i = 0; i < rounds + 20; i++) {
      long t = System.nanoTime();
      TaskFuture<Integer> f = client.with(fresh).submit(W9::inc, i);
      int v = f.result();
      double us = (System.nanoTime() - t) / 1e3;
      f.release();
      if (v != i + 1) {
        throw new IllegalStateException("round trip " + i + " returned " + v);
      }
      if (i >= 20) {
        times.add(us); // the first rounds warm up the path
      }
    }
    return Bench.median(times);
  }
}
