package dev.tessera.examples;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.futures.WaitFor;
import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Futures on a pool of two worker JVMs: a Monte Carlo estimate of pi submitted as it comes,
 * with a future passed to later work, data scattered once, results taken as they finish, and
 * a slow task cancelled. Run it with
 * {@code scripts/run-main examples dev.tessera.examples.FuturesExample}.
 */
public final class FuturesExample {
  private FuturesExample() {}

  /** Counts, of {@code n} random points in the unit square, those inside the quarter circle. */
  static long hits(long seed, int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
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

  static long total(List<Long> parts) {
    return parts.stream().mapToLong(Long::longValue).sum();
  }

  static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  static int slow(int ms) throws InterruptedException {
    Thread.sleep(ms);
    return ms;
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    int per = 2_000_000;
    try (ProcessScheduler pool = Schedulers.processes(2); Client client = Client.on(pool)) {
      // 16 independent pieces, submitted at once; their results stay on the workers
      List<Long> seeds = new ArrayList<>();
      for (long s = 0; s < 16; s++) {
        seeds.add(s);
      }
      List<TaskFuture<Long>> parts = client.map((Long seed) -> hits(seed, per), seeds);
      // a future as an argument: the sum runs on a worker once every part is there
      TaskFuture<Long> inside = client.submit(FuturesExample::total, parts);
      System.out.printf("pi ~ %.5f from %d points on %s%n",
          4.0 * inside.result() / (16L * per), 16L * per, pool.name());

      // as they finish: the first parts may be done long before the last
      Iterator<TaskFuture<Long>> done = client.asCompleted(parts);
      System.out.println("first part done: " + done.next().key());

      // data put on the workers once, used by a task there (and by Delayed calls too)
      double[] data = new double[1_000_000];
      java.util.Arrays.setAll(data, i -> i % 10);
      TaskFuture<double[]> held = client.scatter(List.of(data)).get(0);
      System.out.println("mean of scattered data: "
          + client.submit(FuturesExample::mean, held).result()
          + ", again through Delayed: "
          + Delayed.call(FuturesExample::mean, held).compute(pool));

      // a slow task, given up on after a short wait
      TaskFuture<Integer> sleepy = client.with(Submit.options().pure(false))
          .submit(FuturesExample::slow, 60_000);
      boolean finished = client.wait(List.of(sleepy), WaitFor.ALL_COMPLETED,
          Duration.ofMillis(200)).notDone().isEmpty();
      client.cancel(List.of(sleepy));
      System.out.println("slow task finished in time: " + finished + "; cancelled: "
          + sleepy.isCancelled());

      parts.forEach(TaskFuture::release);
      inside.release();
      held.release();
      System.out.println("results still held by the workers: " + pool.heldByWorkers());
    }
  }
}
