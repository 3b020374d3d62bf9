package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.AsyncResult;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.EngineView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Seed 000 ("Interactive Parallel Computing with IPython Parallel"), "Matrix-Matrix
 * Multiplication Using a DirectView": the tutorial's 4 x 4 times 4 x 2 example by 2 x 2 tiles
 * (exact against the fractions worked by hand); every element of an n x n product as its own
 * {@code apply(np.dot, A[i,:], B[:,j])}, round robin over the engines ({@code n^2} short tasks,
 * dominated by latency); the product of two n x n matrices by quadrants on 4 engines
 * ({@code c00 = np.dot(a00, b00) + np.dot(a01, b10)} and so on, one engine each), next to the
 * same quadrants here and to the Tessera way, {@code Array.matmul} of 2 x 2-chunked arrays.
 * As in the tutorial, the quadrants are not faster than one {@code np.dot}: the BLAS under
 * ND4J already blocks and uses every core. Run it with
 * {@code ./examples/run MatrixProducts [small=16] [n=2048]}.
 */
public final class MatrixProducts {
  private MatrixProducts() {}

  /** The tutorial's A (4 x 4) and B (4 x 2). */
  static final double[][] A4 = {{4, 3, 1, 6}, {1, 2, 0, 3}, {7, 9, 2, 0}, {2, 2, -1, 4}};
  static final double[][] B4 = {{1.0 / 12, 1.0 / 2}, {1.0 / 9, 1.0 / 4}, {1.0 / 3, 1},
      {1.0 / 7, -1.0 / 3}};
  /** A B worked by hand: C[i][j] = sum_k A[i][k] B[k][j], term by term. */
  static final double[][] C4 = {
      {4.0 / 12 + 3.0 / 9 + 1.0 / 3 + 6.0 / 7, 2 + 0.75 + 1 - 2},
      {1.0 / 12 + 2.0 / 9 + 3.0 / 7, 0.5 + 0.5 - 1},
      {7.0 / 12 + 1 + 2.0 / 3, 3.5 + 2.25 + 2},
      {2.0 / 12 + 2.0 / 9 - 1.0 / 3 + 4.0 / 7, 1 + 0.5 - 1 - 4.0 / 3}};

  static INDArray tile(INDArray m, int r0, int r1, int c0, int c1) {
    return m.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.interval(c0, c1)).dup();
  }

  /** The tiled product of the tutorial's small example: c0 = a00 b00 + a01 b10, c1 likewise. */
  static INDArray tiledSmall() {
    INDArray a = Nd4j.createFromArray(A4);
    INDArray b = Nd4j.createFromArray(B4);
    INDArray c0 = tile(a, 0, 2, 0, 2).mmul(tile(b, 0, 2, 0, 2))
        .add(tile(a, 0, 2, 2, 4).mmul(tile(b, 2, 4, 0, 2)));
    INDArray c1 = tile(a, 2, 4, 0, 2).mmul(tile(b, 0, 2, 0, 2))
        .add(tile(a, 2, 4, 2, 4).mmul(tile(b, 2, 4, 0, 2)));
    return Nd4j.vstack(c0, c1);
  }

  /**
   * {@code C1h = [[rc[(i*n + j) % p].apply(np.dot, A[i,:], B[:,j]) ...]]}, then
   * {@code dview.wait()}: one call per element, round robin over the engines.
   */
  static INDArray elementwise(Client rc, INDArray a, INDArray b) {
    int n = a.rows();
    int p = rc.ids().size();                                   // p = len(rc)
    List<AsyncResult<Double>> c = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double[] row = a.getRow(i).toDoubleVector();
        double[] column = b.getColumn(j).toDoubleVector();
        c.add(rc.view((i * n + j) % p).apply(MatrixProducts::dot, row, column));
      }
    }
    double[][] out = new double[n][n];
    for (int k = 0; k < c.size(); k++) {
      out[k / n][k % n] = c.get(k).get();                      // dview.wait()
    }
    return Nd4j.createFromArray(out);
  }

  static double dot(double[] x, double[] y) {
    double s = 0;
    for (int k = 0; k < x.length; k++) {
      s += x[k] * y[k];
    }
    return s;
  }

  /** The four quadrant products here, one after the other. */
  static INDArray quadrantsHere(INDArray a, INDArray b) {
    int h = a.rows() / 2;
    int n = a.rows();
    INDArray[] q = quadrants(a, b, h, n);
    return join(
        q[0].mmul(q[4]).add(q[1].mmul(q[6])), q[0].mmul(q[5]).add(q[1].mmul(q[7])),
        q[2].mmul(q[4]).add(q[3].mmul(q[6])), q[2].mmul(q[5]).add(q[3].mmul(q[7])));
  }

  /** a00, a01, a10, a11, b00, b01, b10, b11. */
  static INDArray[] quadrants(INDArray a, INDArray b, int h, int n) {
    return new INDArray[] {tile(a, 0, h, 0, h), tile(a, 0, h, h, n), tile(a, h, n, 0, h),
        tile(a, h, n, h, n), tile(b, 0, h, 0, h), tile(b, 0, h, h, n), tile(b, h, n, 0, h),
        tile(b, h, n, h, n)};
  }

  static INDArray join(INDArray c00, INDArray c01, INDArray c10, INDArray c11) {
    return Nd4j.vstack(Nd4j.hstack(c00, c01), Nd4j.hstack(c10, c11));
  }

  /** The function each engine runs: {@code lambda a, b, c, d: np.dot(a, b) + np.dot(c, d)}. */
  static INDArray twoProducts(List<INDArray> m) {
    return m.get(0).mmul(m.get(1)).add(m.get(2).mmul(m.get(3)));
  }

  /**
   * {@code d0 = rc[0]} ... {@code d3 = rc[3]}, each given one quadrant of C (engine k mod the
   * engines, when fewer than 4), then {@code c00h.wait()} ... and the quadrants joined.
   */
  static INDArray quadrantsOnEngines(Client rc, INDArray a, INDArray b) {
    int h = a.rows() / 2;
    int n = a.rows();
    INDArray[] q = quadrants(a, b, h, n);
    int p = rc.ids().size();
    EngineView d0 = rc.view(0);
    EngineView d1 = rc.view(1 % p);
    EngineView d2 = rc.view(2 % p);
    EngineView d3 = rc.view(3 % p);
    AsyncResult<INDArray> c00h = d0.apply(MatrixProducts::twoProducts,
        List.of(q[0], q[4], q[1], q[6]));                      // a00, b00, a01, b10
    AsyncResult<INDArray> c01h = d1.apply(MatrixProducts::twoProducts,
        List.of(q[0], q[5], q[1], q[7]));                      // a00, b01, a01, b11
    AsyncResult<INDArray> c10h = d2.apply(MatrixProducts::twoProducts,
        List.of(q[2], q[4], q[3], q[6]));                      // a10, b00, a11, b10
    AsyncResult<INDArray> c11h = d3.apply(MatrixProducts::twoProducts,
        List.of(q[2], q[5], q[3], q[7]));                      // a10, b01, a11, b11
    return join(c00h.get(), c01h.get(), c10h.get(), c11h.get());
  }

  /** The Tessera way: both matrices chunked in 2 x 2 blocks, {@code matmul}, computed. */
  static INDArray matmul(INDArray a, INDArray b, Scheduler scheduler) {
    long h = a.rows() / 2;
    return Array.fromINDArray(a, Chunks.of(h, h)).matmul(Array.fromINDArray(b,
        Chunks.of(h, h))).compute(scheduler);
  }

  /** Whether two products agree to what float64 sums of n terms allow. */
  static boolean close(INDArray x, INDArray y, int n) {
    return x.equalsWithEps(y, 1e-13 * n * n);
  }

  /** The products of one run, for the test: each next to the serial {@code a.mmul(b)}. */
  record Result(INDArray tiledSmall, INDArray elementwise, INDArray serialSmall,
      INDArray quadrants, INDArray matmul, INDArray serial) {}

  static Result run(Scheduler scheduler, int small, int n) {
    Client rc = Client.of(scheduler);
    INDArray as = IpyparallelBasics.random(3, small, small);    // A = np.random.random([n, n])
    INDArray bs = IpyparallelBasics.random(4, small, small);
    INDArray a = IpyparallelBasics.random(5, n, n);
    INDArray b = IpyparallelBasics.random(6, n, n);
    return new Result(tiledSmall(), elementwise(rc, as, bs), as.mmul(bs),
        quadrantsOnEngines(rc, a, b), matmul(a, b, scheduler), a.mmul(b));
  }

  static void check(Result r, int small, int n) {
    Stopwatch.check("the tutorial's 4 x 4 by 4 x 2, by tiles", r.tiledSmall().equalsWithEps(
        Nd4j.createFromArray(C4), 1e-14), r.tiledSmall().toString().replace('\n', ' '));
    Stopwatch.check(small * small + " elements round robin == np.dot", close(r.elementwise(),
        r.serialSmall(), small), "n = " + small);
    Stopwatch.check("quadrants on engines == np.dot", close(r.quadrants(), r.serial(), n),
        "n = " + n);
    Stopwatch.check("Array.matmul == np.dot", close(r.matmul(), r.serial(), n), "n = " + n);
  }

  /**
   * Runs the example.
   *
   * @param args {@code small=N} the element-by-element product's size (default 16), {@code n=N}
   *     the quadrants' (default 2048, even)
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    int small = cli.integer("small", 16);
    int n = cli.integer("n", 2048);
    try (var threads = Schedulers.threads(4); ProcessScheduler jvms = Schedulers.processes(4)) {
      for (Scheduler s : List.<Scheduler>of(threads, jvms)) {
        System.out.println("on " + s + ":");
        check(run(s, small, n), small, n);
      }
      INDArray as = IpyparallelBasics.random(3, small, small);
      INDArray bs = IpyparallelBasics.random(4, small, small);
      Client onThreads = Client.of(threads);
      Client onJvms = Client.of(jvms);
      Stopwatch.report(small * small + " dot products, one call each",
          Stopwatch.median(5, () -> as.mmul(bs)),
          "round robin on 4 threads", Stopwatch.median(3, () -> elementwise(onThreads, as, bs)),
          "round robin on 4 JVMs", Stopwatch.median(3, () -> elementwise(onJvms, as, bs)));
      INDArray a = IpyparallelBasics.random(5, n, n);
      INDArray b = IpyparallelBasics.random(6, n, n);
      Stopwatch.report(n + " x " + n + " product", Stopwatch.median(3, () -> a.mmul(b)),
          "quadrants here", Stopwatch.median(3, () -> quadrantsHere(a, b)),
          "quadrants on 4 threads", Stopwatch.median(3, () -> quadrantsOnEngines(onThreads, a,
              b)),
          "quadrants on 4 JVMs", Stopwatch.median(3, () -> quadrantsOnEngines(onJvms, a, b)),
          "Array.matmul on threads", Stopwatch.median(3, () -> matmul(a, b, Schedulers.shared())),
          "Array.matmul on 4 JVMs", Stopwatch.median(3, () -> matmul(a, b, jvms)));
    }
  }
}
