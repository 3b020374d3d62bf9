package dev.tessera.bench;

import dev.tessera.array.BlockTimings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks: the block primitives under W2, W3 and W5 (random generation, {@code x + y.T}, whole
 * and axis sums, the fused sum of an elementwise result), ND4J's and Tessera's kernels on one
 * {@code n x n} float64 block, in GB/s of one block per CPU second of one thread, with the
 * memory-copy and read-only-sum floors, the ND4J build loaded and the CPU. Each timed run
 * measures every primitive once ({@code reps} calls, median); {@code primitives} reports
 * every run's figure per primitive. Compare ND4J's builds with
 * {@code BENCH_JAVA_OPTS="-Xmx8g -Dorg.bytedeco.javacpp.platform.extension=-avx2"} (or
 * {@code ""}, the generic build).
 */
public final class Blocks implements Workload {
  @Override
  public String name(Params p) {
    return "block_primitives";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "2000");
    d.put("reps", "5");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    int reps = p.getInt("reps");
    Map<String, List<Double>> all = new LinkedHashMap<>();
    return new Trial() {
      @Override
      public Object run() {
        Map<String, Double> r = BlockTimings.measure(n, reps);
        r.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        return r;
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", BlockTimings.agree(Math.min(n, 700)));
        m.put("what", "the kernels against ND4J on the same blocks");
        return m;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> times) {
        Map<String, Object> e = new LinkedHashMap<>();
        Map<String, Object> prims = new LinkedHashMap<>();
        // the warm-up run's figures are left out
        all.forEach((k, v) -> prims.put(k, v.subList(1, v.size())));
        e.put("primitives_GB_per_s_of_one_block_by_cpu_time", prims);
        e.put("floor_read_sum_GB_per_s", Machine.readSumGBps());
        e.put("nd4j_build", BlockTimings.nd4jBuild());
        e.put("blas_library", Machine.blasLibrary());
        return e;
      }
    };
  }
}
