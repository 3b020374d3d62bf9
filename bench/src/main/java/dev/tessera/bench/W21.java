package dev.tessera.bench;

import dev.tessera.futures.Client;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.EngineView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W21 engine_apply: the latency of ipyparallel's {@code rc[0].apply_sync(f)}, here
 * {@code client.view(0).applySync(ns -> k + 1)}, {@code rounds} of them one after the other
 * (timed), on 2 engines (threads, worker JVMs or cluster nodes). Floors from the same run: a bare engine call
 * through the SPI (no metadata or output capture) and the futures client's round trip of one
 * trivial task.
 */
public final class W21 implements Workload {
  @Override
  public String name(Params p) {
    return "engine_apply";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rounds", "2000");
    d.put("scheduler", "processes");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int rounds = p.getInt("rounds");
    Scheduler scheduler = Engines2.scheduler(p);
    EngineView e0 = dev.tessera.idioms.views.Client.of(scheduler).view(0);
    List<Double> each = new ArrayList<>();
    return new Trial() {
      @Override
      public Object run() {
        boolean ok = true;
        each.clear();
        for (int i = 0; i < rounds; i++) {
          int k = i;
          long t = System.nanoTime();
          ok &= e0.<Integer>applySync(ns -> k + 1) == k + 1;
          each.add((System.nanoTime() - t) / 1e3);
        }
        return ok;
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", result);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("us_per_apply", median * 1e6 / rounds);
        e.put("apply_us_median", Bench.median(each));
        e.put("floor_engine_call_us_median", Engines2.spiRoundTripMicros(scheduler, 500));
        try (Client futures = Client.on(scheduler)) {
          e.put("floor_futures_roundtrip_us_median", W9.roundTripMicros(futures, 500));
        }
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
