package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Boolean mask indexing along axis 0 with a 1-d mask, against a plain Java selection. */
class MaskTest {

  /** The rows of {@code x} where {@code keep} is true, by copying C-order segments. */
  static INDArray rows(INDArray x, boolean[] keep) {
    long[] shape = x.shape().clone();
    long rowLength = shape[0] == 0 ? 0 : x.length() / shape[0];
    double[] v = x.length() == 0 ? new double[0]
        : x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    double[] o = new double[(int) (kept * rowLength)];
    int at = 0;
    for (int r = 0; r < keep.length; r++) {
      if (keep[r]) {
        System.arraycopy(v, (int) (r * rowLength), o, at, (int) rowLength);
        at += (int) rowLength;
      }
    }
    shape[0] = kept;
    if (o.length == 0) {
      return Nd4j.create(x.dataType(), shape);
    }
    return Nd4j.createFromArray(o).reshape('c', shape).castTo(x.dataType());
  }

  static boolean[] random(long seed, int n) {
    Random r = new Random(seed);
    boolean[] m = new boolean[n];
    for (int i = 0; i < n; i++) {
      m[i] = r.nextBoolean();
    }
    return m;
  }

  static boolean[] constant(int n, boolean value) {
    boolean[] m = new boolean[n];
    Arrays.fill(m, value);
    return m;
  }

  static Array maskArray(boolean[] m, long chunk) {
    INDArray b = m.length == 0 ? Nd4j.create(DataType.BOOL, 0) : Nd4j.createFromArray(m);
    return Array.fromINDArray(b, Chunks.of(chunk));
  }

  /** Checks x[mask] for random, all-false and all-true masks, masks chunked two ways. */
  static void check(INDArray x, Chunks c, long seed) {
    int n = (int) x.shape()[0];
    Array a = Array.fromINDArray(x, c);
    for (boolean[] keep : List.of(random(seed, n), constant(n, false), constant(n, true))) {
      for (long mc : new long[] {3, Math.max(1, n)}) {
        Array r = a.get(maskArray(keep, mc));
        assertEquals(-1, r.shape()[0]);
        for (long s : r.chunks()[0]) {
          assertEquals(-1, s);
        }
        long[][] ac = a.chunks();
        for (int d = 1; d < x.rank(); d++) {
          assertEquals(x.shape()[d], r.shape()[d]);
          assertArrayEquals(ac[d], r.chunks()[d]);
        }
        assertEquals(ac[0].length, r.chunks()[0].length, "one block row per row block of x");
        INDArray expected = rows(x, keep);
        close(expected, r, 0);
        Array known = r.computeChunkSizes();
        assertArrayEquals(expected.shape(), known.shape());
        for (int d = 1; d < x.rank(); d++) {
          assertArrayEquals(ac[d], known.chunks()[d]);
        }
        // each block row keeps the selected rows of its row block
        long[] off = Layout.offsets(ac[0]);
        for (int b = 0; b < ac[0].length; b++) {
          long k = 0;
          for (long i = off[b]; i < off[b + 1]; i++) {
            k += keep[(int) i] ? 1 : 0;
          }
          assertEquals(k, known.chunks()[0][b], "rows kept by block " + b);
        }
        close(expected, known, 0);
      }
    }
  }

  @Test
  void rows2d() {
    for (DType t : List.of(DType.FLOAT64, DType.INT32)) {
      INDArray x = data(11, t, 7, 10);
      for (Chunks c : Fixtures.chunkings2d()) {
        check(x, c, 5);
      }
    }
  }

  @Test
  void rows3d() {
    for (DType t : List.of(DType.FLOAT64, DType.INT32)) {
      INDArray x = data(12, t, 6, 3, 4);
      for (Chunks c : List.of(Chunks.of(2, 2, 3),
          Chunks.explicit(new long[] {1, 4, 1}, new long[] {3}, new long[] {1, 3}),
          Chunks.of(-1, -1, -1), Chunks.of(1, 1, 1))) {
        check(x, c, 6);
      }
    }
  }

  @Test
  void rows1dAndEmpty() {
    INDArray v = data(13, 9);
    for (Chunks c : List.of(Chunks.of(4), Chunks.explicit(new long[] {1, 6, 2}),
        Chunks.of(-1), Chunks.of(1))) {
      check(v, c, 7);
    }
    check(data(14, 0, 4), Chunks.of(2, 2), 8);
    check(data(15, DType.INT32, 0, 2, 3), Chunks.of(1, 1, 2), 9);
    check(data(16, 5, 0), Chunks.of(2, 1), 10);
  }

  @Test
  void lazyMaskFromTheArrayItself() {
    INDArray x = data(17, 8, 5);
    boolean[] keep = new boolean[8];
    for (int i = 0; i < 8; i++) {
      keep[i] = x.getDouble(i, 0) > 0;
    }
    for (Chunks c : List.of(Chunks.of(3, 2), Chunks.of(1, 5))) {
      Array a = Array.fromINDArray(x, c);
      close(rows(x, keep), a.get(a.get(Index.all(), Index.at(0)).gt(0)), 0);
    }
  }

  @Test
  void operationsAfterComputeChunkSizes() {
    INDArray x = data(18, 9, 6);
    boolean[] keep = random(19, 9);
    INDArray e = rows(x, keep);
    INDArray row = data(20, 6);
    for (Chunks c : List.of(Chunks.of(4, 4), Chunks.explicit(new long[] {2, 1, 6},
        new long[] {5, 1}), Chunks.of(1, 1))) {
      Array r = Array.fromINDArray(x, c).get(maskArray(keep, 2));
      assertThrows(ArrayException.class, () -> r.sum(0));
      Array k = r.computeChunkSizes();
      close(e.sum(0), k.sum(0), 1e-12);
      close(e.mean(0), k.mean(0), 1e-12);
      close(e.sum(1), k.sum(1), 1e-12);
      close(Nd4j.scalar(e.sumNumber().doubleValue()), k.sum(), 1e-12);
      close(e.addRowVector(row), k.add(Array.fromINDArray(row, Chunks.of(4))), 1e-12);
      close(e.mul(e), k.mul(k), 1e-12);
      close(e, k.rechunk(Chunks.of(2, 3)), 0);
      assertTrue(k.sum(0).chunks()[0].length > 0);
    }
  }

  @Test
  void sameShapeMaskStillSelectsElements() {
    INDArray x = data(21, 4, 5);
    Array a = Array.fromINDArray(x, Chunks.of(3, 2));
    Array r = a.get(a.gt(0));
    assertEquals(1, r.ndim());
    long n = 0;
    for (long i = 0; i < x.length(); i++) {
      n += x.dup('c').getDouble(i) > 0 ? 1 : 0;
    }
    assertArrayEquals(new long[] {n}, r.computeChunkSizes().shape());
  }

  @Test
  void badMasks() {
    Array a = Array.fromINDArray(data(22, 6, 4), Chunks.of(2, 2));
    ArrayException e = assertThrows(ArrayException.class,
        () -> a.get(maskArray(new boolean[5], 2)));
    assertEquals("boolean index: 1-d mask of length 5 does not match axis 0 of array shape"
        + " [6, 4] (length 6); a 1-d mask selects rows and needs one entry per row",
        e.getMessage());
    e = assertThrows(ArrayException.class,
        () -> a.get(Array.fromINDArray(data(23, 6), Chunks.of(2))));
    assertEquals("boolean index: mask must be bool, got FLOAT64 (compare it first, e.g."
        + " x.gt(0))", e.getMessage());
    e = assertThrows(ArrayException.class,
        () -> a.get(Array.fromINDArray(data(24, 6, 2), Chunks.of(2, 2)).gt(0)));
    assertEquals("boolean index: mask shape [6, 2] does not match array shape [6, 4]; give a"
        + " mask of the same shape, or a 1-d mask of length 6 to select rows", e.getMessage());
    Array unknown = a.get(maskArray(new boolean[6], 2));
    e = assertThrows(ArrayException.class,
        () -> unknown.get(maskArray(new boolean[0], 1)));
    assertTrue(e.getMessage().contains("unknown chunk sizes; call computeChunkSizes() first"),
        e.getMessage());
  }
}
