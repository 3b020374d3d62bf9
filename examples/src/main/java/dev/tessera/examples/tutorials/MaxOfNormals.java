package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Seed 001 (the ipyparallel lab), Problem 5: X is the maximum of N draws from the standard
 * normal distribution; take 500,000 draws of X, every engine an equal share (however many
 * engines there are: {@code client.ids}), and plot their histogram, which approximates the
 * density of X; for N = 1 ... 10 the densities shift right and narrow. The checks: the
 * engines' histogram equals the serial one drawn from the same per-engine seeds, and the sample
 * means of X for N = 1, 2, 3 agree with the closed forms 0, 1/sqrt(pi) and 3/(2 sqrt(pi)) within
 * 5 standard errors. The Tessera way is a chunked {@code Array.normal(draws, N)} reduced with
 * {@code max(1)} and its {@code histogram}. Writes {@code max-of-normals.png}. Run it with
 * {@code ./examples/run MaxOfNormals [draws=500000] [maxN=10] [out=target/examples]}.
 */
public final class MaxOfNormals {
  private MaxOfNormals() {}

  static final double LO = -4.5;
  static final double HI = 5.0;
  static final int BINS = 95;   // bins of 0.1

  /** One engine's share: {@code count} draws of the maximum of {@code n} standard normals. */
  static double[] maxima(long seed, int n, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[count];
    for (int i = 0; i < count; i++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        m = Math.max(m, random.nextGaussian());
      }
      x[i] = m;
    }
    return x;
  }

  /** How many of {@code draws} engine {@code p} of {@code engines} takes: an equal share. */
  static int share(int draws, int p, int engines) {
    return draws / engines + (p < draws % engines ? 1 : 0);
  }

  static long seed(int n, int engine) {
    return 31L * n + engine;
  }

  /** The engines' draws for one N, with apply_sync: each engine its own share and seed. */
  static List<double[]> parallel(DirectView dview, int n, int draws) {
    int engines = dview.ids().size();                  // len(client.ids)
    return dview.applySync(ns -> maxima(seed(n, ns.engine()), n,
        share(draws, ns.engine(), engines)));
  }

  /** The same draws, serially. */
  static List<double[]> serial(List<Integer> engines, int n, int draws) {
    List<double[]> out = new ArrayList<>();
    for (int e : engines) {
      out.add(maxima(seed(n, e), n, share(draws, e, engines.size())));
    }
    return out;
  }

  /** Counts per bin of width (HI - LO) / BINS; values outside [LO, HI) are left out. */
  static long[] histogram(List<double[]> pieces) {
    long[] counts = new long[BINS];
    for (double[] piece : pieces) {
      for (double v : piece) {
        int b = (int) Math.floor((v - LO) / (HI - LO) * BINS);
        if (b >= 0 && b < BINS) {
          counts[b]++;
        }
      }
    }
    return counts;
  }

  static double mean(List<double[]> pieces) {
    double s = 0;
    long k = 0;
    for (double[] p : pieces) {
      for (double v : p) {
        s += v;
        k++;
      }
    }
    return s / k;
  }

  /**
   * The closed-form mean and standard deviation of the maximum of n = 1, 2, 3 standard
   * normals: 0 and 1; 1/sqrt(pi) and sqrt(1 - 1/pi); 3/(2 sqrt(pi)) and
   * sqrt(1 + sqrt(3)/(2 pi) - 9/(4 pi)).
   */
  static double[] exact(int n) {
    return switch (n) {
      case 1 -> new double[] {0, 1};
      case 2 -> new double[] {1 / Math.sqrt(Math.PI), Math.sqrt(1 - 1 / Math.PI)};
      case 3 -> new double[] {1.5 / Math.sqrt(Math.PI),
          Math.sqrt(1 + Math.sqrt(3) / (2 * Math.PI) - 9 / (4 * Math.PI))};
      default -> null;
    };
  }

  /** The Tessera way: draws x N normals in blocks of rows, maxima along the rows. */
  static Array arrayMaxima(int n, int draws, int blocks) {
    return Array.normal(7 + n, 0, 1, new long[] {draws, n},
        Chunks.of((draws + blocks - 1) / blocks, n), DType.FLOAT64).max(1);
  }

  /** What the example computed for one N, for the checks and the test. */
  record Row(int n, long[] histogram, long[] serialHistogram, double mean, double arrayMean,
      long arrayCounted) {}

  static Row row(DirectView dview, Scheduler scheduler, int n, int draws) {
    List<double[]> p = parallel(dview, n, draws);
    long counted = arrayMaxima(n, draws, 8).histogram(BINS, LO, HI).counts().sum()
        .compute(scheduler).getLong(0);
    double arrayMean = arrayMaxima(n, draws, 8).mean().compute(scheduler).getDouble(0);
    return new Row(n, histogram(p), histogram(serial(dview.ids(), n, draws)), mean(p),
        arrayMean, counted);
  }

  /** Checks one row: the same histogram as the serial one, and the closed-form means. */
  static void check(Row r, int draws) {
    Stopwatch.check("N = " + r.n() + ": histogram == serial histogram",
        java.util.Arrays.equals(r.histogram(), r.serialHistogram()), BINS + " bins, exact");
    double[] e = exact(r.n());
    if (e != null) {
      double tol = 5 * e[1] / Math.sqrt(draws);       // 5 standard errors of the mean
      Stopwatch.check("N = " + r.n() + ": mean of X", Math.abs(r.mean() - e[0]) < tol
          && Math.abs(r.arrayMean() - e[0]) < tol, String.format(Locale.ROOT,
          "views %.5f, Array %.5f, closed form %.5f +- %.5f", r.mean(), r.arrayMean(), e[0],
          tol));
    }
    Stopwatch.check("N = " + r.n() + ": Array histogram counts", r.arrayCounted() <= draws
        && r.arrayCounted() > draws * 0.999, r.arrayCounted() + " of " + draws + " in range");
  }

  /** The densities (counts / (draws x bin width)) for N = 1 ... rows.size(), as a PNG. */
  static Path plot(List<Row> rows, int draws, Path out) {
    XYChart c = Png.chart(800, 500, String.format(Locale.ROOT,
        "Maximum of N standard normal draws (%,d draws of X each)", draws), "x", "density");
    double width = (HI - LO) / BINS;
    double[] x = new double[BINS];
    for (int b = 0; b < BINS; b++) {
      x[b] = LO + (b + 0.5) * width;
    }
    for (Row r : rows) {
      double[] y = new double[BINS];
      for (int b = 0; b < BINS; b++) {
        y[b] = r.histogram()[b] / (draws * width);
      }
      XYSeries s = c.addSeries("N = " + r.n(), x, y);
      s.setMarker(SeriesMarkers.NONE);
    }
    c.getStyler().setXAxisMin(-4.0).setXAxisMax(5.0);
    return Png.write(c, out, "max-of-normals.png");
  }

  /** The whole example on one scheduler: one row per N, checked, and the picture. */
  static List<Row> run(Scheduler scheduler, int draws, int maxN, Path out) {
    DirectView dview = Client.of(scheduler).view();   // dview = client[:]
    List<Row> rows = new ArrayList<>();
    for (int n = 1; n <= maxN; n++) {
      Row r = row(dview, scheduler, n, draws);
      check(r, draws);
      rows.add(r);
    }
    plot(rows, draws, out);
    return rows;
  }

  /**
   * Runs the example.
   *
   * @param args {@code draws=N} (default 500,000), {@code maxN=N} (default 10), {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    int draws = cli.integer("draws", 500_000);
    int maxN = cli.integer("maxN", 10);
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      System.out.println("Problem 5 on 2 worker JVMs, " + draws + " draws of X per N:");
      run(jvms, draws, maxN, cli.out());
      DirectView onThreads = Client.of(threads).view();
      DirectView onJvms = Client.of(jvms).view();
      Stopwatch.report("N = 1 ... " + maxN, Stopwatch.median(3, () -> {
        for (int n = 1; n <= maxN; n++) {
          serial(onJvms.ids(), n, draws);
        }
      }), "views on threads", Stopwatch.median(3, () -> {
        for (int n = 1; n <= maxN; n++) {
          parallel(onThreads, n, draws);
        }
      }), "views on 2 JVMs", Stopwatch.median(3, () -> {
        for (int n = 1; n <= maxN; n++) {
          parallel(onJvms, n, draws);
        }
      }), "Array.max on threads", Stopwatch.median(1, () -> {
        for (int n = 1; n <= maxN; n++) {
          arrayMaxima(n, draws, 8).compute(threads);
        }
      }), "Array.max on 2 JVMs", Stopwatch.median(1, () -> {
        for (int n = 1; n <= maxN; n++) {
          arrayMaxima(n, draws, 8).compute(jvms);
        }
      }));
    }
  }
}
