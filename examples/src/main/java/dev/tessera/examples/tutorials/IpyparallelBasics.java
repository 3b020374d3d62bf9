package dev.tessera.examples.tutorials;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.AsyncResult;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.idioms.views.ParallelFunction;
import dev.tessera.idioms.views.RemoteFunction;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 000 ("Interactive Parallel Computing with IPython Parallel"), its direct-view part:
 * {@code apply} of a dot product on all engines, {@code apply(exec, 'c = a + b')} on pushed
 * matrices, the {@code @parallel} even filter and the {@code @remote} scale, {@code push} and
 * {@code pull}, {@code scatter} and {@code gather} of 24 numbers, the parallel list
 * comprehension {@code y = [i**10 for i in x]} over 64 numbers (and the Tessera way, a bag),
 * and the timed {@code %%px c = a.dot(b)} on every engine against the same products done one
 * after the other here. Writes {@code dot-product.png}, the tutorial's
 * {@code plt.imshow(c, interpolation="nearest")}. Run it with
 * {@code ./examples/run IpyparallelBasics [n=100] [m=1000] [out=target/examples]}.
 */
public final class IpyparallelBasics {
  private IpyparallelBasics() {}

  /** {@code np.random.random([rows, columns])}, from a fixed seed. */
  static INDArray random(long seed, int rows, int columns) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] v = new double[rows][columns];
    for (double[] row : v) {
      for (int j = 0; j < columns; j++) {
        row[j] = r.nextDouble();
      }
    }
    return Nd4j.createFromArray(v);
  }

  /** The tutorial's {@code even}: the even elements of a piece. */
  static List<Integer> even(List<Integer> x) {
    return x.stream().filter(e -> e % 2 == 0).toList();   // [e for e in x if not e % 2]
  }

  /**
   * The tutorial's {@code scale}, which doubles its list in place. Python gives every engine
   * its own copy; threads share the caller's list, so the Java version doubles a copy.
   */
  static List<Integer> scale(List<Integer> a) {
    List<Integer> copy = new ArrayList<>(a);
    for (int i = 0; i < copy.size(); i++) {
      copy.set(i, copy.get(i) * 2);                        // a[i] *= 2
    }
    return copy;
  }

  static long pow10(long i) {
    long p = 1;
    for (int k = 0; k < 10; k++) {
      p *= i;
    }
    return p;
  }

  /** Everything the example computes once, for the checks. */
  record Result(INDArray a, INDArray b, List<INDArray> c, List<INDArray> sums, List<Integer> evens,
      List<List<Integer>> scaled, List<List<Integer>> pulled, List<List<Integer>> pieces,
      List<Integer> gathered, List<Long> powers, List<Long> bagPowers) {}

  static Result run(Scheduler scheduler, int n) {
    Client rc = Client.of(scheduler);                       // rc = Client(profile="default")
    DirectView dview = rc.view();                           // dview = rc[:]
    INDArray a = random(1, n, n);                           // a = np.random.random([100, 100])
    INDArray b = random(2, n, n);
    // c = dview.apply(lambda a, b: np.dot(a, b), a, b); c.done(); c = c.result()
    AsyncResult<List<INDArray>> ar = dview.apply((x, y) -> x.mmul(y), a, b);
    List<INDArray> c = ar.get();

    dview.push(Map.of("a", a, "b", b));                     // a and b on the engines
    dview.applySync(ns -> ns.put("c", ns.<INDArray>get("a").add(ns.<INDArray>get("b"))));
    List<INDArray> sums = dview.get("c");                   // dview.execute('c=a+b'); dview['c']

    ParallelFunction<Integer, Integer> evenP = dview.parallel(IpyparallelBasics::even);
    List<Integer> evens = evenP.call(range(16));            // even(list(range(0, 16)))
    RemoteFunction<List<Integer>, List<Integer>> scaleR = dview.remote(IpyparallelBasics::scale);
    List<List<Integer>> scaled = scaleR.call(range(16));    // scale(list(range(0, 16)))

    dview.push(Map.of("remoteA", range(10)));               // dview.push(dict(remoteA=localA))
    List<List<Integer>> pulled = dview.pull("remoteA");     // dview.pull('remoteA')

    dview.scatter("a", range(24));                          // dview.scatter('a', list(range(24)))
    List<List<Integer>> pieces = dview.get("a");            // dview['a']
    List<Integer> gathered = dview.gather("a");             // dview.gather('a')

    dview.scatter("x", range(64));                          // dview.scatter('x', list(range(64)))
    dview.applySync(ns -> ns.put("y", ns.<List<Integer>>get("x").stream()
        .map(i -> pow10(i)).toList()));                     // %px y = [i**10 for i in x]
    List<Long> powers = dview.gather("y");                  // y = dview.gather('y')
    // The Tessera way: a bag of range(64), one partition per engine, mapped.
    List<Long> bagPowers = Bag.range(64, rc.ids().size()).map(IpyparallelBasics::pow10)
        .compute(scheduler);
    return new Result(a, b, c, sums, evens, scaled, pulled, pieces, gathered, powers, bagPowers);
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  static void check(Result r) {
    INDArray c = r.a().mmul(r.b());
    boolean dots = r.c().stream().allMatch(ci -> ci.equalsWithEps(c, 1e-12 * r.a().columns()));
    Stopwatch.check("apply(np.dot) on every engine == a.dot(b) here", dots,
        r.c().size() + " engines, shape " + java.util.Arrays.toString(r.c().get(0).shape()));
    INDArray s = r.a().add(r.b());
    Stopwatch.check("c = a + b on the engines", r.sums().stream().allMatch(s::equals),
        "exact");
    Stopwatch.check("@parallel even", r.evens().equals(even(range(16))), r.evens().toString());
    Stopwatch.check("@remote scale, once per engine", r.scaled().stream()
        .allMatch(scale(range(16))::equals), r.scaled().size() + " x " + r.scaled().get(0));
    Stopwatch.check("push, pull", r.pulled().stream().allMatch(range(10)::equals),
        r.pulled().toString());
    Stopwatch.check("scatter, gather of 24", r.gathered().equals(range(24)),
        "pieces " + r.pieces());
    List<Long> serial = range(64).stream().map(i -> pow10(i)).toList();
    Stopwatch.check("[i**10 for i in x] on the pieces", r.powers().equals(serial)
        && r.bagPowers().equals(serial), "views and bag, 63**10 = " + serial.get(63));
  }

  /** {@code %%px a, b = random; c = a.dot(b); c.sum() / (m**3 / 4)}: each engine its own. */
  static List<Double> dots(DirectView dview, int m) {
    return dview.applySync(ns -> dot(ns.engine(), m));
  }

  static double dot(int engine, int m) {
    INDArray a = random(10 + engine, m, m);
    INDArray b = random(20 + engine, m, m);
    return a.mmul(b).sumNumber().doubleValue() / (m * (double) m * m / 4);
  }

  /**
   * Runs the example.
   *
   * @param args {@code n=N} the size of the dot product (default 100), {@code m=N} the size
   *     of the timed one (default 1000), {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    int n = cli.integer("n", 100);
    int m = cli.integer("m", 1000);
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      for (Scheduler s : List.of(threads, jvms)) {
        System.out.println("on " + s + ", engines " + Client.of(s).ids() + ":");
        Result r = run(s, n);
        check(r);
        if (s == jvms) {
          Png.heat(r.c().get(0).toDoubleMatrix(), 4, cli.out(), "dot-product.png");
        }
      }
      DirectView onThreads = Client.of(threads).view();
      DirectView onJvms = Client.of(jvms).view();
      List<Double> here = new ArrayList<>();
      for (int e : onJvms.ids()) {
        here.add(dot(e, m));
      }
      List<Double> there = dots(onJvms, m);
      boolean same = there.size() == here.size();
      for (int i = 0; same && i < here.size(); i++) {
        same = Math.abs(there.get(i) - here.get(i)) < 1e-12;   // BLAS may sum in other orders
      }
      Stopwatch.check("%%px c = a.dot(b) == the same here", same, here.toString());
      Stopwatch.report(onJvms.ids().size() + " products of " + m + " x " + m,
          Stopwatch.median(3, () -> onJvms.ids().forEach(e -> dot(e, m))),
          "%%px on threads", Stopwatch.median(3, () -> dots(onThreads, m)),
          "%%px on 2 JVMs", Stopwatch.median(3, () -> dots(onJvms, m)));
    }
  }
}
