package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReductionTest {
  final INDArray x = data(1, 7, 10);

  @Test
  void everyReductionOverEveryAxisAndChunking() {
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      for (int[] axes : new int[][] {null, {0}, {1}, {0, 1}, {-1}}) {
        int[] nd = axes == null ? new int[] {0, 1} : axes;
        for (int split : new int[] {2, 16}) {
          close(Nd4j.scalar(0.0).add(x.sum(nd)), a.reduce("sum", axes, false, split, 0)
              .reshape(x.sum(nd).shape()), 1e-12);
          close(x.mean(nd), a.reduce("mean", axes, false, split, 0)
              .reshape(x.sum(nd).shape()), 1e-12);
          close(x.min(nd), a.reduce("min", axes, false, split, 0)
              .reshape(x.sum(nd).shape()), 0);
          close(x.max(nd), a.reduce("max", axes, false, split, 0)
              .reshape(x.sum(nd).shape()), 0);
          close(x.prod(nd), a.reduce("prod", axes, false, split, 0)
              .reshape(x.sum(nd).shape()), 1e-10);
          close(x.var(false, nd), a.reduce("var", axes, false, split, 0)
              .reshape(x.sum(nd).shape()), 1e-12);
          close(x.std(true, nd), a.reduce("std", axes, false, split, 1)
              .reshape(x.sum(nd).shape()), 1e-12);
        }
      }
    }
  }

  @Test
  void keepdimsAndShapes() {
    Array a = Array.fromINDArray(x, Chunks.of(3, 4));
    assertArrayEquals(new long[] {1, 10}, a.sum(new int[] {0}, true).shape());
    assertArrayEquals(new long[] {7}, a.sum(1).shape());
    assertArrayEquals(new long[] {}, a.sum().shape());
    close(x.sum(true, 0), a.sum(new int[] {0}, true), 1e-12);
    close(x.mean(true, 1), a.mean(new int[] {1}, true), 1e-12);
    assertEquals(x.sumNumber().doubleValue(), compute(a.sum()).getDouble(0), 1e-12);
  }

  @Test
  void varianceIsStableWithALargeMean() {
    INDArray big = x.add(1e9);
    Array a = Array.fromINDArray(big, Chunks.of(2, 3));
    assertEquals(x.varNumber().doubleValue() * 69 / 70,
        compute(a.var()).getDouble(0), 1e-6);
  }

  @Test
  void argminArgmaxWithTiesAndAxes() {
    INDArray t = Nd4j.createFromArray(new double[][] {{3, 1, 1, 5}, {5, 0, 7, 0}, {5, 2, 7, 9}});
    for (Chunks c : new Chunks[] {Chunks.of(1, 1), Chunks.of(2, 3), Chunks.of(-1, -1)}) {
      Array a = Array.fromINDArray(t, c);
      assertEquals(5, compute(a.argmin()).getLong(0));
      assertEquals(11, compute(a.argmax()).getLong(0));
      close(Nd4j.createFromArray(0L, 1L, 0L, 1L), a.argmin(0), 0);
      close(Nd4j.createFromArray(1L, 2L, 1L, 2L), a.argmax(0), 0);
      close(Nd4j.createFromArray(3L, 2L, 3L), a.argmax(1), 0);
    }
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      assertEquals(Nd4j.argMin(x).getLong(0), compute(a.argmin()).getLong(0));
      close(Nd4j.argMax(x, 1).castTo(DataType.INT64), a.argmax(1), 0);
    }
  }

  @Test
  void anyAllAndIntegerSums() {
    INDArray i = data(9, DType.INT32, 7, 10);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(i, c);
      close(i.castTo(DataType.INT64).sum(0), a.sum(0), 0);
      close(i.gt(5).castTo(DataType.INT32).max(1).castTo(DataType.BOOL), a.gt(5).any(1), 0);
      close(i.gt(-9).castTo(DataType.INT32).min(0).castTo(DataType.BOOL), a.gt(-9).all(0), 0);
      assertEquals(i.gt(0).castTo(DataType.INT64).sumNumber().longValue(),
          compute(a.gt(0).sum()).getLong(0));
    }
  }

  @Test
  void badAxesAndEmptyMinimaFail() {
    Array a = Array.fromINDArray(x, Chunks.of(3, 4));
    ArrayException e = assertThrows(ArrayException.class, () -> a.sum(2));
    assertEquals("sum: axis 2 is out of range for an array of 2 dimensions (valid: -2 to 1)",
        e.getMessage());
    assertThrows(ArrayException.class, () -> a.sum(0, 0));
    Array empty = Array.zeros(new long[] {0, 3}, Chunks.of(2, 2), DType.FLOAT64);
    assertThrows(ArrayException.class, () -> empty.min(0));
    close(Nd4j.zeros(DataType.DOUBLE, 3), empty.sum(0), 0);
    close(Nd4j.ones(DataType.DOUBLE, 3), empty.prod(0), 0);
    assertThrows(ArrayException.class, () -> a.reduce("median", null, false, 4, 0));
  }
}
