package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seed 001 (the ipyparallel lab), Problems 3 and 4: every engine draws {@code n} numbers from
 * the standard normal distribution with {@code apply_sync} and reports their mean, max and min;
 * then the time of that on all engines at once against a serial loop over as many draws, for
 * n, 5n, 10n and 15n (the lab's 1, 5, 10 and 15 million). The Tessera way is a chunked
 * {@code Array.normal} of one row per engine, reduced along its rows. Each engine's stream is
 * seeded by its id, so the serial loop draws exactly the same numbers and the statistics must
 * be equal. Run it with {@code ./examples/run NormalDraws [n=1000000]}.
 */
public final class NormalDraws {
  private NormalDraws() {}

  static final long SEED = 1_000;

  /**
   * One engine's work: {@code a = np.random.randn(n)}, then its mean, max and min. The draws are
   * summarized as they come rather than kept: the same numbers, without an array of n.
   */
  static double[] draw(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double x = random.nextGaussian();
      sum += x;
      max = Math.max(max, x);
      min = Math.min(min, x);
    }
    return new double[] {sum / n, max, min};
  }

  /** Problem 3: {@code dview.apply_sync(draw)}, one {mean, max, min} per engine. */
  static List<double[]> parallel(DirectView dview, int n) {
    return dview.applySync(ns -> draw(SEED + ns.engine(), n));
  }

  /** The serial loop: the engines' draws one after the other, in this thread. */
  static List<double[]> serial(List<Integer> engines, int n) {
    List<double[]> out = new ArrayList<>();
    for (int e : engines) {
      out.add(draw(SEED + e, n));
    }
    return out;
  }

  /** The Tessera way: one row of n per engine, in blocks of at most a million; stats per row. */
  static Array draws(int engines, int n) {
    return Array.normal(SEED, 0, 1, new long[] {engines, n},
        Chunks.of(1, Math.min(n, 1_000_000)), DType.FLOAT64);
  }

  /** The rows' means, maxima and minima of {@link #draws}, computed together. */
  static List<INDArray> arrayStats(int engines, int n, Scheduler scheduler) {
    Array x = draws(engines, n);
    List<INDArray> out = new ArrayList<>();   // Array.compute(...) has no scheduler argument
    for (Object o : Tessera.compute(List.of(x.mean(1), x.max(1), x.min(1)), scheduler)) {
      out.add((INDArray) o);
    }
    return out;
  }

  static String show(List<double[]> stats, int which) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < stats.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.7f",
          stats.get(i)[which]));
    }
    return s.append(']').toString();
  }

  /** Checks the engines' statistics against the serial ones and against the law of n draws. */
  static void check(List<double[]> parallel, List<double[]> serial, int n) {
    boolean same = parallel.size() == serial.size();
    boolean plausible = true;
    for (int i = 0; same && i < serial.size(); i++) {
      same = Arrays.equals(parallel.get(i), serial.get(i));
      // the mean of n standard normals has standard deviation 1 / sqrt(n): 6 of them is
      // a failure once in 10^9 runs; the max of a million is about 4.9, never below 2
      plausible &= Math.abs(serial.get(i)[0]) < 6 / Math.sqrt(n)
          && serial.get(i)[1] > 0 && serial.get(i)[2] < 0;
    }
    Stopwatch.check("engines' mean/max/min == serial", same, serial.size() + " engines, exact");
    Stopwatch.check("|mean| < 6 / sqrt(n)", plausible, "n = " + n);
  }

  /**
   * Runs the example.
   *
   * @param args {@code n=N} draws per engine (default 1,000,000; Problem 4 times n, 5n, 10n,
   *     15n)
   */
  public static void main(String[] args) {
    int n = Cli.of(args).integer("n", 1_000_000);
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      DirectView onThreads = Client.of(threads).view();
      DirectView onJvms = Client.of(jvms).view();
      List<double[]> stats = parallel(onJvms, n);
      System.out.println("Problem 3, " + n + " draws on each of " + stats.size()
          + " worker JVMs:");
      System.out.println("  means = " + show(stats, 0));
      System.out.println("  maxs = " + show(stats, 1));
      System.out.println("  mins = " + show(stats, 2));
      List<double[]> serial = serial(onJvms.ids(), n);
      check(stats, serial, n);
      check(parallel(onThreads, n), serial, n);

      List<INDArray> a = arrayStats(2, n, threads);
      INDArray whole = draws(2, n).compute(threads);
      boolean same = true;
      for (int r = 0; r < 2; r++) {
        double[] row = whole.getRow(r).toDoubleVector();
        same &= Math.abs(a.get(0).getDouble(r) - Arrays.stream(row).sum() / n) < 1e-12
            && a.get(1).getDouble(r) == Arrays.stream(row).max().orElseThrow()
            && a.get(2).getDouble(r) == Arrays.stream(row).min().orElseThrow();
      }
      Stopwatch.check("Array.normal rows' mean/max/min == the same numbers' serial stats",
          same, "mean to 1e-12, max and min exact; means " + a.get(0));

      System.out.println("Problem 4, time of " + onJvms.ids().size() + " x n draws:");
      for (int m : new int[] {1, 5, 10, 15}) {
        int size = m * n;
        Stopwatch.report(String.format(Locale.ROOT, "n = %,d", size),
            Stopwatch.median(3, () -> serial(onJvms.ids(), size)),
            "apply_sync on threads", Stopwatch.median(3, () -> parallel(onThreads, size)),
            "apply_sync on 2 JVMs", Stopwatch.median(3, () -> parallel(onJvms, size)),
            "Array.normal on threads", Stopwatch.median(1, () -> arrayStats(2, size, threads)),
            "Array.normal on 2 JVMs", Stopwatch.median(1, () -> arrayStats(2, size, jvms)));
      }
    }
  }
}
