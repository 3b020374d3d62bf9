package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W14 array_cumsum: {@code x.cumsum(axis=0).sum()} on a W2-style x ({@code random((n, n),
 * chunks=(c, c))}, generated inside the graph each run): block scans, the carried slices
 * along axis 0, then a tree sum. The check: the closed form of the same number,
 * {@code sum_k sum_j x[k, j] * (n - k)}, computed as an elementwise product with a column of
 * weights and one sum, so without any scan.
 */
public final class W14 implements Workload {
  @Override
  public String name(Params p) {
    return "array_cumsum";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new W2().defaults();
    d.put("n", "10000");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    long n = p.getInt("n");
    long c = p.getInt("c");
    Scheduler scheduler = W2.scheduler(p);
    Array x = Array.uniform(W2.SEED, new long[] {n, n}, Chunks.of(c, c));
    Array y = x.cumsum(0).sum();
    return new Trial() {
      @Override
      public Object run() {
        return y.compute(scheduler).getDouble(0);
      }

      @Override
      public Map<String, Object> check(Object result) {
        double got = (Double) result;
        Array weights = Array.arange(n, 0, -1, Chunks.of(c), DType.FLOAT64).reshape(n, 1);
        double direct = x.mul(weights).sum().compute(scheduler).getDouble(0);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", Math.abs(got - direct) <= 1e-9 * Math.abs(direct));
        r.put("sum", got);
        r.put("weighted_sum_without_scan", direct);
        return r;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("GB_per_s", n * n * 8 / median / 1e9);
        e.put("floor_memory_copy_GB_per_s", W2.memoryBandwidth());
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
