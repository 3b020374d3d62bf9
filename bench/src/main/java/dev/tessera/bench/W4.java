package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.graph.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * W4 matmul: {@code a @ b}, both {@code random((n, n), chunks=(c, c))}, the result
 * materialized. Extra figures: GFLOP_per_s (2 n^3 / s) and the floor, the GFLOP/s of one
 * unchunked ND4J {@code mmul} of the same matrices (with ND4J's default threads, in a fresh JVM
 * of its own). The check:
 * the chunked product against that direct product.
 */
public final class W4 implements Workload {
  @Override
  public String name(Params p) {
    return "matmul";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "4096");
    d.put("c", "1024");
    d.put("scheduler", "threads");
    d.put("nd4j_threads", "1");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    long n = p.getInt("n");
    long c = p.getInt("c");
    // The floor runs first, in fresh JVMs of its own, like every workload: in one JVM,
    // whichever BLAS threading ran first (one thread per task, or all threads in one call)
    // slowed the other by up to 40 % for several seconds, in both orders. A JVM's multi-
    // threaded mmul itself came out at either ~67 or ~100 GFLOP/s here: the best of two JVMs
    // is the floor, the strictest comparison.
    double floor = Math.max(floorInFreshJvm(n, c), floorInFreshJvm(n, c));
    Array a = Array.uniform(41, new long[] {n, n}, Chunks.of(c, c)).persist(
        dev.tessera.schedulers.Schedulers.sync());
    Array b = Array.uniform(42, new long[] {n, n}, Chunks.of(c, c)).persist(
        dev.tessera.schedulers.Schedulers.sync());
    INDArray ad = a.compute();
    INDArray bd = b.compute();
    int defaultThreads = Nd4j.getEnvironment().maxThreads();
    Scheduler scheduler = W2.scheduler(p);
    Array prod = a.matmul(b);
    return new Trial() {
      @Override
      public Object run() {
        return prod.compute(scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) {
        INDArray direct = ad.mmul(bd);
        double err = ((INDArray) result).sub(direct).norm2Number().doubleValue()
            / direct.norm2Number().doubleValue();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", err < 1e-12);
        r.put("relative_error_vs_unchunked_mmul", err);
        return r;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("GFLOP_per_s", 2.0 * n * n * n / median / 1e9);
        e.put("floor_unchunked_mmul_GFLOP_per_s", floor);
        e.put("blas_library", Machine.blasLibrary());
        e.put("ratio_to_floor", 2.0 * n * n * n / median / 1e9 / floor);
        e.put("floor_threads", defaultThreads);
        e.put("dask_seconds", 2.87);
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }

  /**
   * Prints the floor for {@code n}: the GFLOP/s of one unchunked ND4J {@code mmul} of the
   * workload's matrices, with ND4J's default threads. Run by {@link #floorInFreshJvm}.
   *
   * @param args {@code n} and {@code c}: the matrices are made exactly as the workload's
   */
  public static void main(String[] args) {
    long n = Long.parseLong(args[0]);
    long c = Long.parseLong(args[1]);
    INDArray a = Array.uniform(41, new long[] {n, n}, Chunks.of(c, c)).compute(
        dev.tessera.schedulers.Schedulers.sync());
    INDArray b = Array.uniform(42, new long[] {n, n}, Chunks.of(c, c)).compute(
        dev.tessera.schedulers.Schedulers.sync());
    System.out.println(mmulGflops(a, b, n));
  }

  static double floorInFreshJvm(long n, long c) {
    try {
      java.util.List<String> cmd = new ArrayList<>();
      cmd.add(System.getProperty("java.home") + "/bin/java");
      cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(W4.class.getName());
      cmd.add(Long.toString(n));
      cmd.add(Long.toString(c));
      Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      String out = new String(proc.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8).trim();
      if (proc.waitFor() != 0) {
        throw new IllegalStateException("the floor JVM failed: " + out);
      }
      String[] lines = out.split("\\R");
      return Double.parseDouble(lines[lines.length - 1]);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Median GFLOP/s of unchunked ND4J mmul (after a warm-up), with ND4J's current threads. */
  static double mmulGflops(INDArray a, INDArray b, long n) {
    a.mmul(b);
    List<Double> rates = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      long t0 = System.nanoTime();
      a.mmul(b);
      rates.add(2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9);
    }
    return Bench.median(rates);
  }
}
