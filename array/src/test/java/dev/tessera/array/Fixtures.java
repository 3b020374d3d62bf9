package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared test data: random arrays with fixed seeds, chunkings, and comparisons. */
final class Fixtures {
  private Fixtures() {}

  static final Scheduler SYNC = Schedulers.sync();

  /** Random doubles in [-1, 1) with a fixed seed, as an array of the given shape and type. */
  static INDArray data(long seed, DType t, long... shape) {
    Random r = new Random(seed);
    int n = (int) Layout.size(shape);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = t.isFloat() ? r.nextDouble() * 2 - 1 : r.nextInt(21) - 10;
    }
    INDArray x = n == 0 ? Nd4j.create(DataType.DOUBLE, shape)
        : Nd4j.createFromArray(v).reshape('c', shape);
    return x.castTo(t.nd4j());
  }

  static INDArray data(long seed, long... shape) {
    return data(seed, DType.FLOAT64, shape);
  }

  /** The chunkings every operation is tested on, for a 2-d shape of 7 x 10. */
  static List<Chunks> chunkings2d() {
    return List.of(Chunks.of(3, 4), Chunks.explicit(new long[] {2, 5}, new long[] {1, 6, 3}),
        Chunks.of(-1, -1), Chunks.of(1, 1));
  }

  static INDArray compute(Array a) {
    return a.compute(SYNC);
  }

  static void close(INDArray expected, INDArray actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape(), "shape");
    assertEquals(expected.dataType(), actual.dataType(), "dtype");
    if (expected.length() == 0) {
      return;
    }
    INDArray e = expected.castTo(DataType.DOUBLE).dup('c');
    INDArray a = actual.castTo(DataType.DOUBLE).dup('c');
    for (long i = 0; i < e.length(); i++) {
      double x = e.getDouble(i);
      double y = a.getDouble(i);
      if (Double.isNaN(x)) {
        assertTrue(Double.isNaN(y), "element " + i + ": expected NaN, got " + y);
      } else {
        assertEquals(x, y, tol * Math.max(1, Math.abs(x)), "element " + i);
      }
    }
  }

  static void close(INDArray expected, Array actual, double tol) {
    close(expected, compute(actual), tol);
  }
}
