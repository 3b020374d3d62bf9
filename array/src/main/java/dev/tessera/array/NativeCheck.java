package dev.tessera.array;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A known-answer check of the BLAS and LAPACK that ND4J loaded, run once per JVM before the
 * first factorization: {@link Linalg} refuses to return numbers from a library that got these
 * wrong (OpenBLAS 0.3.19's SkylakeX kernels compute a wrong float64 QR from 129 columns on, see
 * docs/native-libraries.md).
 *
 * <p>Each case has an answer known without the library: a GEMM of small-integer matrices (exact
 * in floating point, verified exactly with Freivalds' test), and a QR and an LQ of matrices
 * built from Householder reflections {@code H = I - 2 v v^T / v^T v}, whose factors are known
 * up to signs. Sizes are past LAPACK's blocked crossover (128 columns). Each case is checked in
 * O(n^2) plain Java, so the check costs about what the library calls cost (measured on an
 * Intel Xeon: about 10 ms of CPU time, see docs/native-libraries.md).
 */
final class NativeCheck {
  private NativeCheck() {}

  /** Rows and columns of the QR case (columns and rows of the LQ case): just past 128. */
  static final int M = 192;
  static final int N = 136;
  /** The inner dimension of the GEMM case: past OpenBLAS's k blocking (at most 384). */
  static final int G = 401;

  /** The check that runs; replaced only by tests. Returns the failures, empty when right. */
  private static Supplier<List<String>> check = NativeCheck::run;
  /** null until the check ran; then the failures it found (guarded by the class lock). */
  private static List<String> failures;

  /**
   * Runs the check if it has not run in this JVM, and throws if the library failed it.
   *
   * @throws NativeLibraryException if the library computed a wrong answer
   */
  static void require() {
    List<String> f;
    synchronized (NativeCheck.class) {
      if (failures == null) {
        failures = List.copyOf(check.get());
      }
      f = failures;
    }
    if (!f.isEmpty()) {
      throw new NativeLibraryException(message(f));
    }
  }

  /** Test seam: replaces the check (null restores the real one) and forgets its outcome. */
  static synchronized void useCheck(Supplier<List<String>> replacement) {
    check = replacement == null ? NativeCheck::run : replacement;
    failures = null;
  }

  /**
   * The real check: GEMM and QR in float64 and float32, LQ in float64. It calls the OpenBLAS
   * that ND4J loaded (the presets ND4J's LAPACK wrapper calls, the library its GEMM links)
   * directly on native buffers, with one BLAS thread: no ND4J operation runs (none warms up
   * here), and on a busy machine no BLAS threads hand work to each other. OpenBLAS 0.3.19 with
   * its SkylakeX kernels fails the float64 QR (off by 0.1-0.3) and LQ (0.05); its SVD was
   * wrong in the singular vectors only (1.4-2.0; the values were right to 1e-14), which come
   * from the same blocked Householder paths as QR's Q (orgqr) and LQ's Q (orglq): the LQ
   * case replaced an SVD case that cost twice the rest of the check (measured on an Intel
   * Xeon, docs/native-libraries.md).
   */
  static List<String> run() {
    List<String> out = new ArrayList<>();
    int threads = openblas_nolapack.blas_get_num_threads();
    openblas_nolapack.blas_set_num_threads(1);
    try {
      gemm(DataType.DOUBLE, out);
      qr(DataType.DOUBLE, 1e-12, out);
      lq(DataType.DOUBLE, 1e-12, out);
      gemm(DataType.FLOAT, out);
      qr(DataType.FLOAT, 1e-4, out);
    } finally {
      openblas_nolapack.blas_set_num_threads(threads);
    }
    return out;
  }

  /** A native copy of column-major values in the given type. */
  private static Pointer pointer(double[] colMajor, DataType t) {
    if (t == DataType.DOUBLE) {
      return new DoublePointer(colMajor);
    }
    float[] f = new float[colMajor.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) colMajor[i];
    }
    return new FloatPointer(f);
  }

  private static Pointer zeros(int n, DataType t) {
    return pointer(new double[n], t);
  }

  /** The values of a native buffer of n elements, as doubles. */
  private static double[] read(Pointer p, int n) {
    double[] v = new double[n];
    if (p instanceof DoublePointer d) {
      d.get(v);
    } else {
      float[] f = new float[n];
      ((FloatPointer) p).get(f);
      for (int i = 0; i < n; i++) {
        v[i] = f[i];
      }
    }
    return v;
  }

  /** Row-major m x n values in column-major order (and back: pass n, m). */
  static double[] transpose(double[] rowMajor, int m, int n) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[j * m + i] = rowMajor[i * n + j];
      }
    }
    return c;
  }

  /**
   * C = A B for integer A (97 x 401), B (401 x 99) in [-2, 2]: every partial sum is an exact
   * integer. The odd sizes reach the kernels' edge cases, k = 401 crosses their k blocking.
   */
  static void gemm(DataType t, List<String> out) {
    int m = 97;
    int k = G;
    int n = 99;
    double[] a = new double[m * k];
    double[] b = new double[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i * 7 + i / k * 3) % 5 - 2;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (i * 11 + i / n * 5) % 5 - 2;
    }
    double[] cv;
    try (Pointer pa = pointer(transpose(a, m, k), t); Pointer pb = pointer(transpose(b, k, n), t);
        Pointer pc = zeros(m * n, t)) {
      if (t == DataType.DOUBLE) {
        openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans,
            openblas.CblasNoTrans, m, n, k, 1, (DoublePointer) pa, m, (DoublePointer) pb, k, 0,
            (DoublePointer) pc, m);
      } else {
        openblas.cblas_sgemm(openblas.CblasColMajor, openblas.CblasNoTrans,
            openblas.CblasNoTrans, m, n, k, 1, (FloatPointer) pa, m, (FloatPointer) pb, k, 0,
            (FloatPointer) pc, m);
      }
      cv = transpose(read(pc, m * n), n, m);
    }
    // Freivalds: C x = A (B x) exactly, for two integer vectors x
    for (int probe = 1; probe <= 2; probe++) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = (i * probe * 13) % 5 - 2;
      }
      double[] want = times(a, m, k, times(b, k, n, x));
      double[] got = times(cv, m, n, x);
      for (int i = 0; i < m; i++) {
        if (got[i] != want[i]) {
          out.add(t + " GEMM " + m + " x " + k + " x " + n + ": row " + i + " of C x is "
              + got[i] + ", want exactly " + want[i]);
          return;
        }
      }
    }
  }

  /** A = H R0 (H: M x M Householder, R0: upper triangular): Q = H[:, :N] D, R = D R0. */
  static void qr(DataType t, double tol, List<String> out) {
    int m = M;
    int n = N;
    double[] v = reflector(m, 1);
    double[] r0 = new double[m * n];
    for (int i = 0; i < n; i++) {
      r0[i * n + i] = 1 + (i % 5) * 0.25;
      for (int j = i + 1; j < n; j++) {
        // off the diagonal below 0.5 / n: cond(R0) stays below 3
        r0[i * n + j] = ((i * 31 + j * 17) % 11 - 5) / (10.0 * n);
      }
    }
    double[] a = reflect(v, r0, m, n);
    double[] qv;
    double[] rv = new double[n * n];
    int info;
    try (Pointer pa = pointer(transpose(a, m, n), t); Pointer tau = zeros(n, t)) {
      // geqrf (R above the diagonal, reflectors below), then orgqr (Q from the reflectors):
      // what ND4J's geqrf wrapper calls, and both through the blocked path past 128 columns
      if (t == DataType.DOUBLE) {
        info = openblas.LAPACKE_dgeqrf(openblas.LAPACK_COL_MAJOR, m, n, (DoublePointer) pa, m,
            (DoublePointer) tau);
      } else {
        info = openblas.LAPACKE_sgeqrf(openblas.LAPACK_COL_MAJOR, m, n, (FloatPointer) pa, m,
            (FloatPointer) tau);
      }
      double[] f = transpose(read(pa, m * n), n, m);
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          rv[i * n + j] = f[i * n + j];
        }
      }
      if (t == DataType.DOUBLE) {
        info |= openblas.LAPACKE_dorgqr(openblas.LAPACK_COL_MAJOR, m, n, n, (DoublePointer) pa,
            m, (DoublePointer) tau);
      } else {
        info |= openblas.LAPACKE_sorgqr(openblas.LAPACK_COL_MAJOR, m, n, n, (FloatPointer) pa,
            m, (FloatPointer) tau);
      }
      qv = transpose(read(pa, m * n), n, m);
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double d = Math.signum(rv[i * n + i]) * Math.signum(r0[i * n + i]);
      for (int j = 0; j < n; j++) {
        worst = Math.max(worst, Math.abs(rv[i * n + j] - (j < i ? 0 : d * r0[i * n + j])));
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double d = Math.signum(rv[j * n + j]) * Math.signum(r0[j * n + j]);
        double h = (i == j ? 1 : 0) - 2 * v[i] * v[j];
        worst = Math.max(worst, Math.abs(qv[i * n + j] - d * h));
      }
    }
    if (info != 0 || !(worst <= tol * 2)) {
      out.add(t + " QR (geqrf) " + m + " x " + n + ": the factors are off by " + worst
          + ", want < " + tol * 2 + (info != 0 ? " (LAPACK info " + info + ")" : ""));
    }
  }

  /**
   * The LQ of the transposed QR case, A^T = R0^T H[:N, :] (N x M, wider than tall): L = R0^T D,
   * Q = D H[:N, :]. gelqf and orglq run the blocked Householder path with row-wise reflectors,
   * the one gesvd's P^T (orgbr) takes.
   */
  static void lq(DataType t, double tol, List<String> out) {
    int m = M;
    int n = N;
    double[] v = reflector(m, 1);
    double[] r0 = new double[m * n];
    for (int i = 0; i < n; i++) {
      r0[i * n + i] = 1 + (i % 5) * 0.25;
      for (int j = i + 1; j < n; j++) {
        r0[i * n + j] = ((i * 31 + j * 17) % 11 - 5) / (10.0 * n);
      }
    }
    // A^T's column-major values are A's row-major ones
    double[] a = reflect(v, r0, m, n);
    double[] f;
    double[] qv;
    int info;
    try (Pointer pa = pointer(a, t); Pointer tau = zeros(n, t)) {
      if (t == DataType.DOUBLE) {
        info = openblas.LAPACKE_dgelqf(openblas.LAPACK_COL_MAJOR, n, m, (DoublePointer) pa, n,
            (DoublePointer) tau);
      } else {
        info = openblas.LAPACKE_sgelqf(openblas.LAPACK_COL_MAJOR, n, m, (FloatPointer) pa, n,
            (FloatPointer) tau);
      }
      f = read(pa, n * m);   // element (i, j) at j * n + i
      if (t == DataType.DOUBLE) {
        info |= openblas.LAPACKE_dorglq(openblas.LAPACK_COL_MAJOR, n, m, n, (DoublePointer) pa,
            n, (DoublePointer) tau);
      } else {
        info |= openblas.LAPACKE_sorglq(openblas.LAPACK_COL_MAJOR, n, m, n, (FloatPointer) pa,
            n, (FloatPointer) tau);
      }
      qv = read(pa, n * m);
    }
    double[] d = new double[n];
    for (int j = 0; j < n; j++) {
      d[j] = Math.signum(f[j * n + j]) * Math.signum(r0[j * n + j]);
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        worst = Math.max(worst, Math.abs(f[j * n + i] - d[j] * r0[j * n + i]));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < m; k++) {
        double h = (i == k ? 1 : 0) - 2 * v[i] * v[k];
        worst = Math.max(worst, Math.abs(qv[k * n + i] - d[i] * h));
      }
    }
    if (info != 0 || !(worst <= tol * 2)) {
      out.add(t + " LQ (gelqf) " + n + " x " + m + ": the factors are off by " + worst
          + ", want < " + tol * 2 + (info != 0 ? " (LAPACK info " + info + ")" : ""));
    }
  }

  /** A unit vector with no zero entry, the same every time for the same seed. */
  static double[] reflector(int m, int seed) {
    double[] v = new double[m];
    double norm = 0;
    for (int i = 0; i < m; i++) {
      v[i] = 1 + ((i * (7 + seed)) % 13) / 13.0;
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < m; i++) {
      v[i] /= norm;
    }
    return v;
  }

  /**
   * Returns (I - 2 v v^T) x for an m x n row-major x of which only the first rows may be
   * non-zero (x has {@code x.length / n} rows, the rest of the m are zero).
   */
  static double[] reflect(double[] v, double[] x, int m, int n) {
    int rows = x.length / n;
    double[] w = new double[n];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < n; j++) {
        w[j] += v[i] * x[i * n + j];
      }
    }
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[i * n + j] = (i < rows ? x[i * n + j] : 0) - 2 * v[i] * w[j];
      }
    }
    return out;
  }

  static double[] times(double[] a, int rows, int cols, double[] x) {
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += a[i * cols + j] * x[j];
      }
      y[i] = s;
    }
    return y;
  }

  /** The message: what was wrong, with which library on which CPU, and the two fixes. */
  static String message(List<String> failures) {
    return "Linalg refuses to run: the native BLAS/LAPACK that ND4J loaded computed wrong"
        + " answers in Tessera's known-answer check (" + String.join("; ", failures) + ")."
        + " Library: " + library() + ". CPU: " + cpuModel() + ". Fix: use the versions Tessera"
        + " pins (org.bytedeco:openblas 0.3.31-1.5.13 with org.bytedeco:javacpp 1.5.13, all"
        + " six org.bytedeco entries of its root pom; a build that overrides them brought an"
        + " older OpenBLAS back), or start the JVM with the environment variable"
        + " OPENBLAS_CORETYPE=Haswell. See docs/native-libraries.md.";
  }

  /** The BLAS vendor and version, read from the classes actually loaded. */
  static String library() {
    String vendor;
    try {
      vendor = String.valueOf(Nd4j.factory().blas().getBlasVendor());
    } catch (RuntimeException | LinkageError e) {
      vendor = "unknown BLAS";
    }
    String version = "version unknown";
    try {
      // reflection: the field is a compile-time constant, and we want the loaded jar's value
      Object v = Class.forName("org.bytedeco.openblas.global.openblas_nolapack")
          .getField("OPENBLAS_VERSION").get(null);
      version = String.valueOf(v).trim();
    } catch (ReflectiveOperationException | LinkageError e) {
      // not OpenBLAS, or its presets are absent: the vendor says enough
    }
    String coretype = System.getenv("OPENBLAS_CORETYPE");
    String nd4j = Nd4j.class.getPackage().getImplementationVersion();
    return vendor + " (" + version + ", via ND4J " + (nd4j == null ? "(version unknown)" : nd4j)
        + ", OPENBLAS_CORETYPE "
        + (coretype == null ? "unset" : "=" + coretype) + ")";
  }

  /** The CPU's model name from /proc/cpuinfo, or the architecture where there is none. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim() + ", " + flags();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch") + " (model unknown)";
  }

  private static String flags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return line.contains(" avx512f") ? "AVX-512" : line.contains(" avx2") ? "AVX2"
              : "no AVX2";
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return "flags unknown";
  }
}
