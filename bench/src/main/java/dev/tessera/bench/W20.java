package dev.tessera.bench;

import dev.tessera.futures.Client;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.pool.Pool;
import dev.tessera.schedulers.ProcessOptions;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W20 pool_map: multiprocessing's {@code pool.map(inc, range(n))} through a
 * {@link Pool} of 2 workers (threads, or worker JVMs with {@code scheduler=processes}), with
 * multiprocessing's default chunking ({@code chunksize=0}) or a given chunk size. Next to it,
 * measured in the same run, its floor: the median round trip of one trivial task through the
 * futures client on the same scheduler ({@code floor_roundtrip_us_median}), and the futures
 * client's own batched map of the same items ({@code floor_client_map_us_per_task}). Extra
 * figures: us_per_call, chunksize, tasks, the same map with chunks of 1 on the first 2,000
 * items (us_per_call_chunksize1), startup_seconds.
 */
public final class W20 implements Workload {
  static int inc(int x) {
    return x + 1;
  }

  @Override
  public String name(Params p) {
    return "pool_map";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "10000");
    d.put("scheduler", "threads");
    d.put("chunksize", "0");
    d.put("rounds", "200");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    int given = p.getInt("chunksize");
    int rounds = p.getInt("rounds");
    long t0 = System.nanoTime();
    Scheduler scheduler = switch (p.get("scheduler")) {
      case "processes" -> Schedulers.processes(ProcessOptions.builder().workers(2).build());
      case "threads" -> Schedulers.threads(2);
      default -> throw new IllegalArgumentException("scheduler=" + p.get("scheduler")
          + ": expected threads or processes");
    };
    double startup = (System.nanoTime() - t0) / 1e9;
    Pool pool = Pool.on(scheduler);
    int chunksize = given > 0 ? given : Math.max(1, Pool.defaultChunksize(n, pool.processes()));
    List<Integer> items = Params.range(n);
    return new Trial() {
      @Override
      public Object run() {
        return pool.map(W20::inc, items, chunksize);
      }

      @Override
      public Map<String, Object> check(Object result) {
        return W1.checkIncremented(result, n);
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("us_per_call", median / n * 1e6);
        e.put("chunksize", chunksize);
        e.put("tasks", (n + chunksize - 1) / chunksize);
        try (Client client = Client.on(scheduler)) {
          e.put("floor_roundtrip_us_median", W9.roundTripMicros(client, rounds));
          List<Double> times = new ArrayList<>();
          for (int r = 0; r < 4; r++) {
            long t = System.nanoTime();
            W9.mapAndGather(client, items, chunksize);
            times.add((System.nanoTime() - t) / 1e3 / n);
          }
          e.put("floor_client_map_us_per_task", Bench.median(times.subList(1, times.size())));
        }
        int m = Math.min(n, 2000);
        List<Double> ones = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
          long t = System.nanoTime();
          pool.map(W20::inc, items.subList(0, m), 1);
          ones.add((System.nanoTime() - t) / 1e3 / m);
        }
        e.put("us_per_call_chunksize1", Bench.median(ones));
        e.put("startup_seconds", startup);
        return e;
      }

      @Override
      public void close() {
        pool.close();
        W1.release(scheduler);
      }
    };
  }
}
