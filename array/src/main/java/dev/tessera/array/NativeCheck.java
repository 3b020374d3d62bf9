package dev.tessera.array;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A known-answer check of the BLAS and LAPACK that ND4J loaded, run once per JVM before the
 * first factorization: {@link Linalg} refuses to return numbers from a library that got these
 * wrong (OpenBLAS 0.3.19's SkylakeX kernels compute a wrong float64 QR from 129 columns on, see
 * docs/native-libraries.md).
 *
 * <p>Each case has an answer known without the library: a GEMM of small-integer matrices (exact
 * in floating point, verified exactly with Freivalds' test), and a QR and an SVD of matrices
 * built from Householder reflections {@code H = I - 2 v v^T / v^T v}, whose factors are known
 * up to signs. Sizes are past LAPACK's blocked crossover (128 columns). Each case is checked in
 * O(n^2) plain Java, so the check costs about what the three library calls cost.
 */
final class NativeCheck {
  private NativeCheck() {}

  /** Rows and columns of the QR case, and the order of the SVD case: just past 128. */
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

  /** The real check: every case in float64 and float32. */
  static List<String> run() {
    List<String> out = new ArrayList<>();
    for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      double tol = t == DataType.DOUBLE ? 1e-12 : 1e-4;
      gemm(t, out);
      qr(t, tol, out);
      svd(t, tol, out);
    }
    return out;
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
    INDArray c = matrix(a, m, k, t).mmul(matrix(b, k, n, t).dup('f'));
    double[] cv = values(c);
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
    INDArray q = matrix(a, m, n, t).dup('f');
    INDArray r = Nd4j.create(t, new long[] {n, n}, 'f');
    Nd4j.getBlasWrapper().lapack().geqrf(q, r);
    double[] qv = values(q);
    double[] rv = values(r);
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
    if (!(worst <= tol * 2)) {
      out.add(t + " QR (geqrf) " + m + " x " + n + ": the factors are off by " + worst
          + ", want < " + tol * 2);
    }
  }

  /** A = H1 diag(s) H2 (H1, H2: N x N Householder): singular values s, U = H1 D, V^T = D H2. */
  static void svd(DataType t, double tol, List<String> out) {
    int n = N;
    double[] v1 = reflector(n, 2);
    double[] v2 = reflector(n, 3);
    double[] s = new double[n];
    double[] sh2 = new double[n * n];
    for (int i = 0; i < n; i++) {
      s[i] = 2 - (double) i / n; // distinct, descending, gaps of 1/n: vectors are well defined
      for (int j = 0; j < n; j++) {
        sh2[i * n + j] = s[i] * ((i == j ? 1 : 0) - 2 * v2[i] * v2[j]);
      }
    }
    double[] a = reflect(v1, sh2, n, n);
    INDArray sv = Nd4j.create(t, new long[] {n}, 'f');
    INDArray u = Nd4j.create(t, new long[] {n, n}, 'f');
    INDArray vt = Nd4j.create(t, new long[] {n, n}, 'f');
    Nd4j.getBlasWrapper().lapack().gesvd(matrix(a, n, n, t).dup('f'), sv, u, vt);
    double[] got = values(sv);
    double[] uv = values(u);
    double[] vtv = values(vt);
    double worstS = 0;
    double worstV = 0;
    for (int j = 0; j < n; j++) {
      worstS = Math.max(worstS, Math.abs(got[j] - s[j]));
      // column j of U is +-H1[:, j], row j of V^T is +-H2[j, :]; the signs pair up
      double du = Math.signum(uv[j * n + j] * (1 - 2 * v1[j] * v1[j]));
      for (int i = 0; i < n; i++) {
        double h1 = (i == j ? 1 : 0) - 2 * v1[i] * v1[j];
        double h2 = (i == j ? 1 : 0) - 2 * v2[j] * v2[i];
        worstV = Math.max(worstV, Math.abs(uv[i * n + j] - du * h1));
        worstV = Math.max(worstV, Math.abs(vtv[j * n + i] - du * h2));
      }
    }
    // singular vectors move by eps / gap = eps * n: allow n times more than for the values
    if (!(worstS <= tol * 2) || !(worstV <= tol * n)) {
      out.add(t + " SVD (gesvd) " + n + " x " + n + ": singular values off by " + worstS
          + " (want < " + tol * 2 + "), vectors by " + worstV + " (want < " + tol * n + ")");
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

  static INDArray matrix(double[] rowMajor, int rows, int cols, DataType t) {
    return Nd4j.create(rowMajor, new long[] {rows, cols}, 'c').castTo(t);
  }

  /** The values in row-major order, as doubles. */
  static double[] values(INDArray x) {
    return x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
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
