package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The Java block kernels against ND4J on the same blocks, and through the array API. */
class KernelsTest {
  private static final List<Ops.Binary> ARITH = List.of(Ops.Binary.ADD, Ops.Binary.SUB,
      Ops.Binary.MUL, Ops.Binary.DIV);

  /** Sizes around the 8-row groups and 128-column stripes: smaller, ragged, larger, 1 x 1. */
  private static final int[][] SIZES = {{1, 1}, {1, 9}, {2, 3}, {7, 3}, {8, 8}, {64, 64},
      {65, 129}, {130, 70}, {257, 131}};

  @Test
  void arithmeticWithTransposedOperandsIsExactlyNd4js() {
    for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
      for (int[] s : SIZES) {
        INDArray x = data(1, t, s[0], s[1]);
        // F-order views, as x.T's blocks are; the divisor away from 0
        INDArray yt = data(2, t, s[1], s[0]).add(1.5).transpose();
        INDArray xt = data(3, t, s[1], s[0]).add(1.5).transpose();
        if (s[0] == 1 || s[1] == 1) {
          // a transposed vector is contiguous too: ND4J's case
          assertNull(Kernels.binary(Ops.Binary.ADD, x, yt));
          continue;
        }
        for (Ops.Binary op : ARITH) {
          INDArray want = op.apply(new INDArray[] {x, yt.dup('c')});
          close(want, Kernels.binary(op, x, yt), 0);
          close(op.apply(new INDArray[] {yt.dup('c'), x.add(1.5)}),
              Kernels.binary(op, yt, x.add(1.5)), 0);
          close(op.apply(new INDArray[] {xt.dup('c'), yt.dup('c')}),
              Kernels.binary(op, xt, yt), 0);
        }
      }
    }
  }

  /** The sum of {@code x op y} in float64, from ND4J's unfused {@code x op y}. */
  private static double directSum(Ops.Binary op, INDArray x, INDArray y) {
    INDArray z = op.apply(new INDArray[] {x.dup('c'), y.dup('c')}).castTo(DType.FLOAT64.nd4j());
    double s = 0;
    for (long i = 0; i < z.length(); i++) {
      s += z.getDouble(i);
    }
    return s;
  }

  @Test
  void fusedSumsOfArithmeticMatchTheUnfusedSum() {
    for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
      for (int[] s : SIZES) {
        INDArray x = data(20, t, s[0], s[1]).add(0.25);   // not centred: rounding would show
        INDArray y = data(21, t, s[0], s[1]).add(1.5);
        INDArray yt = data(22, t, s[1], s[0]).add(1.5).transpose();
        for (Ops.Binary op : ARITH) {
          for (INDArray[] p : new INDArray[][] {{x, y}, {x, yt}, {yt, x}, {yt, yt}}) {
            double want = directSum(op, p[0], p[1]);
            // both sums add the same float64 (or exactly widened float32) elements
            assertEquals(want, Kernels.sumOfBinary(op, p[0], p[1]), 1e-12 * Math.max(1,
                Math.abs(want)), t + " " + op + " " + s[0] + "x" + s[1]);
          }
        }
      }
    }
  }

  @Test
  void fusedSumsOfViewsAndBroadcastsWork() {
    INDArray big = data(4, 150, 290);
    INDArray inner = big.get(NDArrayIndex.interval(3, 133), NDArrayIndex.interval(5, 275));
    INDArray stepped = data(17, 270, 272).get(NDArrayIndex.interval(0, 2, 260),
        NDArrayIndex.interval(1, 271));
    INDArray other = data(5, 270, 130).transpose();
    INDArray row = data(6, 1, 270).broadcast(130, 270);    // stride 0 along the rows
    for (INDArray[] p : new INDArray[][] {{inner, other}, {stepped, other}, {other, inner},
        {row, other}, {inner, row}}) {
      double want = directSum(Ops.Binary.MUL, p[0], p[1]);
      assertEquals(want, Kernels.sumOfBinary(Ops.Binary.MUL, p[0], p[1]), 1e-12 * Math.abs(want));
    }
    assertNull(Kernels.sumOfBinary(Ops.Binary.POW, inner, other));
    assertNull(Kernels.sumOfBinary(Ops.Binary.ADD, inner, other.castTo(DType.FLOAT32.nd4j())));
    assertNull(Kernels.sumOfBinary(Ops.Binary.ADD, data(7, 2, 3, 4), data(8, 2, 3, 4)));
  }

  @Test
  void viewsWithOffsetsAndStepsWork() {
    INDArray big = data(4, 150, 90);
    INDArray inner = big.get(NDArrayIndex.interval(3, 133), NDArrayIndex.interval(5, 75));
    INDArray stepped = data(17, 270, 90).get(NDArrayIndex.interval(0, 2, 260),
        NDArrayIndex.interval(1, 71));
    INDArray other = data(5, 70, 130).transpose();
    close(inner.dup('c').add(other.dup('c')), Kernels.binary(Ops.Binary.ADD, inner, other), 0);
    close(stepped.dup('c').mul(other.dup('c')), Kernels.binary(Ops.Binary.MUL, stepped, other),
        0);
    close(other.dup('c').sub(inner.dup('c')), Kernels.binary(Ops.Binary.SUB, other, inner), 0);
  }

  @Test
  void copiesOfViewsWithContiguousRowsAreExact() {
    for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
      INDArray big = data(40, t, 300, 270);
      INDArray stepped = big.get(NDArrayIndex.interval(1, 2, 300), NDArrayIndex.interval(3, 263));
      for (INDArray src : new INDArray[] {stepped, big, big.get(NDArrayIndex.interval(7, 8),
          NDArrayIndex.all()), big.get(NDArrayIndex.all(), NDArrayIndex.interval(5, 6))}) {
        long[] s = src.shape();
        INDArray out = Nd.zeros(t, new long[] {s[0] + 3, s[1] + 2});
        INDArray target = out.get(NDArrayIndex.interval(2, 2 + s[0]),
            NDArrayIndex.interval(1, 1 + s[1]));
        assertEquals(true, Kernels.copy(target, src));
        close(src.dup('c'), target.dup('c'), 0);
        // nothing outside the target was written
        assertEquals(0, out.getDouble(0, 0), 0);
        assertEquals(0, out.getDouble(1, 1), 0);
        assertEquals(0, out.getDouble(s[0] + 2, s[1] + 1), 0);
      }
      INDArray other = Nd.zeros(t, new long[] {270, 300});
      assertEquals(false, Kernels.copy(other, big.transpose().dup('c').transpose()));  // columns strided
      assertEquals(false, Kernels.copy(Nd.zeros(t, new long[] {3, 3}), big));        // shapes differ
      assertEquals(false, Kernels.copy(big, big));                                      // overlapping
    }
  }

  @Test
  void notTheFastCaseGivesNull() {
    INDArray x = data(6, 10, 12);
    assertNull(Kernels.binary(Ops.Binary.ADD, x, data(7, 10, 12)));      // both C order: ND4J
    assertNull(Kernels.binary(Ops.Binary.POW, x, data(8, 12, 10).transpose()));
    assertNull(Kernels.binary(Ops.Binary.ADD, x.castTo(DType.FLOAT32.nd4j()),
        data(9, 12, 10).transpose()));                                   // mixed types
    assertNull(Kernels.binary(Ops.Binary.ADD, x.castTo(DType.INT64.nd4j()),
        data(9, 12, 10).transpose().castTo(DType.INT64.nd4j())));
    assertNull(Kernels.binary(Ops.Binary.ADD, data(10, 2, 3, 4), data(11, 2, 3, 4)));
  }

  @Test
  void sumsMatchADirectSum() {
    for (int[] s : new int[][] {{1, 1}, {1, 9}, {9, 1}, {13, 7}, {300, 257}, {4, 4}, {1, 17}}) {
      INDArray x = data(12, s[0], s[1]).add(0.25);   // not centred: rounding would show
      double want = 0;
      double[] cols = new double[s[1]];
      for (int i = 0; i < s[0]; i++) {
        for (int j = 0; j < s[1]; j++) {
          want += x.getDouble(i, j);
          cols[j] += x.getDouble(i, j);
        }
      }
      assertEquals(want, Kernels.sumAll(x), 1e-12 * Math.max(1, Math.abs(want)));
      close(Nd4j.createFromArray(cols), Nd4j.createFromArray(Kernels.sumColumns(x)), 1e-13);
    }
    INDArray t = data(13, 5, 6).transpose();
    assertEquals(false, Kernels.wholeC(t));
    assertEquals(false, Kernels.wholeC(data(14, 8, 8).get(NDArrayIndex.interval(1, 3),
        NDArrayIndex.all())));
    assertEquals(true, Kernels.wholeC(data(15, 4, 4)));
  }

  @Test
  void throughTheArrayApiOnEveryChunking() {
    INDArray x = data(16, 70, 70);
    for (Chunks c : List.of(Chunks.of(64, 64), Chunks.explicit(new long[] {1, 40, 29},
        new long[] {33, 37}), Chunks.of(-1, -1), Chunks.of(7, 70))) {
      Array a = Array.fromINDArray(x, c);
      close(x.add(x.transpose()), a.add(a.T()), 0);
      close(x.sub(x.transpose()), a.T().sub(a).neg(), 0);
      close(x.sum(0), a.sum(0), 1e-13);
      close(x.mean(0), a.mean(0), 1e-13);
      close(x.add(x.transpose()).sum(0), a.add(a.T()).sum(0), 1e-12);
      assertEquals(x.sumNumber().doubleValue(), Fixtures.compute(a.sum()).getDouble(0), 1e-12);
    }
  }
}
