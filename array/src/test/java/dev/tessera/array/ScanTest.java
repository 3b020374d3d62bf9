package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumProd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.factory.Nd4j;

class ScanTest {
  static INDArray cumsum(INDArray x, int axis) {
    return Nd4j.exec(new CumSum(x.dup(), false, false, axis))[0];
  }

  static INDArray cumprod(INDArray x, int axis) {
    return Nd4j.exec(new CumProd(x.dup(), false, false, axis))[0];
  }

  @Test
  void cumsumAndCumprodAlongEveryAxisAndChunking() {
    INDArray x = data(3, 7, 10);
    // values near 1 keep the products in range
    INDArray p = x.mul(0.2).add(1);
    for (Chunks c : Fixtures.chunkings2d()) {
      for (int axis : new int[] {0, 1, -1}) {
        int ax = axis < 0 ? axis + 2 : axis;
        close(cumsum(x, ax), Array.fromINDArray(x, c).cumsum(axis), 1e-12);
        close(cumprod(p, ax), Array.fromINDArray(p, c).cumprod(axis), 1e-12);
      }
    }
  }

  @Test
  void threeDimensionsIntegersAndEmptyAxes() {
    INDArray x = data(5, 4, 5, 6);
    // an empty block in the middle of axis 1 (neither fromINDArray nor rechunk cuts one)
    Array whole = Array.fromINDArray(x, Chunks.explicit(new long[] {1, 3}, new long[] {2, 3},
        new long[] {4, 1, 1}));
    Array a = Array.concatenate(1, whole.get(Index.all(), Index.slice(0, 2)),
        Array.zeros(new long[] {4, 0, 6}, Chunks.of(1, 1, 2), DType.FLOAT64),
        whole.get(Index.all(), Index.slice(2, 5)));
    for (int axis = 0; axis < 3; axis++) {
      close(cumsum(x, axis), a.cumsum(axis), 1e-12);
    }
    INDArray i = data(6, DType.INT32, 9, 4);
    Array ai = Array.fromINDArray(i, Chunks.of(2, 3));
    // small integers are exact in float64, where ND4J's own scans run
    INDArray id = i.castTo(DataType.DOUBLE);
    close(cumsum(id, 0).castTo(DataType.LONG), ai.cumsum(0), 0);
    assertEquals(DType.INT64, ai.cumprod(1).dtype());
    close(cumprod(id, 1).castTo(DataType.LONG), ai.cumprod(1), 0);
    close(cumsum(id.gt(0).castTo(DataType.DOUBLE), 1).castTo(DataType.LONG),
        ai.gt(0).cumsum(1), 0);
    Array empty = Array.zeros(new long[] {0, 3}, Chunks.of(2, 2), DType.FLOAT64);
    assertEquals(0, compute(empty.cumsum(0)).length());
  }

  @Test
  void nanAndInfinityPropagateAsInNumpy() {
    INDArray x = Nd4j.createFromArray(1.0, 2.0, Double.NaN, 4.0, 5.0, Double.POSITIVE_INFINITY,
        1.0);
    for (Chunks c : List.of(Chunks.of(1), Chunks.of(2), Chunks.of(-1))) {
      INDArray s = compute(Array.fromINDArray(x, c).cumsum(0));
      assertEquals(3.0, s.getDouble(1));
      for (int k = 2; k < 7; k++) {
        assertTrue(Double.isNaN(s.getDouble(k)), "NaN carried to element " + k);
      }
      INDArray y = Nd4j.createFromArray(2.0, 0.0, Double.POSITIVE_INFINITY, 3.0);
      INDArray q = compute(Array.fromINDArray(y, c).cumprod(0));
      assertEquals(0.0, q.getDouble(1));
      assertTrue(Double.isNaN(q.getDouble(2)), "0 * inf is NaN");
      assertTrue(Double.isNaN(q.getDouble(3)));
    }
  }

  @Test
  void largeArrayOnTheThreadedScheduler() {
    Array a = Array.uniform(11, new long[] {3000, 400}, Chunks.of(700, 150));
    INDArray x = compute(a);
    try (var threads = Schedulers.threads(2)) {
      close(cumsum(x, 0), a.cumsum(0).compute(threads), 1e-9);
      close(cumsum(x, 1), a.cumsum(1).compute(threads), 1e-12);
    }
  }

  @Test
  void badInputFailsEarly() {
    Array a = Array.fromINDArray(data(1, 7, 10), Chunks.of(3, 4));
    ArrayException e = assertThrows(ArrayException.class, () -> a.cumsum(2));
    assertEquals("cumsum: axis 2 is out of range for an array of 2 dimensions (valid: -2 to 1)",
        e.getMessage());
    Array scalar = a.sum();
    assertThrows(ArrayException.class, () -> scalar.cumprod(0));
  }
}
