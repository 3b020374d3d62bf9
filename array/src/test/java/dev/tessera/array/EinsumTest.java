package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class EinsumTest {
  /** The definition: loop over every assignment of the indices, explicit output only. */
  static INDArray naive(String spec, INDArray... ops) {
    String[] io = spec.split("->", -1);
    String[] in = io[0].split(",");
    String out = io[1];
    Map<Character, Long> len = new LinkedHashMap<>();
    for (int i = 0; i < in.length; i++) {
      for (int d = 0; d < in[i].length(); d++) {
        len.put(in[i].charAt(d), ops[i].size(d));
      }
    }
    List<Character> letters = new ArrayList<>(len.keySet());
    long[] outShape = new long[out.length()];
    for (int d = 0; d < outShape.length; d++) {
      outShape[d] = len.get(out.charAt(d));
    }
    INDArray r = Nd4j.zeros(DataType.DOUBLE, outShape);
    long[] at = new long[letters.size()];
    long total = 1;
    for (char c : letters) {
      total *= len.get(c);
    }
    for (long flat = 0; flat < total; flat++) {
      long f = flat;
      for (int q = letters.size() - 1; q >= 0; q--) {
        at[q] = f % len.get(letters.get(q));
        f /= len.get(letters.get(q));
      }
      double p = 1;
      for (int i = 0; i < in.length; i++) {
        long[] pos = new long[in[i].length()];
        for (int d = 0; d < pos.length; d++) {
          pos[d] = at[letters.indexOf(in[i].charAt(d))];
        }
        p *= pos.length == 0 ? ops[i].getDouble(0) : ops[i].getDouble(pos);
      }
      long[] o = new long[out.length()];
      for (int d = 0; d < o.length; d++) {
        o[d] = at[letters.indexOf(out.charAt(d))];
      }
      if (o.length == 0) {
        r.putScalar(0, r.getDouble(0) + p);
      } else {
        r.putScalar(o, r.getDouble(o) + p);
      }
    }
    return r;
  }

  /** Checks against the definition, operand i cut in blocks of {@code blocks[i % n]}. */
  static void check(String spec, long[][] blocks, INDArray... xs) {
    Array[] as = new Array[xs.length];
    for (int i = 0; i < xs.length; i++) {
      as[i] = Array.fromINDArray(xs[i], Chunks.of(java.util.Arrays.copyOf(
          blocks[i % blocks.length], xs[i].rank())));
    }
    close(naive(spec, xs), Array.einsum(spec, as), 1e-12);
  }

  @Test
  void commonFormsOnSeveralChunkings() {
    INDArray a = data(1, 5, 6);
    INDArray b = data(2, 6, 4);
    INDArray sq = data(3, 6, 6);
    INDArray v = data(4, 6);
    INDArray w = data(5, 5);
    INDArray t3 = data(6, 3, 5, 6);
    INDArray u3 = data(7, 3, 6, 4);
    INDArray k3 = data(8, 5, 6, 4);
    INDArray k2 = data(9, 6, 4);
    for (long[][] c : new long[][][] {{{-1, -1, -1}}, {{1, 1, 1}}, {{2, 4, 3}, {3, 2, 2}},
        {{2, 5, 1}}}) {
      check("ij,jk->ik", c, a, b);
      check("ij,jk->ki", c, a, b);
      check("bij,bjk->bik", c, t3, u3);
      check("bij,bjk->ikb", c, t3, u3);
      check("ij->ji", c, a);
      check("ij->i", c, a);
      check("ij->", c, a);
      check("ii->", c, sq);
      check("ii->i", c, sq);
      check("i,j->ij", c, v, w);
      check("ij,ij->ij", c, a, a);
      check("ij,ij->", c, a, a);
      check("i,i->", c, v, v);
      check("ijk,jkl->il", c, k3, data(10, 6, 4, 2));
      check("ijk,jk->i", c, k3, k2);
      check("ij,j->i", c, a, v);
      check("ij,jk,kl->il", c, a, b, data(11, 4, 3));
      check("bij,bj->bi", c, t3, data(12, 3, 6));
      check("ij,kj->ikj", c, a, data(13, 2, 6));
    }
    // implicit output: the indices used once, sorted
    Array x = Array.fromINDArray(a, Chunks.of(2, 2));
    Array y = Array.fromINDArray(b, Chunks.of(3, 3));
    close(naive("ij,jk->ik", a, b), Array.einsum("ij,jk", x, y), 1e-12);
    close(naive("ij->ji", a), Array.einsum("ji", x), 1e-12);
  }

  @Test
  void matmulSizesAgainstNd4j() {
    Array a = Array.uniform(1, new long[] {300, 200}, Chunks.of(128, 64));
    Array b = Array.uniform(2, new long[] {200, 250}, Chunks.of(64, 100));
    INDArray x = a.compute(Fixtures.SYNC);
    INDArray y = b.compute(Fixtures.SYNC);
    close(x.mmul(y), Array.einsum("ij,jk->ik", a, b), 1e-12);
    Array c = Array.uniform(3, new long[] {4, 100, 80}, Chunks.of(3, 64, 80));
    Array d = Array.uniform(4, new long[] {4, 80, 60}, Chunks.of(2, 32, 60));
    INDArray p = Array.einsum("bij,bjk->bik", c, d).compute(Fixtures.SYNC);
    INDArray cx = c.compute(Fixtures.SYNC);
    INDArray dx = d.compute(Fixtures.SYNC);
    for (int q = 0; q < 4; q++) {
      INDArray want = cx.get(NDArrayIndex.point(q), NDArrayIndex.all(), NDArrayIndex.all())
          .mmul(dx.get(NDArrayIndex.point(q), NDArrayIndex.all(), NDArrayIndex.all()));
      close(want, p.get(NDArrayIndex.point(q), NDArrayIndex.all(), NDArrayIndex.all()), 1e-12);
    }
  }

  @Test
  void unsupportedAndBadSubscriptsAreRefused() {
    Array a = Array.fromINDArray(data(1, 5, 6), Chunks.of(2, 2));
    Array t = Array.fromINDArray(data(2, 3, 3, 3), Chunks.of(2, 2, 2));
    ArrayException e = assertThrows(ArrayException.class, () -> Array.einsum("...ij->ij", a));
    assertTrue(e.getMessage().contains("ellipses"), e.getMessage());
    e = assertThrows(ArrayException.class, () -> Array.einsum("iij->j", t));
    assertTrue(e.getMessage().contains("only in a 2-d operand"), e.getMessage());
    assertThrows(ArrayException.class, () -> Array.einsum("ij,jk->ik", a));
    assertThrows(ArrayException.class, () -> Array.einsum("ijk->i", a));
    e = assertThrows(ArrayException.class, () -> Array.einsum("ij,ij->i", a, a.T()));
    assertTrue(e.getMessage().contains("lengths of one index must match"), e.getMessage());
    assertThrows(ArrayException.class, () -> Array.einsum("ij->k", a));
    assertThrows(ArrayException.class, () -> Array.einsum("ij->ii", a));
    assertThrows(ArrayException.class, () -> Array.einsum("i1->i", a));
  }
}
