package dev.tessera.examples;

import dev.tessera.dashboard.Dashboard;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Tessera;
import java.util.ArrayList;
import java.util.List;

/**
 * The guided tour: {@code ./tour}. Each stop builds a lazy computation and computes it on the
 * default scheduler (threaded, one worker per core), printing what it did.
 */
public final class Tour {
  private Tour() {}

  /**
   * Runs the tour.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("Tessera tour, on scheduler " + Tessera.scheduler().name());
    delayed();
    // the longest stop runs under a live dashboard: open the URL to watch its tasks
    try (Dashboard d = Dashboard.builder().quiet().start()) {
      System.out.println();
      System.out.println("Live dashboard of the next stop, while it runs: " + d.url());
      ArrayTour.run();
    }
    FrameTour.run();
    BagTour.run();
    DiagnosticsTour.run();
  }

  static int inc(int x) {
    return x + 1;
  }

  static int add(int a, int b) {
    return a + b;
  }

  /** Stop 1: Delayed, the trapezoid rule split into lazy pieces. */
  static void delayed() {
    System.out.println();
    System.out.println("Delayed: lazy calls build a task graph; compute() runs it");
    List<Delayed<Integer>> incs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      incs.add(Delayed.call(Tour::inc, Delayed.value(i)));
    }
    Delayed<Integer> total = Delayed.call(list -> list.stream().mapToInt(x -> x).sum(),
        Delayed.list(incs));
    System.out.println("   sum(inc(i) for i < 8) = " + total.compute()
        + "   (graph of " + total.graph().size() + " tasks)");
    // The trapezoid rule for the integral of 4/(1+x^2) on [0,1] = pi, one task per slice.
    int slices = 16;
    int steps = 1_000_000;
    List<Delayed<Double>> parts = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      parts.add(Delayed.call(Tour::trapezoid, Delayed.value(new double[] {
          (double) s / slices, (double) (s + 1) / slices, steps / slices})));
    }
    Delayed<Double> pi = Delayed.call(l -> l.stream().mapToDouble(x -> x).sum(),
        Delayed.list(parts));
    System.out.printf("   trapezoid rule, %d slices in parallel: pi ~ %.10f%n", slices,
        pi.compute());
  }

  static double trapezoid(double[] range) {
    double a = range[0];
    double b = range[1];
    int n = (int) range[2];
    double h = (b - a) / n;
    double sum = (f(a) + f(b)) / 2;
    for (int i = 1; i < n; i++) {
      sum += f(a + i * h);
    }
    return sum * h;
  }

  private static double f(double x) {
    return 4 / (1 + x * x);
  }
}
