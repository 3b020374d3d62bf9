package dev.tessera.examples;

import dev.tessera.diagnostics.CacheProfiler;
import dev.tessera.diagnostics.Diagnostics;
import dev.tessera.diagnostics.GraphOptions;
import dev.tessera.diagnostics.ProgressBar;
import dev.tessera.diagnostics.Profiler;
import dev.tessera.diagnostics.ResourceProfiler;
import dev.tessera.graph.Delayed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tour stop: diagnostics. A Monte Carlo estimate of pi in 16 lazy pieces, computed under a
 * progress bar and three profilers; its task graph is drawn as SVG and its profile as an HTML
 * page and a PNG image, all in {@code tour-output/}.
 */
public final class DiagnosticsTour {
  private DiagnosticsTour() {}

  /** The output folder, relative to the working directory (git-ignored). */
  static final Path OUT = Path.of("tour-output");

  /** Counts how many of {@code n} random points of the unit square fall in the quarter disc. */
  static long hits(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    long in = 0;
    for (int i = 0; i < n; i++) {
      double x = r.nextDouble();
      double y = r.nextDouble();
      if (x * x + y * y <= 1) {
        in++;
      }
    }
    return in;
  }

  static long sum(List<Long> parts) {
    return parts.stream().mapToLong(Long::longValue).sum();
  }

  /** Runs the stop. */
  public static void run() {
    System.out.println();
    System.out.println("Diagnostics: a progress bar, profilers, a graph picture and a profile report");
    int pieces = 16;
    int perPiece = 5_000_000;
    List<Delayed<Long>> parts = new ArrayList<>();
    for (int i = 0; i < pieces; i++) {
      parts.add(Delayed.call(DiagnosticsTour::hits, Delayed.value(1000L + i),
          Delayed.value(perPiece)));
    }
    Delayed<Long> total = Delayed.call(DiagnosticsTour::sum, Delayed.list(parts));

    Profiler prof;
    ResourceProfiler res;
    CacheProfiler cache;
    long in;
    try (ProgressBar bar = ProgressBar.start();
        Profiler p = Profiler.start();
        ResourceProfiler r = ResourceProfiler.start(Duration.ofMillis(25));
        CacheProfiler c = CacheProfiler.start()) {
      in = total.compute();
      prof = p;
      res = r;
      cache = c;
    }
    double pi = 4.0 * in / ((long) pieces * perPiece);
    System.out.printf("   pi ~ %.5f from %,d random points in %d tasks on %d worker(s)%n", pi,
        (long) pieces * perPiece, prof.results().size(),
        prof.results().stream().map(Profiler.TaskRecord::worker).distinct().count());

    Path graph = Diagnostics.render(total, OUT.resolve("pi-graph.svg"),
        GraphOptions.defaults().colorByOrder());
    Path html = Diagnostics.visualize(OUT.resolve("pi-profile.html"), prof, res, cache);
    Path png = Diagnostics.visualize(OUT.resolve("pi-profile.png"), prof, res, cache);
    System.out.println("   task graph:     " + graph.toAbsolutePath());
    System.out.println("   profile (HTML): " + html.toAbsolutePath());
    System.out.println("   profile (PNG):  " + png.toAbsolutePath());
  }

  /**
   * Runs this stop alone.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run();
  }
}
