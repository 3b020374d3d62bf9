package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinalgTest {
  @Test
  void matmulOnEveryChunkingPair() {
    INDArray a = data(1, 7, 10);
    INDArray b = data(2, 10, 6);
    List<Chunks> ca = Fixtures.chunkings2d();
    List<Chunks> cb = List.of(Chunks.of(4, 4), Chunks.explicit(new long[] {1, 6, 3},
        new long[] {6}), Chunks.of(1, 1));
    for (Chunks x : ca) {
      for (Chunks y : cb) {
        close(a.mmul(b), Array.fromINDArray(a, x).matmul(Array.fromINDArray(b, y)), 1e-12);
      }
    }
    INDArray v = data(3, 10);
    close(a.mmul(v.reshape(10, 1)).reshape(7), Array.fromINDArray(a, Chunks.of(3, 4))
        .matmul(Array.fromINDArray(v, Chunks.of(3))), 1e-12);
    assertEquals(v.mul(v).sumNumber().doubleValue(), compute(Array.fromINDArray(v, Chunks.of(3))
        .dot(Array.fromINDArray(v, Chunks.of(4)))).getDouble(0), 1e-12);
  }

  @Test
  void manyContractedBlocksUseATreeAndFloat32Works() {
    INDArray a = data(4, DType.FLOAT32, 5, 40);
    INDArray b = data(5, DType.FLOAT32, 40, 3);
    close(a.mmul(b), Array.fromINDArray(a, Chunks.of(5, 1)).matmul(Array.fromINDArray(b,
        Chunks.of(1, 3))), 1e-5);
    // 300 contracted blocks: groups of 16 products, then two levels of additions
    INDArray c = data(12, 4, 300);
    INDArray d = data(13, 300, 2);
    Array prod = Array.fromINDArray(c, Chunks.of(4, 1)).matmul(Array.fromINDArray(d,
        Chunks.of(1, 2)));
    close(c.mmul(d), prod, 1e-12);
    long maxDeps = prod.graph().tasks().values().stream()
        .mapToLong(t -> t.dependencyCount()).max().orElse(0);
    assertTrue(maxDeps <= 32, "a task needs " + maxDeps + " inputs");
  }

  @Test
  void tensordotNd() {
    INDArray a = data(6, 3, 4, 5);
    INDArray b = data(7, 4, 5, 2);
    INDArray expected = Nd4j.tensorMmul(a, b, new int[][] {{1, 2}, {0, 1}});
    close(expected, Linalg.tensordot(Array.fromINDArray(a, Chunks.of(2, 3, 2)),
        Array.fromINDArray(b, Chunks.of(1, 2, 1)), new int[] {1, 2}, new int[] {0, 1}), 1e-12);
  }

  @Test
  void badContractionsFailAtBuildTime() {
    Array a = Array.fromINDArray(data(1, 7, 10), Chunks.of(3, 4));
    Array b = Array.fromINDArray(data(2, 9, 6), Chunks.of(3, 3));
    ArrayException e = assertThrows(ArrayException.class, () -> a.matmul(b));
    assertTrue(e.getMessage().contains("different length"), e.getMessage());
    assertThrows(ArrayException.class, () -> Linalg.tensordot(a, b, new int[] {0},
        new int[] {0}));
    assertThrows(ArrayException.class, () -> a.astype(DType.INT32).matmul(a.T()));
    assertThrows(ArrayException.class, () -> Linalg.qr(a));
  }

  @Test
  void tsqrReconstructsAndIsOrthonormal() {
    INDArray x = data(8, 60, 7);
    for (Chunks c : List.of(Chunks.of(10, 7), Chunks.explicit(new long[] {3, 20, 37},
        new long[] {7}), Chunks.of(-1, -1), Chunks.of(13, 3))) {
      Linalg.QR qr = Linalg.qr(Array.fromINDArray(x, c));
      List<INDArray> out = Array.compute(qr.q(), qr.r());
      INDArray q = out.get(0);
      INDArray r = out.get(1);
      assertArrayEquals(new long[] {60, 7}, q.shape());
      close(x, q.mmul(r), 1e-12);
      close(Nd4j.eye(7).castTo(DataType.DOUBLE), q.transpose().mmul(q), 1e-12);
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < i; j++) {
          assertEquals(0, r.getDouble(i, j), 1e-14);
        }
      }
    }
  }

  @Test
  void svdAndLstsq() {
    INDArray x = data(9, 50, 6);
    Linalg.SVD svd = Linalg.svd(Array.fromINDArray(x, Chunks.of(8, 6)));
    List<INDArray> out = Array.compute(svd.u(), svd.s(), svd.vt());
    INDArray us = out.get(0).mulRowVector(out.get(1));
    close(x, us.mmul(out.get(2)), 1e-12);
    INDArray s = out.get(1);
    for (int i = 1; i < 6; i++) {
      assertTrue(s.getDouble(i) <= s.getDouble(i - 1));
    }
    INDArray truth = data(10, 6);
    INDArray y = x.mmul(truth.reshape(6, 1)).reshape(50);
    close(truth, Linalg.lstsq(Array.fromINDArray(x, Chunks.of(8, 6)),
        Array.fromINDArray(y, Chunks.of(8))).x(), 1e-10);
    // a noisy right-hand side: residuals against a direct computation, rank, singular values
    INDArray noisy = y.add(data(11, 50).mul(0.1));
    Linalg.LeastSquares ls = Linalg.lstsq(Array.fromINDArray(x, Chunks.of(7, 6)),
        Array.fromINDArray(noisy, Chunks.of(9)));
    List<INDArray> r = Array.compute(ls.x(), ls.residuals(), ls.rank(), ls.s());
    INDArray res = x.mmul(r.get(0).reshape(6, 1)).reshape(50).sub(noisy);
    assertEquals(res.mul(res).sumNumber().doubleValue(), r.get(1).getDouble(0), 1e-12);
    // the normal equations hold at the least-squares solution: x^T (x sol - b) = 0
    close(Nd4j.zeros(DataType.DOUBLE, 6), x.transpose().mmul(res.reshape(50, 1)).reshape(6),
        1e-10);
    assertEquals(6, r.get(2).getLong(0));
    close(s, r.get(3), 1e-12);
  }
}
