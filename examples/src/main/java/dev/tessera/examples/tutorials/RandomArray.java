package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.views.Client;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seed 004 ("dask.array (NumPy)"): {@code my_array = da.random.random((5_000, 5_000),
 * chunks=(500, 500)); result = my_array + my_array.T; result.compute()}, with the mean and sum
 * the array example it links computes. Checked against ND4J on the whole array at once (the
 * serial NumPy line) and timed: one thread ({@code Schedulers.sync()}, the same chunks), the
 * default threaded scheduler and 2 worker JVMs.
 *
 * <p>Run: {@code ./examples/run RandomArray [n=5000] [chunk=500]}
 */
public final class RandomArray {
  private RandomArray() {}

  /** The answers: the sum and mean of {@code x + x.T}, and x's own mean. */
  record Result(double sum, double mean, double meanOfX, double serialSum, double serialMean) {}

  /** {@code da.random.random((n, n), chunks=(chunk, chunk))}: uniform on [0, 1), seeded. */
  static Array myArray(int n, int chunk) {
    return Array.uniform(42, new long[] {n, n}, Chunks.of(chunk, chunk));
  }

  /** The three values, in one computation (the generated blocks are shared). */
  static double[] compute(Array myArray, Scheduler scheduler) {
    Array result = myArray.add(myArray.T());                     // my_array + my_array.T
    List<Object> v = Tessera.compute(List.of(result.sum(), result.mean(), myArray.mean()),
        scheduler);
    return new double[] {((INDArray) v.get(0)).getDouble(0), ((INDArray) v.get(1)).getDouble(0),
        ((INDArray) v.get(2)).getDouble(0)};
  }

  /** The serial NumPy lines on the whole array: {@code (a + a.T).sum()}, {@code .mean()}. */
  static double[] direct(INDArray a) {
    INDArray result = a.add(a.transpose());
    return new double[] {result.sumNumber().doubleValue(), result.meanNumber().doubleValue(),
        a.meanNumber().doubleValue()};
  }

  /** Runs on {@code scheduler}, checks against ND4J on the whole array (relative 1e-12). */
  static Result run(int n, int chunk, Scheduler scheduler) {
    Array x = myArray(n, chunk);
    double[] chunked = compute(x, scheduler);
    double[] serial = direct(x.compute(scheduler));
    for (int i = 0; i < 3; i++) {
      double rel = Math.abs(chunked[i] - serial[i]) / Math.abs(serial[i]);
      Stopwatch.check(new String[] {"sum", "mean", "mean of x"}[i] + " equals ND4J's on the"
          + " whole array", rel < 1e-12, String.format(Locale.ROOT, "%.15g vs %.15g, relative"
          + " %.1e", chunked[i], serial[i], rel));
    }
    return new Result(chunked[0], chunked[1], chunked[2], serial[0], serial[1]);
  }

  /**
   * Runs the example, then times it.
   *
   * @param args optional {@code n=5000}, {@code chunk=500}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int n = a.integer("n", 5000);
    int chunk = a.integer("chunk", 500);
    Array.setNd4jThreads(1); // the scheduler runs one block per core; ND4J must not as well
    System.out.printf(Locale.ROOT, "RandomArray (seed 004): (x + x.T) of a %,d x %,d uniform"
        + " array in %d x %d chunks%n", n, n, chunk, chunk);
    Scheduler threads = Tessera.scheduler();
    Result r = run(n, chunk, threads);
    System.out.printf(Locale.ROOT, "  sum %.6f, mean %.8f (expected about 1), mean of x %.8f%n",
        r.sum(), r.mean(), r.meanOfX());
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      // the worker JVMs run one block per core too: one ND4J thread per operation there as well
      // (Array.setNd4jThreads is per JVM; without this the QR on workers was 5x slower here)
      Client.of(jvms).view().applySync(ns -> {
        Array.setNd4jThreads(1);
        return true;
      });
      double serial = Stopwatch.median(3, () -> compute(myArray(n, chunk), Schedulers.sync()));
      double t = Stopwatch.median(3, () -> compute(myArray(n, chunk), threads));
      double j = Stopwatch.median(3, () -> compute(myArray(n, chunk), jvms));
      Stopwatch.report("x + x.T, sum and means", serial, "threads", t, "2 worker JVMs", j);
    }
  }
}
