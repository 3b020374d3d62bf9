package dev.tessera.examples;

import dev.tessera.idioms.joblib.Parallel;
import dev.tessera.idioms.pool.Pool;
import dev.tessera.idioms.ray.ActorHandle;
import dev.tessera.idioms.ray.ObjectRef;
import dev.tessera.idioms.ray.Ray;
import dev.tessera.idioms.ray.WaitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The tutorials' pools, joblib and Ray, on worker JVMs: seed 003's model evaluated on a grid of
 * (mean, standard deviation) parameters with {@code Pool.map} (and checked against the serial
 * map), seed 004's square roots with joblib's {@code Parallel}, and its Ray tasks and counter
 * actors. Run it with
 * {@code scripts/run-main examples dev.tessera.examples.PoolsJoblibRayExample}. The complete
 * examples of the two tutorials, each also written the Tessera way, checked and timed, are
 * {@link dev.tessera.examples.tutorials.ParameterGrid},
 * {@link dev.tessera.examples.tutorials.MyFunctionPool} and
 * {@link dev.tessera.examples.tutorials.RaySquaresCounters} ({@code ./examples/run NAME}).
 */
public final class PoolsJoblibRayExample {
  private PoolsJoblibRayExample() {}

  /** Seed 003's time-waster: the sum of 100,000 normal draws of mean z[0], deviation z[1]. */
  static double model(List<Double> z) {
    SplittableRandom r = new SplittableRandom(Double.doubleToLongBits(z.get(0) * 31 + z.get(1)));
    double sum = 0;
    for (int i = 0; i < 100_000; i++) {
      double u = 1 - r.nextDouble();
      double v = r.nextDouble();
      sum += z.get(0) + z.get(1) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
    return sum;
  }

  static int square(int x) {
    return x * x;
  }

  /** Seed 004's actor. */
  static final class Counter {
    private int value;

    int increment() {
      return ++value;
    }

    int read() {
      return value;
    }
  }

  /**
   * Runs the three idioms.
   *
   * @param args ignored
   * @throws Exception if a check fails
   */
  public static void main(String[] args) throws Exception {
    int n = 300;
    List<List<Double>> grid = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      grid.add(List.of(-1 + 2.0 * i / (n - 1), 0.1 + 0.9 * i / (n - 1)));
    }
    try (Pool pool = Pool.processes(2)) {
      long t0 = System.nanoTime();
      List<Double> parallel = pool.map(PoolsJoblibRayExample::model, grid);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<Double> serial = new ArrayList<>();
      for (List<Double> z : grid) {
        serial.add(model(z));
      }
      if (!parallel.equals(serial)) {
        throw new IllegalStateException("Pool.map differs from the serial map");
      }
      System.out.printf("Pool.map: %d models in %.2f s on %s, chunks of %d; equal to the serial"
          + " map%n", n, seconds, pool, Pool.defaultChunksize(n, pool.processes()));
    }

    List<Double> roots = Parallel.of(2).verbose(1).run(IntStream.range(0, 8)
        .mapToObj(i -> Parallel.delayed(Math::sqrt, (double) (i * i))).toList());
    System.out.println("joblib: " + roots);

    try (Ray ray = Ray.processes(2)) {
      List<ObjectRef<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(ray.task(PoolsJoblibRayExample::square, i).remote());
      }
      WaitResult<Integer> first = ray.wait(futures, 1, Duration.ofSeconds(30));
      System.out.println("Ray tasks: " + ray.get(futures) + " (first ready: "
          + first.ready().size() + ")");
      List<ActorHandle<Counter>> counters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        counters.add(ray.actor(Counter::new).remote());
      }
      for (ActorHandle<Counter> c : counters) {
        c.task(Counter::increment).remote();
      }
      List<ObjectRef<Integer>> reads = new ArrayList<>();
      for (ActorHandle<Counter> c : counters) {
        reads.add(c.task(Counter::read).remote());
      }
      System.out.println("Ray actors: " + ray.get(reads));
    }
  }
}
