package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Linear algebra on chunked arrays: tensordot, tall-and-skinny QR (TSQR), the SVD of
 * tall-and-skinny arrays, and least squares.
 *
 * <p>Before its first LAPACK call in a JVM, {@code Linalg} checks the native BLAS/LAPACK that
 * ND4J loaded against answers known in advance (a few milliseconds); a library that fails
 * makes every factorization fail with a {@link NativeLibraryException} instead of returning
 * wrong numbers.
 *
 * <pre>{@code
 * Array a = Array.normal(1, 0, 1, new long[] {100000, 1000}, Chunks.of(10000, 1000), DType.FLOAT64);
 * Linalg.QR qr = Linalg.qr(a);                      // qr.q(): 100000 x 1000, qr.r(): 1000 x 1000
 * }</pre>
 */
public final class Linalg {
  private Linalg() {}
  static {
    NativeBuild.select();   // before ND4J loads: its build for this CPU
  }


  /**
   * A QR factorization: {@code a = q r}, q with orthonormal columns, r upper triangular.
   *
   * @param q the orthonormal factor, chunked by rows like the input
   * @param r the triangular factor, one block
   */
  public record QR(Array q, Array r) {}

  /**
   * A singular value decomposition: {@code a = u diag(s) vt}.
   *
   * @param u the left singular vectors, chunked by rows like the input
   * @param s the singular values, descending
   * @param vt the right singular vectors, transposed, one block
   */
  public record SVD(Array u, Array s, Array vt) {}

  /**
   * Returns the tensor dot product: sums over {@code axesA} of a and {@code axesB} of b; the
   * result's axes are a's free axes, then b's.
   *
   * @param a one operand
   * @param b the other
   * @param axesA contracted axes of a
   * @param axesB contracted axes of b, of the same lengths
   * @return the lazy result
   * @throws ArrayException for contracted axes of different lengths or non-float types
   */
  public static Array tensordot(Array a, Array b, int[] axesA, int[] axesB) {
    return Contraction.tensordot(a, b, axesA, axesB);
  }

  /**
   * Returns the QR factorization of a tall-and-skinny array (rows &gt;= columns) by TSQR: a QR
   * of every row block, a QR of the stacked small R factors, and each block's Q multiplied by
   * its slice of the second Q. Columns are first rechunked into one block.
   *
   * @param a a 2-d float array with at least as many rows as columns
   * @return q and r
   * @throws ArrayException if the array is not 2-d, tall and skinny, and float
   */
  public static QR qr(Array a) {
    if (a.ndim() != 2) {
      throw new ArrayException("qr: needs a 2-d array, got " + a.ndim() + " dimensions");
    }
    if (!a.dtype.isFloat()) {
      throw new ArrayException("qr: needs a float array, got " + a.dtype);
    }
    long m = a.shape[0];
    long n = a.shape[1];
    if (m < n || n == 0) {
      throw new ArrayException("qr: TSQR needs a tall-and-skinny array (rows >= columns > 0),"
          + " got " + m + " x " + n);
    }
    Array x = a.rechunk(Chunks.explicit(a.chunks[0], new long[] {n}));
    long[] rows = x.chunks[0];
    int nb = rows.length;
    // stage 1: per block QR
    String s1 = Tokens.name("qr-block", x);
    Map<Key, Task> t1 = new LinkedHashMap<>();
    long[] ks = new long[nb];
    long[] koff = new long[nb + 1];
    for (int i = 0; i < nb; i++) {
      t1.put(Key.of(s1, i), Task.of(new BlockQr(), x.blockKey(i, 0)));
      ks[i] = Math.min(rows[i], n);
      koff[i + 1] = koff[i] + ks[i];
    }
    Array blocks = Array.of(s1, "qr-block", t1, new long[] {nb}, new long[][] {Reductions
        .filled(nb)}, x.dtype, List.of(x));
    // stage 2: QR of the stacked R factors
    String s2 = Tokens.name("qr-stacked", blocks);
    Object[] keys = new Object[nb];
    for (int i = 0; i < nb; i++) {
      keys[i] = Key.of(s1, i);
    }
    Map<Key, Task> t2 = Map.of(Key.of(s2), Task.of(new StackedQr(n), List.of(keys)));
    Array stacked = Array.of(s2, "qr-stacked", t2, new long[] {}, new long[][] {}, x.dtype,
        List.of(blocks));
    // r: one block
    String rn = Tokens.name("qr-r", stacked);
    Array r = Array.of(rn, "qr-r", Map.of(Key.of(rn, 0, 0), Task.of(new Pick(1),
        Key.of(s2))), new long[] {n, n}, new long[][] {{n}, {n}}, x.dtype, List.of(stacked));
    // q: block i = Q_i @ Q2[koff_i : koff_i+1]
    String qn = Tokens.name("qr-q", stacked);
    Map<Key, Task> tq = new LinkedHashMap<>();
    for (int i = 0; i < nb; i++) {
      tq.put(Key.of(qn, i, 0), Task.of(new FinishQ(koff[i], koff[i + 1]), Key.of(s1, i),
          Key.of(s2)));
    }
    Array q = Array.of(qn, "qr-q", tq, new long[] {m, n}, new long[][] {rows, {n}}, x.dtype,
        List.of(blocks, stacked));
    return new QR(q, r);
  }

  /** Householder QR of one block, reduced: Q (m x k), R (k x n), k = min(m, n). */
  static INDArray[] householder(INDArray block) {
    NativeCheck.require();
    long m = block.rows();
    long n = block.columns();
    if (m >= n) {
      INDArray q = block.dup('f');
      INDArray r = Nd4j.create(block.dataType(), new long[] {n, n}, 'f');
      Nd4j.getBlasWrapper().lapack().geqrf(q, r);
      return new INDArray[] {q, r};
    }
    // a short block: Q = I and R = the block is a valid (if not triangular) factorization;
    // the stacked QR makes the final R triangular
    return new INDArray[] {Nd4j.eye(m).castTo(block.dataType()), block.dup('f')};
  }

  record BlockQr() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return List.of((Object[]) householder((INDArray) args[0]));
    }
  }

  record StackedQr(long n) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> parts = (List<?>) args[0];
      INDArray[] rs = new INDArray[parts.size()];
      for (int i = 0; i < rs.length; i++) {
        rs[i] = (INDArray) ((List<?>) parts.get(i)).get(1);
      }
      INDArray stacked = rs.length == 1 ? rs[0] : Nd4j.concat(0, rs);
      return List.of((Object[]) householder(stacked));
    }
  }

  record Pick(int which) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return ((INDArray) ((List<?>) args[0]).get(which)).dup('c');
    }
  }

  record FinishQ(long from, long to) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray qi = (INDArray) ((List<?>) args[0]).get(0);
      INDArray q2 = (INDArray) ((List<?>) args[1]).get(0);
      INDArray slice = q2.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      return qi.mmul(slice);
    }
  }

  /**
   * Returns the SVD of a tall-and-skinny array: TSQR, then the SVD of the small R factor.
   *
   * @param a a 2-d float array with at least as many rows as columns
   * @return u, s and vt
   */
  public static SVD svd(Array a) {
    QR qr = qr(a);
    long n = a.shape[1];
    String sn = Tokens.name("svd-small", qr.r());
    Array small = Array.of(sn, "svd-small", Map.of(Key.of(sn), Task.of(new SmallSvd(),
        qr.r().blockKey(0, 0))), new long[] {}, new long[][] {}, a.dtype, List.of(qr.r()));
    String un = Tokens.name("svd-u-small", small);
    Array ur = Array.of(un, "svd-u", Map.of(Key.of(un, 0, 0), Task.of(new Pick(0),
        Key.of(sn))), new long[] {n, n}, new long[][] {{n}, {n}}, a.dtype, List.of(small));
    String svn = Tokens.name("svd-s", small);
    Array s = Array.of(svn, "svd-s", Map.of(Key.of(svn, 0), Task.of(new Pick(1),
        Key.of(sn))), new long[] {n}, new long[][] {{n}}, a.dtype, List.of(small));
    String vn = Tokens.name("svd-vt", small);
    Array vt = Array.of(vn, "svd-vt", Map.of(Key.of(vn, 0, 0), Task.of(new Pick(2),
        Key.of(sn))), new long[] {n, n}, new long[][] {{n}, {n}}, a.dtype, List.of(small));
    return new SVD(qr.q().matmul(ur), s, vt);
  }

  record SmallSvd() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      NativeCheck.require();
      INDArray r = ((INDArray) args[0]).dup('f');
      long n = r.rows();
      INDArray s = Nd4j.create(r.dataType(), new long[] {n}, 'f');
      INDArray u = Nd4j.create(r.dataType(), new long[] {n, n}, 'f');
      INDArray vt = Nd4j.create(r.dataType(), new long[] {n, n}, 'f');
      Nd4j.getBlasWrapper().lapack().gesvd(r, s, u, vt);
      return List.of(u, s, vt);
    }
  }

  /**
   * A least-squares solution, like NumPy's {@code lstsq}.
   *
   * @param x the solution, of length n (or n x k)
   * @param residuals the squared residual norms {@code sum((a x - b)^2)} over rows: 0-d for a
   *     vector b, length k for a matrix
   * @param rank the numerical rank of a (0-d int64): singular values above
   *     {@code max(s) * max(m, n) * eps}
   * @param s the singular values of a, descending
   */
  public record LeastSquares(Array x, Array residuals, Array rank, Array s) {}

  /**
   * Returns the least-squares solution of {@code a x = b} for a tall-and-skinny, full-rank
   * a: TSQR, then {@code r x = q^T b} by back substitution; with the residuals, rank and
   * singular values (from the SVD of the small R factor).
   *
   * @param a the m x n matrix, m &gt;= n
   * @param b a vector of length m, or an m x k matrix
   * @return x, residuals, rank and singular values
   * @throws ArrayException if b's rows do not match a's
   */
  public static LeastSquares lstsq(Array a, Array b) {
    if (b.ndim() < 1 || b.ndim() > 2 || b.shape[0] != a.shape[0]) {
      throw new ArrayException("lstsq: b must have " + a.shape[0] + " rows like a, got shape "
          + java.util.Arrays.toString(b.shape));
    }
    QR qr = qr(a);
    Array qtb = tensordot(qr.q(), b, new int[] {0}, new int[] {0});
    Array qtb1 = qtb.rechunk(Chunks.of(b.ndim() == 1 ? new long[] {-1} : new long[] {-1, -1}));
    String xn = Tokens.name("lstsq", qr.r(), qtb1);
    int[] zero = new int[b.ndim()];
    long[][] chunks = b.ndim() == 1 ? new long[][] {{a.shape[1]}}
        : new long[][] {{a.shape[1]}, {b.shape[1]}};
    long[] shape = b.ndim() == 1 ? new long[] {a.shape[1]} : new long[] {a.shape[1], b.shape[1]};
    Array x = Array.of(xn, "lstsq", Map.of(Key.of(xn, zero), Task.of(new BackSubstitute(),
        qr.r().blockKey(0, 0), qtb1.blockKey(zero))), shape, chunks, qtb1.dtype,
        List.of(qr.r(), qtb1));
    Array residual = a.matmul(x).sub(b);
    Array residuals = residual.mul(residual).sum(0);
    long n = a.shape[1];
    String sn = Tokens.name("lstsq-svd", qr.r());
    Array small = Array.of(sn, "lstsq-svd", Map.of(Key.of(sn), Task.of(new SmallSvd(),
        qr.r().blockKey(0, 0))), new long[] {}, new long[][] {}, a.dtype, List.of(qr.r()));
    String svn = Tokens.name("lstsq-s", small);
    Array sv = Array.of(svn, "lstsq-s", Map.of(Key.of(svn, 0), Task.of(new Pick(1),
        Key.of(sn))), new long[] {n}, new long[][] {{n}}, a.dtype, List.of(small));
    String rk = Tokens.name("lstsq-rank", sv);
    Array rank = Array.of(rk, "lstsq-rank", Map.of(Key.of(rk), Task.of(
        new Rank(Math.max(a.shape[0], n)), sv.blockKey(0))), new long[] {}, new long[][] {},
        DType.INT64, List.of(sv));
    return new LeastSquares(x, residuals, rank, sv);
  }

  /** The number of singular values above {@code max(s) * max(m, n) * eps}. */
  record Rank(long maxDim) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray s = ((INDArray) args[0]).dup('c');
      double max = s.length() == 0 ? 0 : s.maxNumber().doubleValue();
      double eps = s.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT ? Math.ulp(1f)
          : Math.ulp(1.0);
      double tol = max * maxDim * eps;
      long r = 0;
      for (long i = 0; i < s.length(); i++) {
        if (s.getDouble(i) > tol) {
          r++;
        }
      }
      return Nd4j.scalar(r);
    }
  }

  /** Solves the upper-triangular system r x = y, column by column. */
  record BackSubstitute() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray r = (INDArray) args[0];
      INDArray y = (INDArray) args[1];
      boolean vector = y.rank() == 1;
      INDArray ym = vector ? y.reshape(y.length(), 1) : y;
      int n = r.rows();
      int k = ym.columns();
      double[][] rv = r.toDoubleMatrix();
      INDArray x = Nd4j.create(y.dataType(), n, k);
      for (int c = 0; c < k; c++) {
        double[] sol = new double[n];
        for (int i = n - 1; i >= 0; i--) {
          double s = ym.getDouble(i, c);
          for (int j = i + 1; j < n; j++) {
            s -= rv[i][j] * sol[j];
          }
          if (rv[i][i] == 0) {
            throw new ArithmeticException("lstsq: a is rank-deficient (R[" + i + "," + i
                + "] = 0)");
          }
          sol[i] = s / rv[i][i];
          x.putScalar(new long[] {i, c}, sol[i]);
        }
      }
      return vector ? x.reshape(n) : x;
    }
  }
}
