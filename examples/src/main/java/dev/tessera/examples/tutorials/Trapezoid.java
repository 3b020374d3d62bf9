package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 001 (the ipyparallel lab), Problem 6: {@code parallel_trapezoidal_rule(f, a, b, n)}, the
 * trapezoidal rule {@code h/2 sum (f(x_k+1) + f(x_k))} on n evenly spaced points with the
 * intervals divided evenly among the engines (each engine sums its own, the sums are added),
 * for a user function: here x^2 sin x on [0, pi], whose integral is pi^2 - 4. Checked against
 * the serial rule (equal up to rounding) and the closed form (within the rule's error bound
 * (b - a) h^2 max|f''| / 12). The Tessera way is a chunked {@code Array.linspace} mapped by
 * f block by block and summed. Writes {@code trapezoid.png}, the lab's Figure 1.3 (the rule
 * on a few points). Run it with {@code ./examples/run Trapezoid [n=20000000]}.
 */
public final class Trapezoid {
  private Trapezoid() {}

  /** A function to integrate; serializable, so it can travel to worker JVMs. */
  @FunctionalInterface
  interface Integrand extends Serializable {
    /** The value at x. */
    double at(double x);
  }

  /** The lab's user function, and what its integral and second derivative bound are. */
  static final Integrand F = x -> x * x * Math.sin(x);
  static final double A = 0;
  static final double B = Math.PI;
  static final double EXACT = Math.PI * Math.PI - 4;
  /** |f''(x)| = |2 sin x + 4x cos x - x^2 sin x| is at most 2 + 4 pi + pi^2 on [0, pi]. */
  static final double F2_BOUND = 2 + 4 * Math.PI + Math.PI * Math.PI;

  /** The rule on the intervals [x_lo, x_lo+1], ..., [x_hi-1, x_hi] of n points from a to b. */
  static double trapezoid(Integrand f, double a, double b, int n, int lo, int hi) {
    double h = (b - a) / (n - 1);
    double sum = 0;
    double left = f.at(a + lo * h);
    for (int k = lo; k < hi; k++) {
      double right = f.at(a + (k + 1) * h);
      sum += left + right;
      left = right;
    }
    return h / 2 * sum;
  }

  /** The serial rule on all n points. */
  static double serial(Integrand f, double a, double b, int n) {
    return trapezoid(f, a, b, n, 0, n - 1);
  }

  /**
   * The lab's {@code parallel_trapezoidal_rule}: the n - 1 intervals cut into one contiguous
   * range per engine, scattered ({@code dview.scatter}), each engine's sum computed where it
   * is, and the sums added here.
   */
  static double parallelTrapezoidalRule(DirectView dview, Integrand f, double a, double b,
      int n) {
    int engines = dview.ids().size();
    List<int[]> ranges = new ArrayList<>();
    for (int p = 0; p < engines; p++) {
      ranges.add(new int[] {(int) ((long) (n - 1) * p / engines),
          (int) ((long) (n - 1) * (p + 1) / engines)});
    }
    dview.scatter("range", ranges);                        // one [lo, hi) per engine
    List<Double> sums = dview.applySync(ns -> {
      double s = 0;
      for (int[] r : ns.<List<int[]>>get("range")) {
        s += trapezoid(f, a, b, n, r[0], r[1]);
      }
      return s;
    });
    return sums.stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * The Tessera way: the n points as a chunked {@code linspace}, f applied block by block, and
   * the rule as h times (the sum of f minus half its two end values).
   */
  static double array(Integrand f, double a, double b, int n, int blocks, Scheduler scheduler) {
    Array x = Array.linspace(a, b, n, Chunks.of((n + blocks - 1) / blocks), DType.FLOAT64);
    Array fx = x.mapBlocks(block -> {
      double[] v = block[0].toDoubleVector();
      for (int i = 0; i < v.length; i++) {
        v[i] = f.at(v[i]);
      }
      return Nd4j.createFromArray(v);
    }, DType.FLOAT64);
    double h = (b - a) / (n - 1);
    return h * (fx.sum().compute(scheduler).getDouble(0) - (f.at(a) + f.at(b)) / 2);
  }

  /** The rule's error bound for n points: (b - a) h^2 max|f''| / 12. */
  static double bound(int n) {
    double h = (B - A) / (n - 1);
    return (B - A) * h * h * F2_BOUND / 12;
  }

  /** The three estimates, for the test. */
  record Result(double serial, double parallel, double array) {}

  static Result run(Scheduler scheduler, int n) {
    DirectView dview = Client.of(scheduler).view();
    return new Result(serial(F, A, B, n), parallelTrapezoidalRule(dview, F, A, B, n),
        array(F, A, B, n, 16, scheduler));
  }

  /**
   * Rounding: a sum of n terms carries an error of about sqrt(n) ulps of the total (random
   * walk); ten times that is what two summation orders may differ by.
   */
  static double rounding(int n) {
    return 10 * Math.sqrt(n) * Math.ulp(EXACT);
  }

  static void check(Result r, int n) {
    Stopwatch.check("parallel == serial", Math.abs(r.parallel() - r.serial()) <= rounding(n),
        String.format(Locale.ROOT, "%.15f vs %.15f, to %.1e", r.parallel(), r.serial(),
            rounding(n)));
    Stopwatch.check("Array == serial", Math.abs(r.array() - r.serial()) <= rounding(n),
        String.format(Locale.ROOT, "%.15f", r.array()));
    double error = Math.abs(r.serial() - EXACT);
    Stopwatch.check("error against pi^2 - 4 within the bound", error <= bound(n) + rounding(n),
        String.format(Locale.ROOT, "error %.3e, bound (b - a) h^2 max|f''| / 12 = %.3e,"
            + " rounding %.1e", error, bound(n), rounding(n)));
  }

  /** The lab's Figure 1.3: f and its trapezoids on {@code points} points. */
  static Path plot(int points, Path out) {
    XYChart c = Png.chart(640, 400, "The trapezoidal rule on " + points
        + " points: x^2 sin x on [0, pi]", "x", "f(x)");
    int fine = 200;
    double[] fx = new double[fine + 1];
    double[] fy = new double[fine + 1];
    for (int i = 0; i <= fine; i++) {
      fx[i] = A + (B - A) * i / fine;
      fy[i] = F.at(fx[i]);
    }
    double[] tx = new double[points];
    double[] ty = new double[points];
    for (int k = 0; k < points; k++) {
      tx[k] = A + (B - A) * k / (points - 1);
      ty[k] = F.at(tx[k]);
    }
    XYSeries t = c.addSeries(String.format(Locale.ROOT, "trapezoids: %.4f",
        serial(F, A, B, points)), tx, ty);
    t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    t.setMarker(SeriesMarkers.CIRCLE);
    XYSeries s = c.addSeries(String.format(Locale.ROOT, "f, integral pi^2 - 4 = %.4f", EXACT),
        fx, fy);
    s.setMarker(SeriesMarkers.NONE);
    return Png.write(c, out, "trapezoid.png");
  }

  /**
   * Runs the example.
   *
   * @param args {@code n=N} points (default 20,000,000), {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    int n = cli.integer("n", 20_000_000);
    plot(8, cli.out());
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      for (Scheduler s : List.of(threads, jvms)) {
        Result r = run(s, n);
        System.out.printf(Locale.ROOT, "on %s: %,d points, integral %.15f (pi^2 - 4 = %.15f)%n",
            s, n, r.parallel(), EXACT);
        check(r, n);
      }
      DirectView onThreads = Client.of(threads).view();
      DirectView onJvms = Client.of(jvms).view();
      Stopwatch.report("trapezoidal rule", Stopwatch.median(3, () -> serial(F, A, B, n)),
          "views on threads", Stopwatch.median(3, () -> parallelTrapezoidalRule(onThreads, F, A,
              B, n)),
          "views on 2 JVMs", Stopwatch.median(3, () -> parallelTrapezoidalRule(onJvms, F, A, B,
              n)),
          "Array on threads", Stopwatch.median(3, () -> array(F, A, B, n, 16, threads)),
          "Array on 2 JVMs", Stopwatch.median(3, () -> array(F, A, B, n, 16, jvms)));
    }
  }
}
