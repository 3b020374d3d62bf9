package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.bag.Bag;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 003, part 2 ("Parallel execution of array function"): which of 10,000 random integers
 * below 100,000 are prime, by trial division. First as the tutorial does it with ipyparallel,
 * {@code direct.scatter('x', x)}, {@code %px y = f(x)} on every engine, {@code
 * direct.gather('y')}; then the Tessera ways, a bag of the numbers mapped with {@code isprime}
 * and a chunked integer array whose blocks map to a boolean mask. Each is checked against the
 * serial {@code f(x)} and timed serial vs parallel on the default scheduler and on 2 worker JVMs.
 *
 * <p>Run: {@code ./examples/run Primes [n=10000] [high=100000]}
 */
public final class Primes {
  private Primes() {}

  /** The answers of one run: the numbers and which are prime. */
  record Result(int[] x, boolean[] prime, long count) {}

  /**
   * The tutorial's {@code isprime(n)}: no divisor below n. The tutorial's loop starts at 3,
   * so it calls 4, 6, 8, ... prime; this one starts at 2 (and 0 and 1 are not prime), with the
   * same cost: a prime runs the whole loop, most composites stop early.
   */
  static boolean isprime(int n) {
    if (n < 2) {
      return false;
    }
    for (int i = 2; i < n; i++) {
      if (n % i == 0) {
        return false;
      }
    }
    return true;
  }

  /** The tutorial's {@code f(x)}: {@code list(map(isprime, x))}. */
  static List<Boolean> f(List<Integer> x) {
    List<Boolean> out = new ArrayList<>(x.size());
    for (int v : x) {
      out.add(isprime(v));
    }
    return out;
  }

  /** {@code np.random.randint(low=0, high=high, size=n)} with a fixed seed. */
  static int[] randint(long seed, int high, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextInt(high);
    }
    return x;
  }

  static List<Integer> boxed(int[] x) {
    List<Integer> out = new ArrayList<>(x.length);
    for (int v : x) {
      out.add(v);
    }
    return out;
  }

  /** The tutorial's way: scatter x over the engines, run f there, gather y in order. */
  static List<Boolean> withViews(Scheduler scheduler, List<Integer> x) {
    DirectView direct = Client.of(scheduler).view();             // direct = rc[:]
    direct.scatter("x", x);                                      // direct.scatter('x', x)
    // direct.run("myscript.py") is not needed: the engines load f from the class path
    direct.applySync(ns -> ns.put("y", f(ns.<List<Integer>>get("x"))));   // %px y = f(x)
    List<Boolean> y = direct.gather("y");                        // y = direct.gather('y')
    direct.applySync(ns -> ns.remove("x") && ns.remove("y"));     // free the engines' copies
    return y;
  }

  /** A Tessera way: a bag of the numbers, one task per partition. */
  static Bag<Boolean> asBag(List<Integer> x, int partitions) {
    return Bag.fromCollection(x, partitions).map(Primes::isprime);
  }

  /** Another: a chunked int32 array whose blocks map to boolean masks. */
  static Array asArray(int[] x, int chunk) {
    return Array.fromINDArray(Nd4j.createFromArray(x), Chunks.of(chunk))
        .mapBlocks(blocks -> {
          INDArray in = blocks[0];
          boolean[] out = new boolean[(int) in.length()];
          for (int i = 0; i < out.length; i++) {
            out[i] = isprime(in.getInt(i));
          }
          return Nd4j.createFromArray(out).castTo(DataType.BOOL);
        }, DType.BOOL);
  }

  static boolean[] unboxed(List<Boolean> y) {
    boolean[] out = new boolean[y.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = y.get(i);
    }
    return out;
  }

  static boolean[] mask(INDArray a) {
    boolean[] out = new boolean[(int) a.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getDouble(i) != 0;
    }
    return out;
  }

  /** Runs the three ways on {@code scheduler}, checks them against the serial f(x). */
  static Result run(int n, int high, Scheduler scheduler) {
    int[] x = randint(17, high, n);
    List<Integer> xs = boxed(x);
    boolean[] serial = unboxed(f(xs));
    boolean[] views = unboxed(withViews(scheduler, xs));
    boolean[] bag = unboxed(asBag(xs, 16).compute(scheduler));
    boolean[] array = mask(asArray(x, Math.max(1, (n + 15) / 16)).compute(scheduler));
    long count = 0;
    for (boolean p : serial) {
      count += p ? 1 : 0;
    }
    Stopwatch.check("scatter/gather equals the serial f(x)",
        java.util.Arrays.equals(views, serial), n + " numbers, " + count + " prime");
    Stopwatch.check("the bag equals the serial f(x)", java.util.Arrays.equals(bag, serial),
        n + " numbers");
    Stopwatch.check("the array equals the serial f(x)", java.util.Arrays.equals(array, serial),
        n + " numbers");
    return new Result(x, serial, count);
  }

  /**
   * Runs the example, then times it serial vs parallel.
   *
   * @param args optional {@code n=10000}, {@code high=100000}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int n = a.integer("n", 10_000);
    int high = a.integer("high", 100_000);
    System.out.printf(Locale.ROOT, "Primes (seed 003): which of %,d random integers below %,d"
        + " are prime%n", n, high);
    Scheduler threads = Tessera.scheduler();
    Result r = run(n, high, threads);
    System.out.printf(Locale.ROOT, "  %d of %d are prime (the prime number theorem expects"
        + " about %.0f)%n", r.count(), n, n / Math.log(high));
    List<Integer> xs = boxed(r.x());
    DirectView direct = Client.of(threads).view();
    direct.scatter("x", xs);
    System.out.println("  direct['x.size'] = " + direct.applySync(ns -> ns.<List<Integer>>get("x")
        .size()) + " (the pieces the engines hold)");
    direct.applySync(ns -> ns.remove("x"));
    int chunk = Math.max(1, (n + 15) / 16);
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      double serial = Stopwatch.median(5, () -> f(xs));
      double viewsThreads = Stopwatch.median(5, () -> withViews(threads, xs));
      double viewsJvms = Stopwatch.median(5, () -> withViews(jvms, xs));
      double bagThreads = Stopwatch.median(5, () -> asBag(xs, 16).compute(threads));
      double bagJvms = Stopwatch.median(5, () -> asBag(xs, 16).compute(jvms));
      double arrayThreads = Stopwatch.median(5, () -> asArray(r.x(), chunk).compute(threads));
      double arrayJvms = Stopwatch.median(5, () -> asArray(r.x(), chunk).compute(jvms));
      Stopwatch.report("scatter/gather", serial, "threads", viewsThreads, "2 worker JVMs",
          viewsJvms);
      Stopwatch.report("bag", serial, "threads", bagThreads, "2 worker JVMs", bagJvms);
      Stopwatch.report("array", serial, "threads", arrayThreads, "2 worker JVMs", arrayJvms);
    }
  }
}
