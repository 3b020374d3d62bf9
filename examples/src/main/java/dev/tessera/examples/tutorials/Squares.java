package dev.tessera.examples.tutorials;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.idioms.views.LoadBalancedView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seed 002 ("Parallel Python", using ipyparallel): {@code square} of 1 ... 10 serially and
 * with {@code dview.map_sync}; the sums of the rows of a 10 x 100,000 random matrix with a
 * load-balanced view's {@code map_sync}; {@code %px y = [x**2 for x in xs]} on the pieces of
 * {@code range(24)} scattered over the engines, gathered back; and the Tessera way, a bag.
 * Run it with {@code ./examples/run Squares [rows=10] [columns=100000]}.
 */
public final class Squares {
  private Squares() {}

  /** {@code def square(x): return x*x} */
  static int square(int x) {
    return x * x;
  }

  static double sum(double[] row) {
    double s = 0;
    for (double v : row) {
      s += v;
    }
    return s;
  }

  /** What the example computes, for the test to compare. */
  record Result(List<Integer> serial, List<Integer> direct, List<Double> rowSums,
      List<Double> balanced, List<Integer> scattered, List<Integer> bag) {}

  static List<double[]> matrix(int rows, int columns) {
    SplittableRandom random = new SplittableRandom(2);   // np.random.random((10, 100000))
    List<double[]> m = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      m.add(random.doubles(columns).toArray());
    }
    return m;
  }

  static Result run(Scheduler scheduler, int rows, int columns) {
    Client client = Client.of(scheduler);                  // client = ipp.Client()
    DirectView dview = client.view();                      // dview = client[:]
    List<Integer> xs = IntStream.rangeClosed(1, 10).boxed().toList();
    List<Integer> serial = xs.stream().map(Squares::square).toList();
    List<Integer> direct = dview.mapSync(Squares::square, xs);   // dview.map_sync(square, ...)

    List<double[]> m = matrix(rows, columns);
    List<Double> rowSums = m.stream().map(Squares::sum).toList();
    LoadBalancedView lview = client.loadBalancedView();    // lview = client.load_balanced_view()
    List<Double> balanced = lview.mapSync(Squares::sum, m);   // lview.map_sync(sum, ...)

    dview.scatter("xs", IntStream.range(0, 24).boxed().toList());  // dview.scatter('xs', range(24))
    dview.applySync(ns -> ns.put("y", ns.<List<Integer>>get("xs").stream()
        .map(x -> x * x).toList()));                       // %px y = [x**2 for x in xs]
    List<Integer> scattered = dview.gather("y");           // dview.gather('y')

    // The Tessera way: a bag of 0 ... 23 in as many partitions as engines, mapped, computed.
    List<Integer> bag = Bag.fromCollection(IntStream.range(0, 24).boxed().toList(),
        client.ids().size()).map(x -> x * x).compute(scheduler);
    return new Result(serial, direct, rowSums, balanced, scattered, bag);
  }

  static void check(Result r) {
    Stopwatch.check("map_sync(square, 1..10)", r.direct().equals(r.serial()),
        r.direct().toString());
    Stopwatch.check("load-balanced row sums", r.balanced().equals(r.rowSums()),
        r.balanced().size() + " rows, first " + r.balanced().get(0));
    List<Integer> squares = IntStream.range(0, 24).map(x -> x * x).boxed().toList();
    Stopwatch.check("scatter, %px, gather", r.scattered().equals(squares),
        r.scattered().toString());
    Stopwatch.check("bag.map(x -> x * x)", r.bag().equals(squares), "24 squares");
  }

  /**
   * Runs the example.
   *
   * @param args {@code rows=N} (default 10) and {@code columns=N} (default 100000) of the
   *     random matrix
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    int rows = cli.integer("rows", 10);
    int columns = cli.integer("columns", 100_000);
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      for (Scheduler s : List.of(threads, jvms)) {
        System.out.println("on " + s + ":");
        Result r = run(s, rows, columns);
        System.out.println("  squares " + r.direct());
        check(r);
      }
      List<double[]> m = matrix(rows, columns);
      LoadBalancedView onThreads = Client.of(threads).loadBalancedView();
      LoadBalancedView onJvms = Client.of(jvms).loadBalancedView();
      Stopwatch.report("row sums of " + rows + " x " + columns,
          Stopwatch.median(5, () -> m.stream().map(Squares::sum).toList()),
          "load-balanced on threads", Stopwatch.median(5, () -> onThreads.mapSync(Squares::sum,
              m)),
          "load-balanced on 2 JVMs", Stopwatch.median(5, () -> onJvms.mapSync(Squares::sum, m)));
    }
  }
}
