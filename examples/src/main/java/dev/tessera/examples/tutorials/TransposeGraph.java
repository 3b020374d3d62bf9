package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.diagnostics.Diagnostics;
import dev.tessera.diagnostics.GraphOptions;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.views.Client;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seed 004 ("Visualise the task graph"): the graph of {@code x + x.T} for
 * {@code x = da.ones((15, 15), chunks=(5, 5))}, drawn before anything runs, as the tutorial's
 * {@code y.visualize(filename='dask-transpose.svg')}: one node per task, nine blocks of ones,
 * nine transposed blocks, nine sums. Then computed and checked (every element is 2), and timed
 * at a larger size ({@code big=4000}, chunks of 1,000) against ND4J on one array.
 *
 * <p>Run: {@code ./examples/run TransposeGraph [big=4000] [out=target/examples]} (writes
 * {@code dask-transpose.svg} and {@code dask-transpose.png}).
 */
public final class TransposeGraph {
  private TransposeGraph() {}

  /** The answers: the computed y and the pictures. */
  record Result(INDArray y, Path svg, Path png, String dot) {}

  /** {@code x = da.ones((n, n), chunks=(c, c)); y = x + x.T}. */
  static Array y(int n, int c) {
    Array x = Array.ones(new long[] {n, n}, Chunks.of(c, c), DType.FLOAT64);
    return x.add(x.T());
  }

  /** Draws the 15 x 15 graph into {@code out}, computes it on {@code scheduler}, checks it. */
  static Result run(Scheduler scheduler, Path out) {
    Array y = y(15, 5);
    Path svg = y.visualize(out.resolve("dask-transpose.svg"));   // y.visualize(filename=...)
    Path png = Diagnostics.render(y, out.resolve("dask-transpose.png"),
        GraphOptions.defaults().width(640));
    String dot = Diagnostics.dot(y, GraphOptions.defaults());
    INDArray value = y.compute(scheduler);
    boolean twos = value.eq(2.0).all() && value.length() == 225;
    Stopwatch.check("x + x.T is 2 everywhere", twos, "15 x 15, from 9 blocks of 5 x 5");
    return new Result(value, svg, png, dot);
  }

  /**
   * Draws the graph, then times {@code (x + x.T)} at a larger size.
   *
   * @param args optional {@code big=4000} (the size timed), {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int big = a.integer("big", 4000);
    Path out = a.out();
    Array.setNd4jThreads(1);
    System.out.println("TransposeGraph (seed 004): the task graph of x + x.T, x = ones((15, 15),"
        + " chunks=(5, 5))");
    Scheduler threads = Tessera.scheduler();
    Result r = run(threads, out);
    System.out.println("  graph: " + r.svg() + " and " + r.png());
    int c = Math.max(1, big / 4);
    INDArray ones = Array.ones(new long[] {big, big}, Chunks.of(big, big), DType.FLOAT64)
        .compute(threads);
    System.out.printf(Locale.ROOT, "  timing x + x.T at %,d x %,d in %,d x %,d chunks:%n", big,
        big, c, c);
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      // the worker JVMs run one block per core too: one ND4J thread per operation there as well
      // (Array.setNd4jThreads is per JVM; without this the QR on workers was 5x slower here)
      Client.of(jvms).view().applySync(ns -> {
        Array.setNd4jThreads(1);
        return true;
      });
      double serial = Stopwatch.median(3, () -> ones.add(ones.transpose()));
      double t = Stopwatch.median(3, () -> y(big, c).compute(threads));
      double j = Stopwatch.median(3, () -> y(big, c).compute(jvms));
      Stopwatch.report("x + x.T", serial, "threads", t, "2 worker JVMs", j);
    }
  }
}
