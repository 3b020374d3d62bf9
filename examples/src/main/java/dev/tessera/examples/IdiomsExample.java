package dev.tessera.examples;

import dev.tessera.idioms.mpi.Mpi;
import dev.tessera.idioms.mpi.Op;
import dev.tessera.idioms.views.AsyncResult;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.idioms.views.LoadBalancedView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Two tutorials on a pool of two worker JVMs. ipyparallel (seed 003): 10,000 random integers
 * scattered over the engines, each engine tests its piece for primes, the pieces gathered
 * back in order, and the same with a load-balanced map; MPI (seed 002): a Monte Carlo estimate
 * of pi, each rank drawing its own points, the counts summed with {@code reduce} and the
 * estimate broadcast. Run it with
 * {@code scripts/run-main examples dev.tessera.examples.IdiomsExample}. The complete prime test
 * of seed 003 (scatter/gather, a bag and an array, checked and timed) is
 * {@link dev.tessera.examples.tutorials.Primes}: {@code ./examples/run Primes}.
 */
public final class IdiomsExample {
  private IdiomsExample() {}

  /** The seed's {@code isprime}: whether no number from 3 to n - 1 divides n. */
  static boolean isprime(int n) {
    for (int i = 3; i < n; i++) {
      if (n % i == 0) {
        return false;
      }
    }
    return true;
  }

  static List<Boolean> f(List<Integer> xs) {
    List<Boolean> out = new ArrayList<>(xs.size());
    for (int x : xs) {
      out.add(isprime(x));
    }
    return out;
  }

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

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(42);
    List<Integer> x = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      x.add(random.nextInt(100_000));
    }
    long serial = f(x).stream().filter(b -> b).count();
    try (ProcessScheduler pool = Schedulers.processes(2)) {
      Client rc = Client.of(pool);
      DirectView direct = rc.view();                                 // direct = rc[:]
      direct.scatter("x", x);                                        // direct.scatter('x', x)
      List<Integer> sizes = direct.applySync(ns -> ns.<List<Integer>>get("x").size());
      System.out.println("pieces per engine: " + sizes);             // [5000, 5000]
      AsyncResult<List<Object>> run = direct.apply(ns -> ns.put("y",
          f(ns.<List<Integer>>get("x"))));                           // %px y = f(x)
      run.get();
      System.out.println("engine 0 took " + java.time.Duration.between(
          run.metadata().get(0).started().orElseThrow(),
          run.metadata().get(0).completed().orElseThrow()).toMillis() + " ms");
      List<Boolean> y = direct.gather("y");                          // y = direct.gather('y')
      long parallel = y.stream().filter(b -> b).count();
      System.out.println("primes: " + parallel + " (serial: " + serial + ")");

      LoadBalancedView lview = rc.loadBalancedView();
      List<Boolean> balanced = lview.map(IdiomsExample::isprime, x, 500).get();
      System.out.println("load-balanced, 20 tasks of 500: same answer " + balanced.equals(y));

      int n = 1_000_000;
      List<Double> pi = Mpi.run(pool, 2, comm -> {
        long mine = hits(comm.rank(), n);
        Long total = comm.reduce(mine, Op.sumLong(), 0);
        Double estimate = comm.rank() == 0 ? 4.0 * total / (n * comm.size()) : null;
        return comm.bcast(estimate, 0);
      });
      System.out.println("pi ~ " + pi.get(0) + " on both ranks: " + pi);
    }
  }
}
