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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 003, part 3 ("Easy parallel Monte Carlo"): the bootstrap of a Pearson correlation
 * coefficient. The tutorial reads two columns of jet-power data and resamples them 200,000 times;
 * here the data are 40 points of a correlated pair generated with a fixed seed (the tutorial's
 * file is not public). First as the tutorial does it with ipyparallel: {@code direct.push(dict(n=n,
 * xdata=xdata, ydata=ydata))}, the resamples run on every engine ({@code %%px}), {@code r =
 * direct.gather('r')}; then the Tessera way, a chunked 1-d array of the coefficients whose blocks
 * compute their resamples, its histogram a tree reduction. Resample {@code i} draws with its own
 * seed, so serial, engines and array give the very same coefficients, checked exactly. Prints the
 * 95% percentile confidence interval and draws the histogram.
 *
 * <p>Run: {@code ./examples/run Bootstrap [nboot=200000] [points=40] [out=target/examples]}
 * (writes {@code bootstrap-pearson.png}).
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** The bins of the histogram. */
  static final int BINS = 60;

  /** The answers: the data's own r, every resample's r, the interval and the histogram. */
  record Result(double r, double[] resamples, double lo, double hi, long[] counts) {}

  /** Two correlated columns, like the tutorial's log jet power vs log Bondi power. */
  static double[][] data(int points) {
    SplittableRandom random = new SplittableRandom(2006);
    double[] x = new double[points];
    double[] y = new double[points];
    for (int i = 0; i < points; i++) {
      x[i] = random.nextGaussian(-2, 1);
      y[i] = 43 + 0.8 * x[i] + random.nextGaussian(0, 0.6);
    }
    return new double[][] {x, y};
  }

  /** scipy's {@code pearsonr(x, y)[0]}, two-pass. */
  static double pearson(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /**
   * Resample {@code i}: {@code nmmn.lsd.bootstrap([xdata, ydata])} (pairs drawn with
   * replacement), then its Pearson coefficient. Seeded by i, so it is the same wherever it runs.
   */
  static double resample(double[] x, double[] y, long i) {
    SplittableRandom random = new SplittableRandom(0x9E3779B97F4A7C15L * (i + 1));
    int n = x.length;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int k = 0; k < n; k++) {
      int pick = random.nextInt(n);
      xs[k] = x[pick];
      ys[k] = y[pick];
    }
    return pearson(xs, ys);
  }

  /** Resamples {@code from} to {@code to - 1}. */
  static double[] resamples(double[] x, double[] y, long from, long to) {
    double[] r = new double[(int) (to - from)];
    for (int k = 0; k < r.length; k++) {
      r[k] = resample(x, y, from + k);
    }
    return r;
  }

  /** The tutorial's way: push the data, each engine runs its share, gather r. */
  static double[] withViews(Scheduler scheduler, double[] xdata, double[] ydata, int nboot) {
    DirectView direct = Client.of(scheduler).view();
    direct.push(Map.of("nboot", nboot, "xdata", xdata, "ydata", ydata));   // direct.push(...)
    direct.applySync(ns -> {                                     // %%px: on every engine
      int engines = ns.count();
      int share = ns.<Integer>get("nboot") / engines;            // n = nboot / len(rc.ids)
      int extra = ns.<Integer>get("nboot") % engines;
      long from = (long) ns.engine() * share + Math.min(ns.engine(), extra);
      long to = from + share + (ns.engine() < extra ? 1 : 0);
      double[] r = resamples(ns.get("xdata"), ns.get("ydata"), from, to);
      List<Double> mine = new ArrayList<>(r.length);
      for (double v : r) {
        mine.add(v);
      }
      return ns.put("r", mine);
    });
    List<Double> r = direct.gather("r");                         // r = direct.gather('r')
    direct.applySync(ns -> ns.remove("r"));
    return r.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The Tessera way: the coefficients as a chunked array, each block its own resamples. */
  static Array asArray(double[] x, double[] y, int nboot, int chunk) {
    return Array.fromBlockFunction(info -> Nd4j.createFromArray(
        resamples(x, y, info.offset()[0], info.offset()[0] + info.shape()[0])),
        new long[] {nboot}, Chunks.of(chunk), DType.FLOAT64);
  }

  /** NumPy's {@code np.percentile(r, q)} (linear interpolation) of sorted values. */
  static double percentile(double[] sorted, double q) {
    double pos = q / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Serial histogram counts, NumPy's rule: half-open bins, the last one closed. */
  static long[] counts(double[] values, int bins, double lo, double hi) {
    long[] c = new long[bins];
    for (double v : values) {
      if (v >= lo && v <= hi) {
        c[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
      }
    }
    return c;
  }

  /**
   * Runs the bootstrap both ways on {@code scheduler}, checks them against the serial loop,
   * draws the histogram into {@code out} and returns the answers.
   */
  static Result run(int nboot, int points, Scheduler scheduler, Path out) {
    double[][] d = data(points);
    double[] serial = resamples(d[0], d[1], 0, nboot);
    double[] views = withViews(scheduler, d[0], d[1], nboot);
    Array r = asArray(d[0], d[1], nboot, chunkFor(nboot));
    double[] array = r.compute(scheduler).toDoubleVector();
    // the histogram's range: the coefficients' own, widened to multiples of 0.05
    List<Object> range = Tessera.compute(List.of(r.min(), r.max()), scheduler);
    double min = Math.floor(((INDArray) range.get(0)).getDouble(0) * 20) / 20;
    double max = Math.min(1, Math.ceil(((INDArray) range.get(1)).getDouble(0) * 20) / 20);
    long[] hist = r.histogram(BINS, min, max).counts().compute(scheduler).toLongVector();
    Stopwatch.check("the engines' resamples equal the serial loop", Arrays.equals(views, serial),
        nboot + " coefficients");
    Stopwatch.check("the array's resamples equal the serial loop", Arrays.equals(array, serial),
        nboot + " coefficients");
    Stopwatch.check("the array's histogram equals the serial counts",
        Arrays.equals(hist, counts(serial, BINS, min, max)), String.format(Locale.ROOT,
        "%d bins over [%.2f, %.2f]", BINS, min, max));
    double[] sorted = serial.clone();
    Arrays.sort(sorted);
    double lo = percentile(sorted, 2.5);
    double hi = percentile(sorted, 97.5);
    double r0 = pearson(d[0], d[1]);
    Figures.histogram(out.resolve("bootstrap-pearson.png"), String.format(Locale.ROOT,
        "bootstrap of Pearson's r: %,d resamples of %d points (r = %.3f)", nboot, points, r0),
        "r", serial, BINS, min, max, lo, hi, 720, 440);
    return new Result(r0, serial, lo, hi, hist);
  }

  static int chunkFor(int nboot) {
    return Math.max(1, (nboot + 15) / 16);
  }

  /**
   * Runs the example, then times it serial vs parallel.
   *
   * @param args optional {@code nboot=200000}, {@code points=40}, {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int nboot = a.integer("nboot", 200_000);
    int points = a.integer("points", 40);
    Path out = a.out();
    System.out.printf(Locale.ROOT, "Bootstrap (seed 003): Pearson's r of %d points, %,d"
        + " resamples%n", points, nboot);
    Scheduler threads = Tessera.scheduler();
    Result res = run(nboot, points, threads, out);
    System.out.printf(Locale.ROOT, "  r = %.4f, 95%% bootstrap interval [%.4f, %.4f]%n",
        res.r(), res.lo(), res.hi());
    System.out.println("  histogram: " + out.resolve("bootstrap-pearson.png"));
    double[][] d = data(points);
    int chunk = chunkFor(nboot);
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      double serial = Stopwatch.median(3, () -> resamples(d[0], d[1], 0, nboot));
      double viewsThreads = Stopwatch.median(3, () -> withViews(threads, d[0], d[1], nboot));
      double viewsJvms = Stopwatch.median(3, () -> withViews(jvms, d[0], d[1], nboot));
      double arrayThreads = Stopwatch.median(3, () -> asArray(d[0], d[1], nboot, chunk)
          .compute(threads));
      double arrayJvms = Stopwatch.median(3, () -> asArray(d[0], d[1], nboot, chunk)
          .compute(jvms));
      Stopwatch.report("push/%px/gather", serial, "threads", viewsThreads, "2 worker JVMs",
          viewsJvms);
      Stopwatch.report("chunked array", serial, "threads", arrayThreads, "2 worker JVMs",
          arrayJvms);
    }
  }
}
