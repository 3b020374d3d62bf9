package dev.tessera.examples;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.dashboard.Dashboard;
import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;

/**
 * The live dashboard, watched while computations run: an array reduction on threads, then
 * the Monte Carlo estimate of pi on two worker JVMs, over and over for the given number of
 * seconds (default 60). Open the printed URL and look at the four pages.
 *
 * <pre>
 * scripts/run-main examples dev.tessera.examples.DashboardExample 120
 * </pre>
 */
public final class DashboardExample {
  private DashboardExample() {}

  /**
   * Runs the example.
   *
   * @param args how many seconds to keep computing (default 60)
   */
  public static void main(String[] args) {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (Dashboard dashboard = Dashboard.start();
        ProcessScheduler pool = Schedulers.processes(2)) {
      Array.setNd4jThreads(1);
      int round = 0;
      while (System.nanoTime() < end) {
        round++;
        Array x = Array.uniform(round, new long[] {6000, 6000}, Chunks.of(500, 500));
        double total = x.add(x.T()).sum().compute().getDouble(0);
        List<Delayed<Long>> parts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          parts.add(Delayed.call(DiagnosticsTour::hits, Delayed.value(round * 100L + i),
              Delayed.value(4_000_000)));
        }
        long in = Delayed.call(DiagnosticsTour::sum, Delayed.list(parts)).compute(pool);
        System.out.printf("round %d: (x + x.T).sum() = %.0f on threads, pi ~ %.5f on %s%n",
            round, total, 4.0 * in / (24 * 4_000_000L), pool.name());
      }
    }
  }
}
