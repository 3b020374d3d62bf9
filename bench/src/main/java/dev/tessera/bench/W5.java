package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.Index;
import dev.tessera.graph.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W5 array_slice_rechunk: {@code x[::2, 1000:15000].rechunk((5000, 1000)).sum()} on W2's x.
 * The check: the same selection summed without the rechunk, and the closed form (the sum of
 * k uniforms has mean k/2 and standard deviation sqrt(k/12)).
 */
public final class W5 implements Workload {
  @Override
  public String name(Params p) {
    return "array_slice_rechunk";
  }

  @Override
  public Map<String, String> defaults() {
    return new W2().defaults();
  }

  @Override
  public Trial prepare(Params p) {
    long n = p.getInt("n");
    long c = p.getInt("c");
    Scheduler scheduler = W2.scheduler(p);
    Array x = Array.uniform(W2.SEED, new long[] {n, n}, Chunks.of(c, c));
    Array sel = x.get(Index.step(2), Index.slice(1000, 15000));
    Array y = sel.rechunk(Chunks.of(5000, 1000)).sum();
    return new Trial() {
      @Override
      public Object run() {
        return y.compute(scheduler).getDouble(0);
      }

      @Override
      public Map<String, Object> check(Object result) {
        double got = (Double) result;
        double direct = sel.sum().compute(scheduler).getDouble(0);
        double k = (double) sel.size();
        double z = (got - k / 2) / Math.sqrt(k / 12);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", Math.abs(got - direct) <= 1e-9 * Math.abs(direct) && Math.abs(z) < 6);
        r.put("sum", got);
        r.put("sum_without_rechunk", direct);
        r.put("z_score_vs_closed_form", z);
        return r;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("floor_memory_copy_GB_per_s", W2.memoryBandwidth());
        e.put("floor_read_sum_GB_per_s", Machine.readSumGBps());
        e.put("nd4j_build", dev.tessera.array.BlockTimings.nd4jBuild());
        e.put("dask_seconds", 1.50);
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
