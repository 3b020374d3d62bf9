package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * W2 array_sum: {@code x = random((n, n), chunks=(c, c))}; {@code (x + x.T).sum()}, the random
 * data generated inside the graph on every run. Extra figures: GB_per_s (n*n*8 bytes / s) and
 * the floor, this machine's memory bandwidth (a large array copy, bytes read + written / s).
 */
public class W2 implements Workload {
  static final long SEED = 2;

  @Override
  public String name(Params p) {
    return "array_sum";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "20000");
    d.put("c", "2000");
    d.put("scheduler", "threads");
    d.put("nd4j_threads", "1");
    return d;
  }

  /** The scheduler, after setting ND4J's threads per operation (1: the scheduler's workers
   * already use every core). */
  static Scheduler scheduler(Params p) {
    Array.setNd4jThreads(p.getInt("nd4j_threads"));
    return W1.scheduler(p.get("scheduler"));
  }

  Array build(long n, long c) {
    Array x = Array.uniform(SEED, new long[] {n, n}, Chunks.of(c, c));
    return x.add(x.T()).sum();
  }

  @Override
  public Trial prepare(Params p) {
    long n = p.getInt("n");
    long c = p.getInt("c");
    Scheduler scheduler = scheduler(p);
    Array y = build(n, c);
    return new Trial() {
      @Override
      public Object run() {
        return y.compute(scheduler).getDouble(0);
      }

      @Override
      public Map<String, Object> check(Object result) {
        return sumCheck((Double) result, n, c, scheduler);
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("GB_per_s", n * n * 8 / median / 1e9);
        e.putAll(W1.movedBytes(scheduler, all.size() + 1));
        e.put("floor_memory_copy_GB_per_s", memoryBandwidth());
        e.put("floor_read_sum_GB_per_s", Machine.readSumGBps());
        e.put("nd4j_build", dev.tessera.array.BlockTimings.nd4jBuild());
        if (n == 20000 && c == 2000 && !(W2.this instanceof W10)) {
          e.put("dask_seconds", 2.57);
        }
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }

  /**
   * Checks {@code sum(x + x.T)} two ways: against {@code 2 * sum(x)} computed through a plain
   * graph without the transpose (equal up to rounding), and against the closed form: the sum
   * of 2 n^2 uniform [0, 1) values has mean n^2 and standard deviation n * sqrt(1/3).
   */
  static Map<String, Object> sumCheck(double result, long n, long c, Scheduler s) {
    double direct = 2 * Array.uniform(SEED, new long[] {n, n}, Chunks.of(c, c)).sum()
        .compute(s).getDouble(0);
    double mean = (double) n * n;
    double sigma = n * Math.sqrt(1.0 / 3);
    double z = (result - mean) / sigma;
    boolean ok = Math.abs(result - direct) <= 1e-9 * Math.abs(direct) && Math.abs(z) < 6;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", ok);
    m.put("sum", result);
    m.put("two_times_sum_x", direct);
    m.put("z_score_vs_closed_form", z);
    return m;
  }

  /** Memory bandwidth: copying a 256 MiB float64 array, bytes read + written per second. */
  static double memoryBandwidth() {
    long len = 1L << 25;
    INDArray a = Nd4j.rand(DataType.DOUBLE, len);
    INDArray b = Nd4j.createUninitialized(DataType.DOUBLE, len);
    b.assign(a);
    List<Double> rates = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      long t0 = System.nanoTime();
      b.assign(a);
      double s = (System.nanoTime() - t0) / 1e9;
      rates.add(2.0 * len * 8 / s / 1e9);
    }
    a.close();
    b.close();
    return Bench.median(rates);
  }
}
