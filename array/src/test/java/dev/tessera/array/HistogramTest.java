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

class HistogramTest {
  /** The direct count: NumPy's definition, bin i = [e_i, e_i+1), the last closed. */
  static double[] direct(double[] v, double[] w, double[] e) {
    int n = e.length - 1;
    double[] c = new double[n];
    for (int k = 0; k < v.length; k++) {
      for (int i = n - 1; i >= 0; i--) {
        boolean in = i == n - 1 ? v[k] >= e[i] && v[k] <= e[n] : v[k] >= e[i] && v[k] < e[i + 1];
        if (in) {
          c[i] += w == null ? 1 : w[k];
          break;
        }
      }
    }
    return c;
  }

  static double[] flat(INDArray x) {
    return Histograms.values(x);
  }

  @Test
  void uniformBinsOnEveryChunkingWithEdgeValues() {
    INDArray x = data(4, 7, 10);
    // exact edge values: -1, 0, 0.5 (an inner edge) and 1 (the closed last edge)
    x.putScalar(new long[] {0, 0}, 1.0);
    x.putScalar(new long[] {1, 1}, -1.0);
    x.putScalar(new long[] {2, 2}, 0.5);
    x.putScalar(new long[] {3, 3}, Double.NaN);
    x.putScalar(new long[] {4, 4}, 7.0);
    for (Chunks c : Fixtures.chunkings2d()) {
      Histogram h = Array.fromINDArray(x, c).histogram(8, -1, 1);
      assertArrayEquals(new double[] {-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1}, h.edges());
      INDArray counts = compute(h.counts());
      assertEquals(DataType.LONG, counts.dataType());
      assertArrayEquals(direct(flat(x), null, h.edges()), counts.toDoubleVector());
      assertEquals(68, counts.sumNumber().longValue(), "NaN and 7 are outside the range");
    }
  }

  @Test
  void explicitEdgesWeightsAndLargeData() {
    Array a = Array.uniform(5, -3, 3, new long[] {1000, 300}, Chunks.of(333, 77),
        DType.FLOAT64);
    Array w = Array.uniform(6, new long[] {1000, 300}, Chunks.of(250, 300));
    double[] edges = {-2.5, -1, -1, 0, 0.1, 2};
    INDArray x = compute(a);
    INDArray wx = compute(w);
    Histogram h = a.histogram(edges, null);
    assertArrayEquals(direct(flat(x), null, edges), compute(h.counts()).toDoubleVector());
    double[] got = compute(a.histogram(edges, w).counts()).toDoubleVector();
    double[] want = direct(flat(x), flat(wx), edges);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-9 * Math.max(1, want[i]));
    }
    assertEquals(0, got[1], "repeated edges make an empty bin");
    double[] uni = compute(a.histogram(64, -3, 3).counts()).toDoubleVector();
    assertArrayEquals(direct(flat(x), null, Histograms.uniformEdges(64, -3, 3)), uni);
  }

  @Test
  void bincountWithWeightsMinlengthAndEmptyBlocks() {
    INDArray x = Nd4j.createFromArray(0L, 1L, 1L, 3L, 2L, 1L, 7L, 0L, 0L);
    INDArray wx = Nd4j.createFromArray(0.5, 1, 1, 2, 3, 1, 1.5, 2, 0.25);
    for (Chunks c : List.of(Chunks.of(1), Chunks.of(4), Chunks.explicit(new long[] {0, 6, 3}),
        Chunks.of(-1))) {
      Array a = Array.fromINDArray(x, c);
      close(Nd4j.createFromArray(3L, 3L, 1L, 1L, 0L, 0L, 0L, 1L), a.bincount(null, 0), 0);
      close(Nd4j.createFromArray(3L, 3L, 1L, 1L, 0L, 0L, 0L, 1L, 0L, 0L),
          a.bincount(null, 10), 0);
      close(Nd4j.createFromArray(2.75, 3, 3, 2, 0, 0, 0, 1.5),
          a.bincount(Array.fromINDArray(wx, Chunks.of(2)), 3), 1e-15);
    }
    INDArray big = Array.uniform(8, 0, 50, new long[] {100_000}, Chunks.of(7_000),
        DType.FLOAT64).floor().astype(DType.INT64).compute(Fixtures.SYNC);
    long[] want = new long[50];
    for (long v : big.toLongVector()) {
      want[(int) v]++;
    }
    assertArrayEquals(want, compute(Array.fromINDArray(big, Chunks.of(9_999))
        .bincount(null, 0)).toLongVector());
  }

  @Test
  void badInputIsRefused() {
    Array a = Array.fromINDArray(data(1, 7, 10), Chunks.of(3, 4));
    assertThrows(ArrayException.class, () -> a.histogram(0, 0, 1));
    assertThrows(ArrayException.class, () -> a.histogram(4, 1, 0));
    ArrayException e = assertThrows(ArrayException.class,
        () -> a.histogram(new double[] {0, 1, 0.5}, null));
    assertTrue(e.getMessage().contains("increase monotonically"), e.getMessage());
    assertThrows(ArrayException.class, () -> a.histogram(new double[] {0, 1},
        Array.ones(new long[] {7}, Chunks.of(3), DType.FLOAT64)));
    assertThrows(ArrayException.class, () -> a.bincount(null, 0));
    Array ints = Array.fromINDArray(Nd4j.createFromArray(1L, -2L, 3L), Chunks.of(2));
    Exception run = assertThrows(Exception.class, () -> compute(ints.bincount(null, 0)));
    Throwable t = run;
    while (t.getCause() != null && !(t instanceof IllegalArgumentException)) {
      t = t.getCause();
    }
    assertTrue(t.getMessage().contains("element 1 is -2"), t.getMessage());
  }
}
