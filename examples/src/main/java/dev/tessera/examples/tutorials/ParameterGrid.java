package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.pool.Pool;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 003, part 1 ("Mapping a model to a grid of parameters"): a time-wasting model
 * f(mu, sigma), the sum of 100,000 normal draws of mean mu and deviation sigma, evaluated over a
 * grid of parameters. First as the tutorial does it, {@code pool.map(f, pargs)} over a list of
 * [mu, sigma] pairs; then the Tessera way, a chunked 2-d array whose blocks evaluate their
 * cells. Both are checked against the serial map (exactly: every cell seeds its own draws), timed
 * serial vs parallel on the default scheduler and on 2 worker JVMs, and drawn as a heat map.
 *
 * <p>Run: {@code ./examples/run ParameterGrid [n=40] [draws=100000] [out=target/examples]}
 * (an n x n grid; writes {@code parameter-grid.png}).
 */
public final class ParameterGrid {
  private ParameterGrid() {}

  /** The grid's axes and its values, f(mu[i], sigma[j]). */
  record Result(double[] mu, double[] sigma, double[][] f) {}

  /**
   * The tutorial's {@code f(z)}: {@code np.random.normal(z[0], z[1], 100000).sum()}. The draws
   * are seeded by the parameters, so every run (serial, threads, worker JVMs) draws the same.
   */
  static double f(double mu, double sigma, int draws) {
    SplittableRandom random = new SplittableRandom(
        Double.doubleToLongBits(mu) * 31 + Double.doubleToLongBits(sigma));
    double sum = 0;
    for (int i = 0; i < draws; i++) {
      sum += random.nextGaussian(mu, sigma);
    }
    return sum;
  }

  /** NumPy's {@code np.linspace(lo, hi, n)}. */
  static double[] linspace(double lo, double hi, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
    }
    return x;
  }

  /** The serial map: a plain double loop. */
  static double[][] serial(double[] mu, double[] sigma, int draws) {
    double[][] out = new double[mu.length][sigma.length];
    for (int i = 0; i < mu.length; i++) {
      for (int j = 0; j < sigma.length; j++) {
        out[i][j] = f(mu[i], sigma[j], draws);
      }
    }
    return out;
  }

  /** The tutorial's way: a list of [mu, sigma] pairs, {@code t = pool.map(f, pargs)}. */
  static double[][] withPool(Pool pool, double[] mu, double[] sigma, int draws) {
    List<List<Double>> pargs = new ArrayList<>();                // pargs = [[Xi, Yi], ...]
    for (double m : mu) {
      for (double s : sigma) {
        pargs.add(List.of(m, s));
      }
    }
    List<Double> t = pool.map(z -> f(z.get(0), z.get(1), draws), pargs);   // pool.map(f, pargs)
    double[][] out = new double[mu.length][sigma.length];
    for (int k = 0; k < t.size(); k++) {
      out[k / sigma.length][k % sigma.length] = t.get(k);
    }
    return out;
  }

  /**
   * The Tessera way: an n x n array of chunks, each block's task evaluating the cells it
   * covers, so there is one task per block instead of one message per cell.
   */
  static Array asArray(double[] mu, double[] sigma, int draws, int chunk) {
    return Array.fromBlockFunction(info -> {
      int rows = (int) info.shape()[0];
      int cols = (int) info.shape()[1];
      double[][] block = new double[rows][cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          block[i][j] = f(mu[(int) info.offset()[0] + i], sigma[(int) info.offset()[1] + j],
              draws);
        }
      }
      return Nd4j.createFromArray(block);
    }, new long[] {mu.length, sigma.length}, Chunks.of(chunk, chunk), DType.FLOAT64);
  }

  static double[][] toMatrix(INDArray a) {
    return a.toDoubleMatrix();
  }

  /**
   * Runs the example at size {@code n} x {@code n} on {@code scheduler} (both ways), checks both
   * against the serial map, writes the heat map to {@code out}, and returns the grid.
   */
  static Result run(int n, int draws, Scheduler scheduler, Path out) {
    double[] mu = linspace(-1, 1, n);                            // X = np.linspace(-1, 1, n)
    double[] sigma = linspace(0.1, 1, n);                        // Y = np.linspace(0.1, 1, n)
    double[][] serial = serial(mu, sigma, draws);
    double[][] pooled;
    try (Pool pool = Pool.on(scheduler)) {
      pooled = withPool(pool, mu, sigma, draws);
    }
    double[][] array = toMatrix(asArray(mu, sigma, draws, chunkFor(n)).compute(scheduler));
    Stopwatch.check("pool.map equals the serial map", java.util.Arrays.deepEquals(pooled, serial),
        n * n + " cells");
    Stopwatch.check("the chunked array equals the serial map",
        java.util.Arrays.deepEquals(array, serial), n * n + " cells");
    Figures.heatMap(out.resolve("parameter-grid.png"), "sum of " + draws
        + " normal draws, f(mu, sigma)", "mu (mean)", mu, "sigma (standard deviation)", sigma,
        serial, 640, 520);
    return new Result(mu, sigma, serial);
  }

  /** About 4 blocks per axis, so 16 tasks share 2 cores with room to balance. */
  static int chunkFor(int n) {
    return Math.max(1, (n + 3) / 4);
  }

  /**
   * Runs the example, then times it serial vs parallel.
   *
   * @param args optional {@code n=40}, {@code draws=100000}, {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int n = a.integer("n", 40);
    int draws = a.integer("draws", 100_000);
    Path out = a.out();
    System.out.printf(Locale.ROOT, "ParameterGrid (seed 003): f(mu, sigma) over a %d x %d grid,"
        + " %,d draws each%n", n, n, draws);
    Scheduler threads = Tessera.scheduler();
    Result r = run(n, draws, threads, out);
    System.out.printf(Locale.ROOT, "  f(-1, 0.1) = %.1f (expected about %d), f(1, 1) = %.1f"
        + " (about %d)%n", r.f()[0][0], -draws, r.f()[n - 1][n - 1], draws);
    System.out.println("  heat map: " + out.resolve("parameter-grid.png"));
    double[] mu = r.mu();
    double[] sigma = r.sigma();
    int c = chunkFor(n);
    try (ProcessScheduler jvms = Schedulers.processes(2);
         Pool threadPool = Pool.on(threads);
         Pool jvmPool = Pool.on(jvms)) {
      double serial = Stopwatch.median(3, () -> serial(mu, sigma, draws));
      double poolThreads = Stopwatch.median(3, () -> withPool(threadPool, mu, sigma, draws));
      double poolJvms = Stopwatch.median(3, () -> withPool(jvmPool, mu, sigma, draws));
      double arrayThreads = Stopwatch.median(3, () -> asArray(mu, sigma, draws, c)
          .compute(threads));
      double arrayJvms = Stopwatch.median(3, () -> asArray(mu, sigma, draws, c).compute(jvms));
      Stopwatch.report("pool.map", serial, "threads", poolThreads, "2 worker JVMs", poolJvms);
      Stopwatch.report("chunked array", serial, "threads", arrayThreads, "2 worker JVMs",
          arrayJvms);
    }
  }
}
