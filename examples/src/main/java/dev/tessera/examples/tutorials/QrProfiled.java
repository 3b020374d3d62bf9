package dev.tessera.examples.tutorials;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.Linalg;
import dev.tessera.diagnostics.CacheProfiler;
import dev.tessera.diagnostics.Diagnostics;
import dev.tessera.diagnostics.Profiler;
import dev.tessera.diagnostics.ResourceProfiler;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.idioms.views.Client;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 004 ("Local diagnostics"): the QR decomposition of a tall-and-skinny random array,
 * profiled as the tutorial does with Dask:
 * <pre>
 * random_array = da.random.random(size=(10_000, 1_000), chunks=(1_000, 1_000))
 * q, r = da.linalg.qr(random_array)
 * random_array_reconstructed = q.dot(r)
 * with Profiler() as prof, ResourceProfiler(dt=0.25) as rprof, CacheProfiler() as cprof:
 *     out = random_array_reconstructed.compute()
 * visualize([prof, rprof, cprof], save=True)
 * </pre>
 * The report is written as HTML (zoomable) and as PNG. The reconstruction is checked against
 * the array itself and R against LAPACK's QR of the whole array (up to the signs of its rows),
 * and the whole is timed: LAPACK on one array vs the chunked TSQR on the default scheduler and
 * on 2 worker JVMs.
 *
 * <p>Run: {@code ./examples/run QrProfiled [m=10000] [n=1000] [chunk=1000] [out=target/examples]}
 * (writes {@code qr-profile.html} and {@code qr-profile.png}).
 */
public final class QrProfiled {
  private QrProfiled() {}

  /** The answers: relative errors of Q R vs A, of |diag R| vs LAPACK's, of Q^T Q vs I. */
  record Result(double reconstruction, double diagonal, double orthogonality, Path html,
      Path png) {}

  static Array randomArray(int m, int n, int chunk) {
    return Array.uniform(7, new long[] {m, n}, Chunks.of(chunk, n));   // da.random.random
  }

  /** The serial computation: LAPACK's Householder QR of the whole array, then Q R. */
  static INDArray[] lapack(INDArray a) {
    INDArray q = a.dup('f');
    INDArray r = Nd4j.create(a.dataType(), new long[] {a.columns(), a.columns()}, 'f');
    Nd4j.getBlasWrapper().lapack().geqrf(q, r);                  // np.linalg.qr(a)
    return new INDArray[] {q, r, q.mmul(r)};
  }

  static double relative(INDArray a, INDArray b) {
    return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
  }

  /**
   * Computes {@code q.dot(r)} on {@code scheduler} under the three profilers, writes their
   * report to {@code out}, and checks the factors.
   */
  static Result run(int m, int n, int chunk, Scheduler scheduler, Path out) {
    Array randomArray = randomArray(m, n, chunk);
    Linalg.QR qr = Linalg.qr(randomArray);                       // q, r = da.linalg.qr(...)
    Array reconstructed = qr.q().dot(qr.r());                    // q.dot(r)
    INDArray result;
    Profiler prof;
    ResourceProfiler rprof;
    CacheProfiler cprof;
    try (Profiler p = Profiler.start();
         ResourceProfiler rp = ResourceProfiler.start(Duration.ofMillis(250));   // dt=0.25
         CacheProfiler cp = CacheProfiler.start()) {
      result = reconstructed.compute(scheduler);                 // out = ....compute()
      prof = p;
      rprof = rp;
      cprof = cp;
    }
    Path html = Diagnostics.visualize(out.resolve("qr-profile.html"), prof, rprof, cprof);
    Path png = Diagnostics.visualize(out.resolve("qr-profile.png"), prof, rprof, cprof);
    INDArray a = randomArray.compute(scheduler);
    INDArray r = qr.r().compute(scheduler);
    INDArray q = qr.q().compute(scheduler);
    INDArray[] serial = lapack(a);
    double reconstruction = relative(result, a);
    double diagonal = relative(abs(Nd4j.diag(r)), abs(Nd4j.diag(serial[1])));
    double orthogonality = q.transpose().mmul(q).sub(Nd4j.eye(n).castTo(q.dataType())).norm2Number().doubleValue()
        / Math.sqrt(n);
    Stopwatch.check("Q R reconstructs the array", reconstruction < 1e-12,
        String.format(Locale.ROOT, "relative error %.1e", reconstruction));
    Stopwatch.check("|diag R| equals LAPACK's on the whole array", diagonal < 1e-10,
        String.format(Locale.ROOT, "relative difference %.1e", diagonal));
    Stopwatch.check("Q has orthonormal columns", orthogonality < 1e-12,
        String.format(Locale.ROOT, "|Q^T Q - I| / sqrt(n) = %.1e", orthogonality));
    return new Result(reconstruction, diagonal, orthogonality, html, png);
  }

  static INDArray abs(INDArray x) {
    return org.nd4j.linalg.ops.transforms.Transforms.abs(x, true);
  }

  /**
   * Runs the example, then times it.
   *
   * @param args optional {@code m=10000}, {@code n=1000}, {@code chunk=1000}, {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int m = a.integer("m", 10_000);
    int n = a.integer("n", 1_000);
    int chunk = a.integer("chunk", 1_000);
    Path out = a.out();
    Array.setNd4jThreads(1); // one block per core from the scheduler, one thread per block
    System.out.printf(Locale.ROOT, "QrProfiled (seed 004): QR of a %,d x %,d random array in"
        + " %,d-row chunks, profiled%n", m, n, chunk);
    Scheduler threads = Tessera.scheduler();
    Result r = run(m, n, chunk, threads, out);
    System.out.println("  profile report: " + r.html() + " and " + r.png());
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      // the worker JVMs run one block per core too: one ND4J thread per operation there as well
      // (Array.setNd4jThreads is per JVM; without this the QR on workers was 5x slower here)
      Client.of(jvms).view().applySync(ns -> {
        Array.setNd4jThreads(1);
        return true;
      });
      INDArray x = randomArray(m, n, chunk).compute(threads);
      double serial = Stopwatch.median(3, () -> lapack(x));
      double t = Stopwatch.median(3, () -> {
        Linalg.QR qr = Linalg.qr(randomArray(m, n, chunk));
        qr.q().dot(qr.r()).compute(threads);
      });
      double j = Stopwatch.median(3, () -> {
        Linalg.QR qr = Linalg.qr(randomArray(m, n, chunk));
        qr.q().dot(qr.r()).compute(jvms);
      });
      Stopwatch.report("QR and Q R", serial, "threads", t, "2 worker JVMs", j);
    }
  }
}
