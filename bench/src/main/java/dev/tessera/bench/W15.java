package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.BlockFunction;
import dev.tessera.array.Boundary;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * W15 array_stencil: a 3 x 3 mean filter with periodic boundaries,
 * {@code x.mapOverlap(mean3x3, depth=1, boundary="periodic").sum()}, on a W2-style x
 * (generated inside the graph each run): every block extended by one ghost cell from its
 * neighbours, nine shifted views added with ND4J, trimmed. The check: with periodic
 * boundaries every element enters nine windows with weight 1/9, so the sum equals
 * {@code x.sum()} up to rounding.
 */
public final class W15 implements Workload {
  /** The 3 x 3 mean of the interior of an extended block (its rim is trimmed off). */
  static final BlockFunction MEAN3X3 = b -> {
    INDArray x = b[0];
    long r = x.size(0);
    long c = x.size(1);
    INDArray out = x.like();
    INDArray mid = out.get(NDArrayIndex.interval(1, r - 1), NDArrayIndex.interval(1, c - 1));
    for (int di = 0; di < 3; di++) {
      for (int dj = 0; dj < 3; dj++) {
        mid.addi(x.get(NDArrayIndex.interval(di, r - 2 + di),
            NDArrayIndex.interval(dj, c - 2 + dj)));
      }
    }
    return out.divi(9);
  };

  @Override
  public String name(Params p) {
    return "array_stencil";
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
    Array y = x.mapOverlap(MEAN3X3, new int[] {1, 1}, Boundary.periodic(), DType.FLOAT64).sum();
    return new Trial() {
      @Override
      public Object run() {
        return y.compute(scheduler).getDouble(0);
      }

      @Override
      public Map<String, Object> check(Object result) {
        double got = (Double) result;
        double direct = x.sum().compute(scheduler).getDouble(0);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", Math.abs(got - direct) <= 1e-9 * Math.abs(direct));
        r.put("sum", got);
        r.put("sum_of_x", direct);
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
