package dev.tessera.examples.tutorials;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.joblib.DelayedCall;
import dev.tessera.idioms.joblib.Parallel;
import dev.tessera.idioms.pool.Pool;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Seed 004 ("Parallelising a Python?", and Ray's {@code multiprocessing}): {@code
 * workers.map(my_function, [1, 2, 3])} with {@code Pool(3)} (threads) and Ray's
 * {@code Pool(2)} (worker JVMs), and joblib's
 * {@code Parallel(n_jobs=1)(delayed(math.sqrt)(i ** 2) for i in range(8))}, as the tutorial
 * writes them; then the same map over many items three ways (the pool, joblib,
 * and the Tessera way: a bag, one task per partition), checked against the serial loop and
 * timed. {@code my_function} is one multiplication, so this measures what a call costs, not
 * a speed-up: the tutorial's own warning ("the speed-up benefits are more pronounced with
 * bigger jobs") shows in the numbers.
 *
 * <p>Run: {@code ./examples/run MyFunctionPool [n=200000]}
 */
public final class MyFunctionPool {
  private MyFunctionPool() {}

  /** The answers of the tutorial's lines and of the large map. */
  record Result(List<Long> threePool, List<Long> twoPool, List<Double> roots,
      List<Double> rootsTwoJobs, long sumOfSquares) {}

  /** The tutorial's {@code my_function(x)}: {@code x * x}. */
  static long myFunction(long x) {
    return x * x;
  }

  /** The serial map of {@code my_function} over 0..n-1, summed. */
  static long serial(int n) {
    long sum = 0;
    for (long x = 0; x < n; x++) {
      sum += myFunction(x);
    }
    return sum;
  }

  static List<Long> range(int n) {
    List<Long> xs = new ArrayList<>(n);
    for (long x = 0; x < n; x++) {
      xs.add(x);
    }
    return xs;
  }

  static long sum(List<Long> xs) {
    long s = 0;
    for (long x : xs) {
      s += x;
    }
    return s;
  }

  /** {@code Parallel(n_jobs)(delayed(my_function)(x) for x in xs)}, batched as joblib does. */
  static List<Long> joblib(Parallel parallel, List<Long> xs) {
    List<DelayedCall<Long>> calls = new ArrayList<>(xs.size());
    for (long x : xs) {
      calls.add(Parallel.delayed(MyFunctionPool::myFunction, x));
    }
    return parallel.run(calls);
  }

  /** The Tessera way: a bag of the numbers, mapped and summed in one task per partition. */
  static long withBag(int n, Scheduler scheduler) {
    return Bag.range(n, 8).map(MyFunctionPool::myFunction).sum().compute(scheduler).longValue();
  }

  /**
   * The tutorial's lines (its {@code Pool(3)} as 3 threads, {@code Pool.processes(3)} would
   * start 3 worker JVMs; Ray's {@code Pool(2)} as a pool over the 2 worker JVMs {@code jvms}),
   * then a map over 0..n-1 each way, checked.
   */
  static Result run(int n, Scheduler threads, ProcessScheduler jvms) {
    List<Long> three;
    try (Pool workers = Pool.threads(3)) {                       // with Pool(3) as workers:
      three = workers.map(MyFunctionPool::myFunction, List.of(1L, 2L, 3L));   // [1, 4, 9]
    }
    List<Long> two;
    try (Pool workers = Pool.on(jvms)) {                         // ray's Pool(2)
      two = workers.map(MyFunctionPool::myFunction, List.of(1L, 2L, 3L));
    }
    // joblib.Parallel(n_jobs=1)(joblib.delayed(math.sqrt)(i ** 2) for i in range(8))
    List<Double> roots = Parallel.of(1).run(IntStream.range(0, 8)
        .mapToObj(i -> Parallel.delayed(Math::sqrt, (double) (i * i))).toList());
    List<Double> rootsTwo = Parallel.of(2).backend(jvms).run(IntStream.range(0, 8)
        .mapToObj(i -> Parallel.delayed(Math::sqrt, (double) (i * i))).toList());
    Stopwatch.check("Pool.map([1, 2, 3])", three.equals(List.of(1L, 4L, 9L))
        && two.equals(three), three + " and " + two);
    List<Double> expected = IntStream.range(0, 8).mapToObj(i -> (double) i).toList();
    Stopwatch.check("Parallel(...)(delayed(sqrt)(i ** 2) for i in range(8))",
        roots.equals(expected) && rootsTwo.equals(expected), roots.toString());

    long serial = serial(n);
    List<Long> xs = range(n);
    long pooled;
    try (Pool pool = Pool.on(threads)) {
      pooled = sum(pool.map(MyFunctionPool::myFunction, xs));
    }
    long joblib = sum(joblib(Parallel.of(2).backend(jvms).batchSize(Math.max(1, n / 8)), xs));
    long bag = withBag(n, jvms);
    Stopwatch.check("the sum of my_function over 0.." + (n - 1) + ", pool/joblib/bag",
        pooled == serial && joblib == serial && bag == serial, "serial " + serial);
    return new Result(three, two, roots, rootsTwo, serial);
  }

  /**
   * Runs the tutorial's lines, then times a map over n items.
   *
   * @param args optional {@code n=200000}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int n = a.integer("n", 200_000);
    System.out.printf(Locale.ROOT, "MyFunctionPool (seed 004): Pool.map, joblib's Parallel and a"
        + " bag, over %,d items%n", n);
    Scheduler threads = Tessera.scheduler();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      Result r = run(n, threads, jvms);
      System.out.println("  Pool(3).map(my_function, [1, 2, 3]) = " + r.threePool());
      System.out.println("  Parallel(n_jobs=1)(delayed(sqrt)(i ** 2) for i in range(8)) = "
          + r.roots());
      System.out.printf(Locale.ROOT, "  sum of my_function(x) for x < %,d = %,d%n", n,
          r.sumOfSquares());
      List<Long> xs = range(n);
      try (Pool threadPool = Pool.on(threads); Pool jvmPool = Pool.on(jvms)) {
        Parallel jobsThreads = Parallel.of(2).batchSize(Math.max(1, n / 8));
        Parallel jobsJvms = Parallel.of(2).backend(jvms).batchSize(Math.max(1, n / 8));
        double serial = Stopwatch.median(5, () -> serial(n));
        double poolThreads = Stopwatch.median(5, () -> threadPool.map(
            MyFunctionPool::myFunction, xs));
        double poolJvms = Stopwatch.median(5, () -> jvmPool.map(MyFunctionPool::myFunction, xs));
        double jobThreads = Stopwatch.median(5, () -> joblib(jobsThreads, xs));
        double jobJvms = Stopwatch.median(5, () -> joblib(jobsJvms, xs));
        double bagThreads = Stopwatch.median(5, () -> withBag(n, threads));
        double bagJvms = Stopwatch.median(5, () -> withBag(n, jvms));
        Stopwatch.report("Pool.map", serial, "threads", poolThreads, "2 worker JVMs", poolJvms);
        Stopwatch.report("joblib Parallel(n_jobs=2)", serial, "threads", jobThreads,
            "2 worker JVMs", jobJvms);
        Stopwatch.report("bag map + sum", serial, "threads", bagThreads, "2 worker JVMs",
            bagJvms);
      }
    }
  }
}
