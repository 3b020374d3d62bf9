package dev.tessera.examples.tutorials;

import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.AsyncResult;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Seed 000 ("Interactive Parallel Computing with IPython Parallel"), "Exploring Latency and
 * Bandwidth": how long an {@code apply} takes to launch ({@code dview.block = False}) and to
 * come back ({@code dview.block = True}), and how fast {@code dview.push(dict(a=a))} moves
 * float64 arrays of 1 KB to 128 MB to all engines, in MB/s per size (the bytes that reached
 * engines over the median time of a few pushes), next to the serial floor, a copy of the same
 * bytes here. On threads the engines share the caller's objects, so a push hands over a
 * reference whatever its size; on worker JVMs the bytes travel. Each push is checked: every
 * engine's sum of its array equals the sum here. Writes {@code bandwidth.png}. Run it with
 * {@code ./examples/run LatencyBandwidth [maxMb=128] [reps=3] [calls=200]}, the same idea as
 * bench workload W13.
 */
public final class LatencyBandwidth {
  private LatencyBandwidth() {}

  /** The sizes pushed, 1 KB times powers of 4 up to 64 MB, then 128 MB. */
  static List<Long> sizes(long maxBytes) {
    List<Long> out = new ArrayList<>();
    for (long s = 1 << 10; s <= maxBytes && s <= 64L << 20; s *= 4) {
      out.add(s);
    }
    if (maxBytes >= 128L << 20) {
      out.add(128L << 20);
    }
    return out;
  }

  /** {@code %timeit dview.apply(lambda x: x, '')} with {@code dview.block = True}: one call. */
  static double roundTripMicros(DirectView dview, int calls) {
    return 1e6 * Stopwatch.median(calls, () -> dview.applySync(x -> x, ""));
  }

  /** With {@code dview.block = False}: the time to launch one call, all then waited for. */
  static double launchMicros(DirectView dview, int calls) {
    List<AsyncResult<List<String>>> pending = new ArrayList<>(calls);
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      pending.add(dview.apply(x -> x, ""));
    }
    double each = (System.nanoTime() - t0) / 1e3 / calls;
    pending.forEach(AsyncResult::get);
    return each;
  }

  static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }

  /** One size's result: MB/s pushed (all engines' bytes), and whether all arrived whole. */
  record Point(long bytes, double seconds, double mbPerSecond, boolean arrived) {}

  /** Pushes an array of each size {@code reps} times; the median per size. */
  static List<Point> pushes(DirectView dview, List<Long> sizes, int reps) {
    int engines = dview.ids().size();
    List<Point> out = new ArrayList<>();
    for (long bytes : sizes) {
      double[] a = new double[(int) (bytes / 8)];          // a = np.random.random(256*1024)
      for (int i = 0; i < a.length; i++) {
        a[i] = i * 0.5;
      }
      double seconds = Stopwatch.median(reps, () -> dview.push(Map.of("a", a)));
      double local = sum(a);
      boolean arrived = dview.applySync(ns -> sum(ns.<double[]>get("a"))).stream()
          .allMatch(s -> s == local);
      dview.applySync(ns -> ns.remove("a"));               // free the engines' copies
      out.add(new Point(bytes, seconds, engines * bytes / 1e6 / seconds, arrived));
    }
    return out;
  }

  /** The serial floor: a copy of the same bytes in this JVM, once per engine. */
  static List<Point> copies(List<Long> sizes, int engines, int reps) {
    List<Point> out = new ArrayList<>();
    for (long bytes : sizes) {
      double[] a = new double[(int) (bytes / 8)];
      double seconds = Stopwatch.median(reps, () -> {
        for (int e = 0; e < engines; e++) {
          a.clone();
        }
      });
      out.add(new Point(bytes, seconds, engines * bytes / 1e6 / seconds, true));
    }
    return out;
  }

  static String label(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }

  /** MB/s against size, both logarithmic, one line per way. */
  static Path plot(Map<String, List<Point>> series, Path out) {
    XYChart c = Png.chart(800, 500, "dview.push(dict(a=a)) to 2 engines: bandwidth per size",
        "bytes per engine", "MB/s (all engines)");
    c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    for (Map.Entry<String, List<Point>> e : series.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(p -> p.bytes()).toArray();
      double[] y = e.getValue().stream().mapToDouble(Point::mbPerSecond).toArray();
      XYSeries s = c.addSeries(e.getKey(), x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    return Png.write(c, out, "bandwidth.png");
  }

  static void print(String what, List<Point> points) {
    System.out.println("  " + what + ":");
    for (Point p : points) {
      System.out.printf(Locale.ROOT, "    %7s  %10.3f ms  %12.1f MB/s%s%n", label(p.bytes()),
          p.seconds() * 1e3, p.mbPerSecond(), p.arrived() ? "" : "  (NOT ARRIVED WHOLE)");
    }
  }

  /**
   * Runs the example.
   *
   * @param args {@code maxMb=N} the largest push (default 128), {@code reps=N} pushes per size
   *     (default 3), {@code calls=N} round trips timed (default 200), {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    List<Long> sizes = sizes(cli.integer("maxMb", 128) * (1L << 20));
    int reps = cli.integer("reps", 3);
    int calls = cli.integer("calls", 200);
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      DirectView onThreads = Client.of(threads).view();
      DirectView onJvms = Client.of(jvms).view();
      System.out.println("latency of apply(lambda x: x, ''), median of " + calls + ":");
      for (DirectView v : List.of(onThreads, onJvms)) {
        String on = v == onThreads ? "threads" : "2 JVMs";
        System.out.printf(Locale.ROOT, "  on %-8s launch %8.1f us, round trip %8.1f us%n",
            on, launchMicros(v, calls), roundTripMicros(v, calls));
      }
      System.out.println("bandwidth of push, median of " + reps + " per size:");
      Map<String, List<Point>> series = new java.util.LinkedHashMap<>();
      series.put("a copy here (serial)", copies(sizes, 2, reps));
      series.put("push on threads (a reference)", pushes(onThreads, sizes, reps));
      series.put("push to 2 worker JVMs", pushes(onJvms, sizes, reps));
      series.forEach(LatencyBandwidth::print);
      Stopwatch.check("every push arrived whole", series.values().stream()
          .allMatch(ps -> ps.stream().allMatch(Point::arrived)), "each engine's sum == ours");
      List<Point> jvmPoints = series.get("push to 2 worker JVMs");
      Point last = jvmPoints.get(jvmPoints.size() - 1);
      Stopwatch.report("push of " + label(last.bytes()) + " to 2 engines",
          series.get("a copy here (serial)").get(jvmPoints.size() - 1).seconds(),
          "threads", series.get("push on threads (a reference)").get(jvmPoints.size() - 1)
              .seconds(), "2 JVMs", last.seconds());
      plot(series, cli.out());
    }
  }
}
