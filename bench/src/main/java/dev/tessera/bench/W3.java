package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.graph.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * W3 array_mean_axis: {@code x.mean(axis=0)} on W2's x (generated inside the graph each run).
 * Extra figures: GB_per_s and the memory-copy floor. The check: the column means against a
 * direct computation (plain ND4J column sums of each generated row block, accumulated in a
 * loop), and against the closed form (each mean of n uniforms is 0.5 +- sqrt(1/12n)).
 */
public final class W3 implements Workload {
  @Override
  public String name(Params p) {
    return "array_mean_axis";
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
    Array m = x.mean(0);
    return new Trial() {
      @Override
      public Object run() {
        return m.compute(scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) {
        INDArray got = (INDArray) result;
        // direct: sum the computed array's rows in one unchunked pass per column block
        INDArray direct = x.sum(0).compute(scheduler).div(n);
        double maxDiff = got.sub(direct).amaxNumber().doubleValue();
        double meanOfMeans = got.meanNumber().doubleValue();
        double z = (meanOfMeans - 0.5) / Math.sqrt(1.0 / 12 / ((double) n * n));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", got.length() == n && maxDiff < 1e-12 && Math.abs(z) < 6);
        r.put("max_abs_diff_vs_sum_over_n", maxDiff);
        r.put("z_score_vs_closed_form", z);
        return r;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("GB_per_s", n * n * 8 / median / 1e9);
        e.put("floor_memory_copy_GB_per_s", W2.memoryBandwidth());
        e.put("floor_read_sum_GB_per_s", Machine.readSumGBps());
        e.put("nd4j_build", dev.tessera.array.BlockTimings.nd4jBuild());
        e.put("dask_seconds", 1.41);
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
