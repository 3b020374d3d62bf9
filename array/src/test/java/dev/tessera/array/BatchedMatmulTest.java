package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** NumPy's batched matmul (more than 2 dimensions) against one ND4J mmul per batch element. */
class BatchedMatmulTest {

  /** The batch (leading) shape of an operand, padded with 1s on the left to {@code nb} axes. */
  static long[] batchShape(long[] s, int nb) {
    long[] out = new long[nb];
    Arrays.fill(out, 1);
    for (int i = 0; i < s.length - 2; i++) {
      out[nb - (s.length - 2) + i] = s[i];
    }
    return out;
  }

  /** Flat batch position of an operand for the output's batch index (0 on its length-1 axes). */
  static long flat(long[] bshape, long[] index) {
    long f = 0;
    for (int i = 0; i < bshape.length; i++) {
      f = f * bshape[i] + (bshape[i] == 1 ? 0 : index[i]);
    }
    return f;
  }

  /** The reference: both operands at least 2-d; a loop over output batch elements. */
  static INDArray reference(INDArray a, INDArray b) {
    int nb = Math.max(a.rank(), b.rank()) - 2;
    long[] ba = batchShape(a.shape(), nb);
    long[] bb = batchShape(b.shape(), nb);
    long[] bo = new long[nb];
    for (int i = 0; i < nb; i++) {
      bo[i] = Math.max(ba[i], bb[i]);
    }
    long m = a.size(a.rank() - 2);
    long k = a.size(a.rank() - 1);
    long n = b.size(b.rank() - 1);
    long batches = Layout.size(bo);
    INDArray a3 = a.dup('c').reshape('c', Layout.size(ba), m, k);
    INDArray b3 = b.dup('c').reshape('c', Layout.size(bb), k, n);
    INDArray out = Nd4j.create(a.dataType(), batches, m, n);
    long[] index = new long[nb];
    for (long q = 0; q < batches; q++) {
      long rest = q;
      for (int i = nb - 1; i >= 0; i--) {
        index[i] = rest % bo[i];
        rest /= bo[i];
      }
      INDArray x = a3.get(NDArrayIndex.interval(flat(ba, index), flat(ba, index) + 1),
          NDArrayIndex.all(), NDArrayIndex.all()).dup('c').reshape('c', m, k);
      INDArray y = b3.get(NDArrayIndex.interval(flat(bb, index), flat(bb, index) + 1),
          NDArrayIndex.all(), NDArrayIndex.all()).dup('c').reshape('c', k, n);
      out.get(NDArrayIndex.interval(q, q + 1), NDArrayIndex.all(), NDArrayIndex.all())
          .assign(x.mmul(y).reshape('c', 1, m, n));
    }
    long[] shape = Arrays.copyOf(bo, nb + 2);
    shape[nb] = m;
    shape[nb + 1] = n;
    return out.reshape('c', shape);
  }

  static void check(INDArray a, INDArray b, List<Chunks> ca, List<Chunks> cb) {
    INDArray expected = reference(a, b);
    for (Chunks x : ca) {
      for (Chunks y : cb) {
        Array r = Array.fromINDArray(a, x).matmul(Array.fromINDArray(b, y));
        assertArrayEquals(expected.shape(), r.shape());
        close(expected, r, 1e-12);
      }
    }
  }

  @Test
  void sameBatchShapes() {
    INDArray a = data(31, 3, 5, 4);
    INDArray b = data(32, 3, 4, 6);
    check(a, b,
        List.of(Chunks.of(1, 2, 3), Chunks.of(-1, -1, -1), Chunks.of(1, 1, 1),
            Chunks.explicit(new long[] {2, 1}, new long[] {4, 1}, new long[] {1, 3})),
        List.of(Chunks.of(2, 3, 4), Chunks.of(-1, -1, -1), Chunks.of(1, 1, 1)));
  }

  @Test
  void broadcastBatchAxes() {
    check(data(33, 2, 1, 5, 4), data(34, 3, 4, 6),
        List.of(Chunks.of(1, 1, 2, 3), Chunks.of(-1, -1, -1, -1)),
        List.of(Chunks.of(2, 3, 4), Chunks.of(1, 1, 1)));
    check(data(35, 2, 3, 5, 4), data(36, 4, 6),
        List.of(Chunks.of(1, 2, 3, 3), Chunks.of(-1, -1, -1, -1)),
        List.of(Chunks.of(3, 4), Chunks.of(1, 1)));
    check(data(37, 5, 4), data(38, 2, 1, 4, 3),
        List.of(Chunks.of(2, 3), Chunks.of(-1, -1)),
        List.of(Chunks.of(1, 1, 3, 2), Chunks.of(-1, -1, -1, -1)));
  }

  @Test
  void manyContractedBlocksAreAddedInATree() {
    check(data(39, 2, 3, 40), data(40, 2, 40, 2),
        List.of(Chunks.of(1, 2, 1), Chunks.of(2, 3, 3)), List.of(Chunks.of(1, 1, 2)));
  }

  @Test
  void vectorOperands() {
    INDArray v = data(41, 4);
    INDArray s = data(42, 3, 4, 6);
    INDArray left = reference(v.reshape(1, 4), s);
    close(left.reshape('c', 3, 6), Array.fromINDArray(v, Chunks.of(3))
        .matmul(Array.fromINDArray(s, Chunks.of(2, 3, 4))), 1e-12);
    INDArray t = data(43, 3, 5, 4);
    INDArray right = reference(t, v.reshape(4, 1));
    close(right.reshape('c', 3, 5), Array.fromINDArray(t, Chunks.of(2, 2, 3))
        .matmul(Array.fromINDArray(v, Chunks.of(1))), 1e-12);
  }

  @Test
  void emptyAndFloat32() {
    Array a = Array.fromINDArray(data(44, 0, 3, 4), Chunks.of(2, 2, 2));
    Array b = Array.fromINDArray(data(45, 0, 4, 2), Chunks.of(2, 2, 2));
    assertArrayEquals(new long[] {0, 3, 2}, Fixtures.compute(a.matmul(b)).shape());
    Array c = Array.fromINDArray(data(46, 2, 3, 0), Chunks.of(1, 2, 1));
    Array d = Array.fromINDArray(data(47, 2, 0, 4), Chunks.of(1, 1, 3));
    close(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3, 4), c.matmul(d), 0);
    INDArray f = data(48, DType.FLOAT32, 2, 3, 4);
    INDArray g = data(49, DType.FLOAT32, 2, 4, 3);
    close(reference(f, g), Array.fromINDArray(f, Chunks.of(1, 2, 3))
        .matmul(Array.fromINDArray(g, Chunks.of(2, 3, 2))), 1e-5);
  }

  @Test
  void badOperands() {
    Array a = Array.fromINDArray(data(50, 2, 3, 4), Chunks.of(1, 2, 2));
    ArrayException e = assertThrows(ArrayException.class,
        () -> a.matmul(Array.fromINDArray(data(51, 2, 5, 6), Chunks.of(1, 2, 2))));
    assertEquals("matmul: contraction over axes of different length: [2, 3, 4] @ [2, 5, 6]"
        + " (last axis of a 4 vs second-to-last axis of b 5)", e.getMessage());
    e = assertThrows(ArrayException.class,
        () -> a.matmul(Array.fromINDArray(data(52, 3, 4, 6), Chunks.of(1, 2, 2))));
    assertEquals("matmul: batch axes could not be broadcast together: [2, 3, 4] @ [3, 4, 6]"
        + " (batch axis 0: 2 vs 3; lengths must match or be 1)", e.getMessage());
    assertThrows(ArrayException.class, () -> a.astype(DType.INT32).matmul(a));
  }
}
