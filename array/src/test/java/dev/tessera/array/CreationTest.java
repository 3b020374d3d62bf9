package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CreationTest {
  @Test
  void fromINDArrayRoundTripsOnEveryChunking() {
    for (DType t : DType.values()) {
      INDArray x = data(1, t, 7, 10);
      for (Chunks c : Fixtures.chunkings2d()) {
        Array a = Array.fromINDArray(x, c);
        assertEquals(t, a.dtype());
        close(x, a, 0);
      }
    }
  }

  @Test
  void emptyArrays() {
    INDArray x = Nd4j.create(DataType.DOUBLE, 0, 4);
    Array a = Array.fromINDArray(x, Chunks.of(2, 2));
    assertArrayEquals(new long[][] {{0}, {2, 2}}, a.chunks());
    close(x, a, 0);
    close(Nd4j.zeros(DataType.DOUBLE, 4), a.sum(0), 0);
    close(Nd4j.create(DataType.DOUBLE, 0), a.sum(1), 0);
  }

  @Test
  void chunksAreValidated() {
    ArrayException e = assertThrows(ArrayException.class, () -> Array.zeros(new long[] {5, 5},
        Chunks.explicit(new long[] {2, 2}, new long[] {5}), DType.FLOAT64));
    assertTrue(e.getMessage().contains("sum to 4 but the axis has length 5"), e.getMessage());
    assertThrows(ArrayException.class, () -> Array.zeros(new long[] {5, 5}, Chunks.of(2),
        DType.FLOAT64));
    assertThrows(IllegalArgumentException.class, () -> Chunks.of(0, 2));
  }

  @Test
  void autoChunksAimAtTheTargetSize() {
    Array a = Array.zeros(new long[] {10000, 10000}, Chunks.auto(8L << 20), DType.FLOAT64);
    long[][] c = a.chunks();
    long bytes = c[0][0] * c[1][0] * 8;
    assertTrue(bytes <= 8L << 20 && bytes > 4L << 20, "block of " + bytes + " bytes");
    Array thin = Array.zeros(new long[] {10, 1000000}, Chunks.auto(8L << 20), DType.FLOAT64);
    assertEquals(10, thin.chunks()[0][0]);
  }

  @Test
  void fullsAndRanges() {
    close(Nd4j.zeros(DataType.DOUBLE, 7, 10), Array.zeros(new long[] {7, 10}, Chunks.of(3, 4),
        DType.FLOAT64), 0);
    close(Nd4j.ones(DataType.INT32, 7, 10), Array.ones(new long[] {7, 10}, Chunks.of(3, 4),
        DType.INT32), 0);
    close(Nd4j.valueArrayOf(new long[] {5}, 2.5, DataType.FLOAT),
        Array.full(new long[] {5}, 2.5, Chunks.of(2), DType.FLOAT32), 0);
    close(Nd4j.arange(0, 10).castTo(DataType.INT64),
        Array.arange(0, 10, 1, Chunks.of(3), DType.INT64), 0);
    close(Nd4j.createFromArray(5.0, 3.5, 2.0, 0.5), Array.arange(5, 0, -1.5, Chunks.of(3),
        DType.FLOAT64), 1e-12);
    close(Nd4j.linspace(0, 1, 11, DataType.DOUBLE), Array.linspace(0, 1, 11, Chunks.of(4),
        DType.FLOAT64), 1e-12);
    for (Chunks c : Fixtures.chunkings2d()) {
      close(Nd4j.eye(7).castTo(DataType.DOUBLE), Array.eye(7, c.toString().contains("[2, 5]")
          ? Chunks.explicit(new long[] {2, 5}, new long[] {3, 4}) : c, DType.FLOAT64), 0);
    }
  }

  @Test
  void randomIsTheSameOnEveryScheduler() {
    Array a = Array.uniform(42, new long[] {50, 40}, Chunks.of(16, 16));
    INDArray sync = compute(a);
    INDArray threads;
    try (var s = Schedulers.threads(2)) {
      threads = a.compute(s);
    }
    close(sync, threads, 0);
    close(sync, Array.uniform(42, new long[] {50, 40}, Chunks.of(16, 16)), 0);
    double min = sync.minNumber().doubleValue();
    double max = sync.maxNumber().doubleValue();
    assertTrue(min >= 0 && max < 1, min + " " + max);
    INDArray other = compute(Array.uniform(43, new long[] {50, 40}, Chunks.of(16, 16)));
    assertTrue(!other.equals(sync));
    INDArray n = compute(Array.normal(7, 3, 2, new long[] {200, 200}, Chunks.of(64, 64),
        DType.FLOAT32));
    assertEquals(DataType.FLOAT, n.dataType());
    assertEquals(3, n.meanNumber().doubleValue(), 0.05);
    assertEquals(2, n.stdNumber().doubleValue(), 0.05);
    assertThrows(ArrayException.class, () -> Array.uniform(1, 0, 1, new long[] {3},
        Chunks.of(1), DType.INT32));
  }

  @Test
  void fromBlockFunctionSeesEachBlock() {
    Array a = Array.fromBlockFunction(info -> Nd4j.valueArrayOf(info.shape(),
        info.offset()[0] * 100 + info.offset()[1], DataType.DOUBLE), new long[] {7, 10},
        Chunks.of(3, 4), DType.FLOAT64);
    INDArray x = compute(a);
    assertEquals(304, x.getDouble(4, 5), 0);
    assertEquals(8, x.getDouble(0, 9), 0);
  }

  @Test
  void fromDelayedBlocks() {
    INDArray x = data(3, 4, 5);
    Array a = Array.fromDelayed(dev.tessera.graph.Delayed.value(x), new long[] {4, 5},
        DType.FLOAT64);
    Array b = Array.concatenate(0, a, a);
    close(Nd4j.concat(0, x, x), b, 0);
    Array wrong = Array.fromDelayed(dev.tessera.graph.Delayed.value(x), new long[] {5, 4},
        DType.FLOAT64);
    assertThrows(dev.tessera.graph.TaskFailedException.class, () -> compute(wrong));
  }
}
