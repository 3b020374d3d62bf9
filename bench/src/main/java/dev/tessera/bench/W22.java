package dev.tessera.bench;

import dev.tessera.futures.Client;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.idioms.views.LoadBalancedView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W22 lbview_map: ipyparallel's {@code lview.map_sync(inc, range(n))} on 2 engines (threads,
 * worker JVMs or cluster nodes), each item a task of its own that goes to whichever engine is free
 * ({@code chunksize} items per task). Next to it, from the same run: the direct view's map
 * (one call per engine, the items split as scatter splits them), the bare engine call's and
 * the futures client's round trips of one trivial task (the floors of one task at a time).
 */
public final class W22 implements Workload {
  static int inc(int x) {
    return x + 1;
  }

  @Override
  public String name(Params p) {
    return "lbview_map";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "10000");
    d.put("chunksize", "1");
    d.put("scheduler", "processes");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    int chunksize = p.getInt("chunksize");
    Scheduler scheduler = Engines2.scheduler(p);
    dev.tessera.idioms.views.Client rc = dev.tessera.idioms.views.Client.of(scheduler);
    LoadBalancedView lview = rc.loadBalancedView();
    DirectView dview = rc.view();
    List<Integer> items = Params.range(n);
    return new Trial() {
      @Override
      public Object run() {
        return lview.map(W22::inc, items, chunksize).get();
      }

      @Override
      public Map<String, Object> check(Object result) {
        @SuppressWarnings("unchecked")
        List<Integer> out = (List<Integer>) result;
        boolean ok = out.size() == n;
        for (int i = 0; ok && i < n; i++) {
          ok = out.get(i) == i + 1;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", ok);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("us_per_task", median * 1e6 / n);
        long t = System.nanoTime();
        List<Integer> direct = dview.mapSync(W22::inc, items);
        e.put("direct_view_map_seconds", (System.nanoTime() - t) / 1e9);
        e.put("direct_view_map_ok", direct.equals(lview.mapSync(W22::inc, items)));
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
