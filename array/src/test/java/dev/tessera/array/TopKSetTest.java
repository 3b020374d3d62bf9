package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TopKSetTest {
  /** The direct top k of a 2-d array along an axis: a stable full sort of every line. */
  static INDArray[] direct(INDArray x, int k, int axis) {
    INDArray t = axis == 0 ? x.transpose().dup('c') : x.dup('c');
    int rows = (int) t.size(0);
    int n = (int) t.size(1);
    int m = Math.abs(k);
    double[][] v = new double[rows][m];
    long[][] ix = new long[rows][m];
    for (int r = 0; r < rows; r++) {
      double[] row = t.getRow(r).toDoubleVector();
      Comparator<Integer> c = (a, b) -> Double.compare(row[a], row[b]);
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, k > 0 ? (a, b) -> c.compare(b, a) : c);   // stable: ties by index
      for (int i = 0; i < m; i++) {
        v[r][i] = row[order[i]];
        ix[r][i] = order[i];
      }
    }
    INDArray vs = Nd4j.createFromArray(v);
    INDArray is = Nd4j.createFromArray(ix);
    return axis == 0 ? new INDArray[] {vs.transpose().dup('c'), is.transpose().dup('c')}
        : new INDArray[] {vs, is};
  }

  @Test
  void topkAndArgtopkOnEveryChunkingWithTiesAndNan() {
    INDArray x = data(2, DType.INT32, 7, 10).castTo(DataType.DOUBLE);   // many ties
    x.putScalar(new long[] {2, 3}, Double.NaN);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      for (int k : new int[] {1, 3, -2, 7, -7}) {
        for (int axis : new int[] {0, 1}) {
          if (Math.abs(k) > x.size(axis)) {
            continue;
          }
          INDArray[] want = direct(x, k, axis);
          close(want[0], a.topk(k, axis), 0);
          close(want[1], a.argtopk(k, axis), 0);
        }
      }
      close(direct(x, 4, 1)[0], a.topk(4), 0);
      close(direct(x, -4, 1)[1], a.argtopk(-4), 0);
    }
  }

  @Test
  void largeTopkThreeDimensionsAndFloat32() {
    Array a = Array.uniform(3, new long[] {20_000, 50}, Chunks.of(1_300, 20));
    INDArray x = compute(a);
    INDArray[] want = direct(x, 25, 0);
    close(want[0], a.topk(25, 0), 0);
    close(want[1], a.argtopk(25, 0), 0);
    INDArray y = data(4, 3, 4, 5).castTo(DataType.FLOAT);
    Array b = Array.fromINDArray(y, Chunks.of(2, 3, 2));
    INDArray got = compute(b.topk(-2, 1));
    assertEquals(DataType.FLOAT, got.dataType());
    for (int i = 0; i < 3; i++) {
      INDArray slice = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
          org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
      close(direct(slice.castTo(DataType.DOUBLE), -2, 0)[0].castTo(DataType.FLOAT),
          got.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
              org.nd4j.linalg.indexing.NDArrayIndex.all(),
              org.nd4j.linalg.indexing.NDArrayIndex.all()), 0);
    }
  }

  @Test
  void uniqueWithCountsAndIsin() {
    INDArray x = data(5, DType.INT32, 7, 10).castTo(DataType.DOUBLE);
    x.putScalar(new long[] {0, 1}, Double.NaN);
    x.putScalar(new long[] {5, 5}, Double.NaN);
    x.putScalar(new long[] {6, 0}, -0.0);
    TreeMap<Double, Long> want = new TreeMap<>();   // Double's order: NaN last, one key
    for (double v : x.dup('c').reshape(70).toDoubleVector()) {
      want.merge(v == 0 ? 0.0 : v, 1L, Long::sum);
    }
    INDArray test = Nd4j.createFromArray(3.0, -10, 4, 4, 100, Double.NaN);
    for (Chunks c : Fixtures.chunkings2d()) {
      Unique u = Array.fromINDArray(x, c).unique();
      List<INDArray> both = Array.compute(u.values(), u.counts());
      double[] vals = both.get(0).toDoubleVector();
      assertEquals(want.size(), vals.length);
      int i = 0;
      for (var e : want.entrySet()) {
        assertEquals(e.getKey(), vals[i] == 0 ? 0.0 : vals[i], "value " + i);
        assertEquals(e.getValue(), both.get(1).getLong(i), "count of " + e.getKey());
        i++;
      }
      INDArray in = compute(Array.fromINDArray(x, c).isin(Array.fromINDArray(test,
          Chunks.of(4))));
      assertEquals(DataType.BOOL, in.dataType());
      for (long p = 0; p < 70; p++) {
        double v = x.dup('c').reshape(70).getDouble(p);
        boolean expect = v == 3 || v == -10 || v == 4 || v == 100;   // NaN is in nothing
        assertEquals(expect, in.dup('c').reshape(70).getDouble(p) != 0, "element " + p);
      }
    }
  }

  @Test
  void int64UniqueAndIsinStayExact() {
    long big = (1L << 60) + 1;
    INDArray x = Nd4j.createFromArray(big, 5L, big - 1, big, 5L, 7L);
    for (Chunks c : List.of(Chunks.of(1), Chunks.of(4), Chunks.of(-1))) {
      Unique u = Array.fromINDArray(x, c).unique();
      close(Nd4j.createFromArray(5L, 7L, big - 1, big), u.values(), 0);
      close(Nd4j.createFromArray(2L, 1L, 1L, 2L), u.counts(), 0);
      INDArray in = compute(Array.fromINDArray(x, c).isin(Array.fromINDArray(
          Nd4j.createFromArray(big, 7L), Chunks.of(1))));
      assertArrayEquals(new boolean[] {true, false, false, true, false, true},
          new boolean[] {in.getDouble(0) != 0, in.getDouble(1) != 0, in.getDouble(2) != 0,
              in.getDouble(3) != 0, in.getDouble(4) != 0, in.getDouble(5) != 0});
    }
    Array empty = Array.zeros(new long[] {0}, Chunks.of(3), DType.FLOAT64);
    assertEquals(0, compute(empty.unique().values()).length());
  }

  @Test
  void badInputIsRefused() {
    Array a = Array.fromINDArray(data(1, 7, 10), Chunks.of(3, 4));
    ArrayException e = assertThrows(ArrayException.class, () -> a.topk(0));
    assertTrue(e.getMessage().contains("k must be non-zero"), e.getMessage());
    assertThrows(ArrayException.class, () -> a.topk(11));
    assertThrows(ArrayException.class, () -> a.argtopk(-8, 0));
    assertThrows(ArrayException.class, () -> a.topk(2, 2));
    assertThrows(ArrayException.class, () -> a.astype(DType.INT64).topk(2));
    Array masked = a.get(a.get(Index.all(), Index.at(0)).gt(0));
    assertThrows(ArrayException.class, masked::unique);
    assertThrows(ArrayException.class, () -> masked.isin(a));
  }
}
