package dev.tessera.examples.tutorials;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.ray.ActorHandle;
import dev.tessera.idioms.ray.ObjectRef;
import dev.tessera.idioms.ray.Ray;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seed 004 ("Ray: functions become tasks, classes become actors"): {@code futures =
 * [f.remote(i) for i in range(4)]; ray.get(futures)} and four {@code Counter} actors, each
 * incremented and read, as the tutorial writes them; then the same work scaled up (n squares,
 * each counter incremented k times) the Ray way and the Tessera way (a bag mapped and summed; the
 * counts as a {@code foldby}, since collections keep no state between calls), checked against
 * the serial loop and timed on the default scheduler and on 2 worker JVMs.
 *
 * <p>Run: {@code ./examples/run RaySquaresCounters [n=2000] [k=500]}
 */
public final class RaySquaresCounters {
  private RaySquaresCounters() {}

  /** The answers: the tutorial's four squares and counts, and the scaled-up ones. */
  record Result(List<Integer> squares, List<Integer> counts, long sumOfSquares,
      List<Integer> manyCounts) {}

  /** The tutorial's {@code @ray.remote def f(x): return x * x}. */
  static int f(int x) {
    return x * x;
  }

  /** The tutorial's {@code @ray.remote class Counter}. */
  static final class Counter {
    private int value;

    int increment() {
      value += 1;
      return value;
    }

    int read() {
      return value;
    }
  }

  /** {@code [f.remote(i) for i in range(n)]}, then {@code ray.get(futures)}. */
  static List<Integer> squares(Ray ray, int n) {
    List<ObjectRef<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(ray.task(RaySquaresCounters::f, i).remote());  // f.remote(i)
    }
    return ray.get(futures);                                     // ray.get(futures)
  }

  /** Four counters, each incremented {@code k} times, then read. */
  static List<Integer> counters(Ray ray, int count, int k) {
    List<ActorHandle<Counter>> counters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      counters.add(ray.actor(Counter::new).remote());            // Counter.remote()
    }
    for (int j = 0; j < k; j++) {
      for (ActorHandle<Counter> c : counters) {
        c.task(Counter::increment).remote();                     // counter.increment.remote()
      }
    }
    List<ObjectRef<Integer>> reads = new ArrayList<>();
    for (ActorHandle<Counter> c : counters) {
      reads.add(c.task(Counter::read).remote());                 // counter.read.remote()
    }
    List<Integer> values = ray.get(reads);
    for (ActorHandle<Counter> c : counters) {
      c.kill();
    }
    return values;
  }

  /** The Tessera way for the squares: a bag, mapped and summed, one task per partition. */
  static long bagSquares(int n, Scheduler scheduler) {
    return Bag.range(n, 8).map(x -> (long) f((int) (long) x)).sum().compute(scheduler)
        .longValue();
  }

  /** The Tessera way for the counters: the increments as elements, counted per counter. */
  static List<Integer> bagCounts(int count, int k, Scheduler scheduler) {
    List<Map.Entry<Integer, Integer>> counted = Bag.range((long) count * k, 8)
        .foldby(i -> (int) (i % count), (acc, i) -> acc + 1, 0, Integer::sum)
        .compute(scheduler);
    Integer[] out = new Integer[count];
    for (Map.Entry<Integer, Integer> e : counted) {
      out[e.getKey()] = e.getValue();
    }
    return List.of(out);
  }

  static long serialSquares(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += f(i);
    }
    return sum;
  }

  /** The tutorial's lines and the scaled-up work on {@code scheduler}, checked. */
  static Result run(int n, int k, Scheduler scheduler) {
    try (Ray ray = Ray.init(scheduler)) {                        // ray.init()
      List<Integer> four = squares(ray, 4);                      // [0, 1, 4, 9]
      List<Integer> counts = counters(ray, 4, 1);                // [1, 1, 1, 1]
      Stopwatch.check("ray.get(futures)", four.equals(List.of(0, 1, 4, 9)), four.toString());
      Stopwatch.check("the counters", counts.equals(List.of(1, 1, 1, 1)), counts.toString());
      long serial = serialSquares(n);
      long viaRay = squares(ray, n).stream().mapToLong(Integer::longValue).sum();
      long viaBag = bagSquares(n, scheduler);
      Stopwatch.check(n + " squares, Ray tasks and a bag", viaRay == serial && viaBag == serial,
          "sum " + serial);
      List<Integer> many = counters(ray, 4, k);
      List<Integer> folded = bagCounts(4, k, scheduler);
      List<Integer> expected = List.of(k, k, k, k);
      Stopwatch.check("4 counters incremented " + k + " times, actors and foldby",
          many.equals(expected) && folded.equals(expected), many + " and " + folded);
      return new Result(four, counts, serial, many);
    }
  }

  /**
   * Runs the tutorial's lines, then times the scaled-up work.
   *
   * @param args optional {@code n=2000} squares, {@code k=500} increments per counter
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int n = a.integer("n", 2000);
    int k = a.integer("k", 500);
    System.out.printf(Locale.ROOT, "RaySquaresCounters (seed 004): f.remote(i) and Counter actors;"
        + " then %,d squares and 4 x %,d increments%n", n, k);
    Scheduler threads = Tessera.scheduler();
    Result r = run(n, k, threads);
    System.out.println("  ray.get([f.remote(i) for i in range(4)]) = " + r.squares());
    System.out.println("  ray.get([c.read.remote() for c in counters]) = " + r.counts());
    try (ProcessScheduler jvms = Schedulers.processes(2);
         Ray rayThreads = Ray.init(threads);
         Ray rayJvms = Ray.init(jvms)) {
      double serial = Stopwatch.median(5, () -> serialSquares(n));
      double rayT = Stopwatch.median(5, () -> squares(rayThreads, n));
      double rayJ = Stopwatch.median(5, () -> squares(rayJvms, n));
      double bagT = Stopwatch.median(5, () -> bagSquares(n, threads));
      double bagJ = Stopwatch.median(5, () -> bagSquares(n, jvms));
      Stopwatch.report(n + " squares, Ray tasks", serial, "threads", rayT, "2 worker JVMs", rayJ);
      Stopwatch.report(n + " squares, bag", serial, "threads", bagT, "2 worker JVMs", bagJ);
      double serialCount = Stopwatch.median(5, () -> {
        Counter[] cs = {new Counter(), new Counter(), new Counter(), new Counter()};
        for (int j = 0; j < k; j++) {
          for (Counter c : cs) {
            c.increment();
          }
        }
      });
      double actorsT = Stopwatch.median(5, () -> counters(rayThreads, 4, k));
      double actorsJ = Stopwatch.median(5, () -> counters(rayJvms, 4, k));
      double foldT = Stopwatch.median(5, () -> bagCounts(4, k, threads));
      double foldJ = Stopwatch.median(5, () -> bagCounts(4, k, jvms));
      Stopwatch.report("4 x " + k + " increments, actors", serialCount, "threads", actorsT,
          "2 worker JVMs", actorsJ);
      Stopwatch.report("4 x " + k + " increments, foldby", serialCount, "threads", foldT,
          "2 worker JVMs", foldJ);
    }
  }
}
