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

  @Test
  void arithmeticWithTransposedOperandsIsExactlyNd4js() {
    // sizes around the 64 x 64 tile: smaller, ragged, larger; a single element
    for (int[] s : new int[][] {{2, 3}, {7, 3}, {64, 64}, {65, 129}, {130, 70}}) {
      INDArray x = data(1, s[0], s[1]);
      INDArray yt = data(2, s[1], s[0]).transpose();   // an F-order view, as x.T's blocks are
      INDArray xt = data(3, s[1], s[0]).transpose();
      for (Ops.Binary op : ARITH) {
        INDArray want = op.apply(new INDArray[] {x, yt.dup('c')});
        close(want, Kernels.binary(op, x, yt), 0);
        close(op.apply(new INDArray[] {yt.dup('c'), x}), Kernels.binary(op, yt, x), 0);
        close(op.apply(new INDArray[] {xt.dup('c'), yt.dup('c')}), Kernels.binary(op, xt, yt),
            0);
      }
    }
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
  void notTheFastCaseGivesNull() {
    INDArray x = data(6, 10, 12);
    assertNull(Kernels.binary(Ops.Binary.ADD, x, data(7, 10, 12)));      // both C order: ND4J
    assertNull(Kernels.binary(Ops.Binary.POW, x, data(8, 12, 10).transpose()));
    assertNull(Kernels.binary(Ops.Binary.ADD, x.castTo(DType.FLOAT32.nd4j()),
        data(9, 12, 10).transpose().castTo(DType.FLOAT32.nd4j())));
    assertNull(Kernels.binary(Ops.Binary.ADD, data(10, 2, 3, 4), data(11, 2, 3, 4)));
  }

  @Test
  void sumsMatchADirectSum() {
    for (int[] s : new int[][] {{1, 1}, {1, 9}, {9, 1}, {13, 7}, {300, 257}}) {
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
