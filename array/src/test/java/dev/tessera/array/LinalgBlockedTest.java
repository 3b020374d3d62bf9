package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * QR, SVD and least squares at sizes where LAPACK takes its blocked paths (more than 128
 * columns: OpenBLAS 0.3.19's SkylakeX kernels got exactly these wrong, see
 * docs/native-libraries.md), checked against their defining identities rather than against
 * another run of the same library.
 *
 * <p>Tolerances: Householder QR and the SVD are backward stable, so for these well-conditioned
 * random matrices the relative residuals are a small multiple of {@code sqrt(n) * eps}
 * (measured: about 1e-15); 1e-12 leaves a factor of over 100 and is still ten orders of
 * magnitude below what a wrong kernel gives (errors of order 1 and more).
 */
class LinalgBlockedTest {
  private static final double TOL = 1e-12;
  private static final INDArray A = Fixtures.data(21, 2000, 400);

  /** The chunkings of 2000 rows: one block, regular, ragged, and blocks shorter than wide. */
  private static final List<long[]> ROWS = List.of(new long[] {2000}, new long[] {500, 500,
      500, 500}, new long[] {700, 900, 400}, new long[] {250, 250, 250, 250, 250, 250, 250, 250});

  @Test
  void qrOf2000x400OnEveryChunking() {
    for (long[] rows : ROWS) {
      Linalg.QR qr = Linalg.qr(Array.fromINDArray(A, Chunks.explicit(rows, new long[] {400})));
      List<INDArray> out = Array.compute(qr.q(), qr.r());
      checkQr(A, out.get(0), out.get(1), java.util.Arrays.toString(rows));
    }
  }

  @Test
  void tallSkinnyTsqrWithBlockedBlocks() {
    // every block is itself past the blocked crossover (200 columns), 6 or 5 blocks stacked
    INDArray a = Fixtures.data(22, 9000, 200);
    for (long[] rows : List.of(new long[] {1500, 1500, 1500, 1500, 1500, 1500},
        new long[] {1000, 3000, 201, 2799, 2000})) {
      Linalg.QR qr = Linalg.qr(Array.fromINDArray(a, Chunks.explicit(rows, new long[] {200})));
      List<INDArray> out = Array.compute(qr.q(), qr.r());
      checkQr(a, out.get(0), out.get(1), java.util.Arrays.toString(rows));
    }
  }

  @Test
  void svdOf2000x400() {
    for (long[] rows : List.of(ROWS.get(0), ROWS.get(2))) {
      Linalg.SVD svd = Linalg.svd(Array.fromINDArray(A, Chunks.explicit(rows,
          new long[] {400})));
      List<INDArray> out = Array.compute(svd.u(), svd.s(), svd.vt());
      INDArray u = out.get(0);
      INDArray s = out.get(1);
      INDArray vt = out.get(2);
      String where = java.util.Arrays.toString(rows);
      assertBelow(relative(u.mulRowVector(s).mmul(vt), A), "||U S V^T - A||/||A|| " + where);
      assertBelow(orthonormality(u), "||U^T U - I|| " + where);
      assertBelow(orthonormality(vt.transpose()), "||V^T V - I|| " + where);
      assertBelow(orthonormality(vt), "||V V^T - I|| " + where);
      for (int i = 0; i < s.length(); i++) {
        assertTrue(s.getDouble(i) > 0, "singular value " + i + " " + where);
        assertTrue(i == 0 || s.getDouble(i) <= s.getDouble(i - 1), "descending at " + i);
      }
      // the singular values are the square roots of the eigenvalues of A^T A: their sum of
      // squares is ||A||_F^2 (an identity independent of the factorization)
      double f2 = A.mul(A).sumNumber().doubleValue();
      assertEquals(f2, s.mul(s).sumNumber().doubleValue(), TOL * f2, where);
    }
  }

  @Test
  void lstsqOf2000x400SatisfiesTheNormalEquations() {
    INDArray truth = Fixtures.data(23, 400);
    INDArray b = A.mmul(truth.reshape(400, 1)).reshape(2000).add(Fixtures.data(24, 2000)
        .mul(0.1));
    for (long[] rows : List.of(ROWS.get(1), ROWS.get(3))) {
      Linalg.LeastSquares ls = Linalg.lstsq(Array.fromINDArray(A, Chunks.explicit(rows,
          new long[] {400})), Array.fromINDArray(b, Chunks.explicit(rows)));
      List<INDArray> out = Array.compute(ls.x(), ls.residuals(), ls.rank());
      INDArray x = out.get(0);
      INDArray res = A.mmul(x.reshape(400, 1)).reshape(2000).sub(b);
      String where = java.util.Arrays.toString(rows);
      // A^T (A x - b) = 0, relative to the sizes of A and of the residual
      double normal = A.transpose().mmul(res.reshape(2000, 1)).norm2Number().doubleValue();
      double scale = A.norm2Number().doubleValue() * res.norm2Number().doubleValue();
      assertBelow(normal / scale, "||A^T (A x - b)|| / (||A|| ||A x - b||) " + where);
      assertEquals(res.mul(res).sumNumber().doubleValue(), out.get(1).getDouble(0),
          1e-10 * res.mul(res).sumNumber().doubleValue(), "residuals " + where);
      assertEquals(400, out.get(2).getLong(0), "rank " + where);
      // the noise is small, so x is near the truth (cond(A) is about 1.3 here)
      assertTrue(relative(x, truth) < 0.05, "x far from the truth: " + relative(x, truth));
    }
  }

  static void checkQr(INDArray a, INDArray q, INDArray r, String where) {
    long n = a.columns();
    assertEquals(a.rows(), q.rows(), where);
    assertEquals(n, q.columns(), where);
    assertBelow(relative(q.mmul(r), a), "||QR - A||/||A|| " + where);
    assertBelow(orthonormality(q), "||Q^T Q - I|| " + where);
    double rmax = Math.abs(r.maxNumber().doubleValue()) + Math.abs(r.minNumber().doubleValue());
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(0, r.getDouble(i, j), 1e-15 * rmax, "R[" + i + "," + j + "] " + where);
      }
    }
  }

  /** The relative Frobenius distance {@code ||x - y|| / ||y||}. */
  static double relative(INDArray x, INDArray y) {
    return x.sub(y).norm2Number().doubleValue() / y.norm2Number().doubleValue();
  }

  /** {@code ||Q^T Q - I||_F / sqrt(n)}: 0 for orthonormal columns, 1 for a column off by 1. */
  static double orthonormality(INDArray q) {
    long n = q.columns();
    INDArray eye = Nd4j.eye(n).castTo(DataType.DOUBLE);
    return q.transpose().mmul(q).sub(eye).norm2Number().doubleValue() / Math.sqrt(n);
  }

  static void assertBelow(double value, String what) {
    assertTrue(value < TOL, what + " = " + value + ", want < " + TOL);
  }
}
