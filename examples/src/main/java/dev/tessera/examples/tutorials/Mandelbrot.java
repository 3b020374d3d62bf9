package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.BlockInfo;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.idioms.views.ParallelFunction;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 002 ("Parallel Python", its example problem): the Mandelbrot set, each point's escape
 * count under {@code z = z*z + c}, computed serially ({@code mandel1}), with ipyparallel's
 * {@code @parallel} decorator on a direct view ({@code mandel2.map(X.ravel(), Y.ravel())}),
 * and the Tessera way, a chunked array whose blocks of rows are computed by {@code mapBlocks}
 * from the blocks of the coordinate grids ({@code np.meshgrid}). The three images must be
 * equal, point by point; the image is written as {@code mandelbrot.png} in the tutorial's
 * {@code jet} colours. Run it with
 * {@code ./examples/run Mandelbrot [width=1200] [iters=500] [out=target/examples]}; the
 * tutorial's own grid ({@code np.arange(-2, 1, 0.01)} by {@code np.arange(-1, 1, 0.01)}, at most
 * 80 iterations) is {@code width=300 iters=80}, a few milliseconds of work in Java, too little
 * to gain from parallel work.
 */
public final class Mandelbrot {
  private Mandelbrot() {}

  /**
   * The grid: {@code width} points from -2 (step 3 / width, so x stays below 1), {@code 2 width / 3}
   * rows from -1 with the same step; x of column c and y of row r are computed the same way
   * by every version, so their images can be compared exactly.
   */
  record Grid(int width, int iters) implements java.io.Serializable {
    int height() {
      return 2 * width / 3;
    }

    double step() {
      return 3.0 / width;
    }

    double x(int column) {                       // x = np.arange(-2, 1, 0.01)
      return -2 + column * step();
    }

    double y(int row) {                          // y = np.arange(-1, 1, 0.01)
      return -1 + row * step();
    }
  }

  /** The tutorial's {@code mandel1(x, y, max_iters=80)}: the escape count of c = x + iy. */
  static int mandel1(double x, double y, int maxIters) {
    double zr = 0;                               // z = 0.0j
    double zi = 0;
    for (int i = 0; i < maxIters; i++) {         // for i in range(max_iters):
      double r = zr * zr - zi * zi + x;          //     z = z*z + c
      zi = 2 * zr * zi + y;
      zr = r;
      if (zr * zr + zi * zi >= 4) {              //     if z.real**2 + z.imag**2 >= 4:
        return i;                                //         return i
      }
    }
    return maxIters;
  }

  /** Serial: {@code list(map(mandel1, X.ravel(), Y.ravel()))}, reshaped to rows. */
  static int[][] serial(Grid g) {
    int[][] im = new int[g.height()][g.width()];
    for (int r = 0; r < g.height(); r++) {
      for (int c = 0; c < g.width(); c++) {
        im[r][c] = mandel1(g.x(c), g.y(r), g.iters());
      }
    }
    return im;
  }

  /**
   * ipyparallel's way: a {@code @dview.parallel} function of the raveled points (here their
   * flat indices, from which each engine computes x and y), each engine given one contiguous
   * piece; the pieces' counts come back joined in order. One boxed number per point travels
   * each way, which on worker JVMs costs more than the counting ({@link MandelbrotMpi} sends
   * primitive slices instead).
   */
  static int[][] views(DirectView dview, Grid g) {
    // @dview.parallel(block=True)
    // def mandel2(x, y, max_iters=80): ...
    ParallelFunction<Integer, Integer> mandel2 = dview.parallel(points -> {
      List<Integer> counts = new ArrayList<>(points.size());
      for (int p : points) {
        counts.add(mandel1(g.x(p % g.width()), g.y(p / g.width()), g.iters()));
      }
      return counts;
    });
    List<Integer> raveled = new ArrayList<>(g.width() * g.height());
    for (int p = 0; p < g.width() * g.height(); p++) {
      raveled.add(p);
    }
    List<Integer> counts = mandel2.call(raveled);   // mandel2.map(X.ravel(), Y.ravel())
    int[][] im = new int[g.height()][g.width()];    // np.reshape(..., (len(y), len(x)))
    for (int p = 0; p < counts.size(); p++) {
      im[p / g.width()][p % g.width()] = counts.get(p);
    }
    return im;
  }

  /**
   * The Tessera way: the coordinate grids {@code X, Y = np.meshgrid(x, y)} as chunked arrays
   * of {@code rowsPerBlock} rows, and the counts as {@code mapBlocks} over their aligned
   * blocks, one task per block of rows, computed on {@code scheduler}.
   */
  static int[][] array(Grid g, int rowsPerBlock, Scheduler scheduler) {
    long[] shape = {g.height(), g.width()};
    Chunks chunks = Chunks.of(rowsPerBlock, g.width());
    Array x = Array.fromBlockFunction(info -> coordinates(g, info, true), shape, chunks,
        DType.FLOAT64);
    Array y = Array.fromBlockFunction(info -> coordinates(g, info, false), shape, chunks,
        DType.FLOAT64);
    Array counts = Array.mapBlocks(b -> countBlock(b[0], b[1], g.iters()), DType.INT32, x, y);
    return counts.compute(scheduler).toIntMatrix();
  }

  private static INDArray coordinates(Grid g, BlockInfo info, boolean xs) {
    int rows = (int) info.shape()[0];
    int cols = (int) info.shape()[1];
    double[][] v = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r][c] = xs ? g.x((int) info.offset()[1] + c) : g.y((int) info.offset()[0] + r);
      }
    }
    return Nd4j.createFromArray(v);
  }

  private static INDArray countBlock(INDArray x, INDArray y, int iters) {
    double[][] xs = x.toDoubleMatrix();
    double[][] ys = y.toDoubleMatrix();
    int[][] out = new int[xs.length][xs[0].length];
    for (int r = 0; r < xs.length; r++) {
      for (int c = 0; c < xs[r].length; c++) {
        out[r][c] = mandel1(xs[r][c], ys[r][c], iters);
      }
    }
    return Nd4j.createFromArray(out);
  }

  /** The three images and the picture's path, for the test. */
  record Result(int[][] serial, int[][] views, int[][] array, Path picture) {}

  /**
   * Computes the three images on {@code scheduler} (its engines for the views, its workers for
   * the array) and writes the picture to {@code out}.
   */
  static Result run(Grid g, Scheduler scheduler, Path out) {
    int[][] serial = serial(g);
    int[][] views = views(Client.of(scheduler).view(), g);
    int[][] array = array(g, rowsPerBlock(g), scheduler);
    Path picture = Png.image(serial, g.iters(), out, "mandelbrot.png");
    return new Result(serial, views, array, picture);
  }

  /** About 16 blocks of rows: enough to balance the cheap outer rows against the inner ones. */
  static int rowsPerBlock(Grid g) {
    return Math.max(1, (g.height() + 15) / 16);
  }

  static long inside(int[][] im, int iters) {
    return Arrays.stream(im).flatMapToInt(Arrays::stream).filter(v -> v == iters).count();
  }

  /**
   * Runs the example.
   *
   * @param args {@code width=N} (points per row, default 1200), {@code iters=N} (default 500),
   *     {@code out=DIR} (default {@code target/examples})
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    Grid g = new Grid(cli.integer("width", 1200), cli.integer("iters", 500));
    System.out.printf("Mandelbrot set on %d x %d points, at most %d iterations%n",
        g.width(), g.height(), g.iters());
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      Result r = run(g, threads, cli.out());
      System.out.println("  points inside the set: " + inside(r.serial(), g.iters()));
      Stopwatch.check("@parallel image == serial image", Arrays.deepEquals(r.views(),
          r.serial()), "all " + g.width() * g.height() + " points");
      Stopwatch.check("mapBlocks image == serial image", Arrays.deepEquals(r.array(),
          r.serial()), "all " + g.width() * g.height() + " points");
      Stopwatch.check("on worker JVMs too", Arrays.deepEquals(views(Client.of(jvms).view(), g),
          r.serial()) && Arrays.deepEquals(array(g, rowsPerBlock(g), jvms), r.serial()),
          "@parallel and mapBlocks");
      DirectView onThreads = Client.of(threads).view();
      DirectView onJvms = Client.of(jvms).view();
      double serial = Stopwatch.median(3, () -> serial(g));
      Stopwatch.report("Mandelbrot", serial,
          "@parallel on threads", Stopwatch.median(3, () -> views(onThreads, g)),
          "mapBlocks on threads", Stopwatch.median(3, () -> array(g, rowsPerBlock(g), threads)),
          "@parallel on 2 JVMs", Stopwatch.median(3, () -> views(onJvms, g)),
          "mapBlocks on 2 JVMs", Stopwatch.median(3, () -> array(g, rowsPerBlock(g), jvms)));
    }
  }
}
