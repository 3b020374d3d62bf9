package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Empty arrays, one-element chunks, 1-d and 3-d arrays, integer and float32 types. */
class EdgeTest {
  @Test
  void emptyArraysThroughEveryKindOfOperation() {
    INDArray e = Nd4j.create(DataType.DOUBLE, 0, 5);
    Array a = Array.fromINDArray(e, Chunks.of(3, 2));
    assertArrayEquals(new long[] {0, 5}, compute(a.add(1).mul(a)).shape());
    assertArrayEquals(new long[] {5, 0}, compute(a.T()).shape());
    assertArrayEquals(new long[] {0, 2}, compute(a.get(Index.all(), Index.slice(1, 3))).shape());
    assertArrayEquals(new long[] {0, 5}, compute(a.rechunk(Chunks.of(1, 5))).shape());
    INDArray x = data(1, 4, 5);
    close(x, Array.concatenate(0, a, Array.fromINDArray(x, Chunks.of(2, 2))), 0);
    close(Nd4j.zeros(DataType.DOUBLE, 5), a.sum(0), 0);
    assertEquals(0, compute(Array.fromINDArray(x, Chunks.of(2, 2)).get(Index.slice(3, 1)))
        .length());
    assertArrayEquals(new long[] {0}, compute(Array.arange(0, 0, 1, Chunks.of(4),
        DType.INT64)).shape());
  }

  @Test
  void oneDimensionalAndThreeDimensional() {
    INDArray v = data(2, 17);
    for (Chunks c : new Chunks[] {Chunks.of(1), Chunks.of(5), Chunks.explicit(new long[] {16,
        1}), Chunks.of(-1)}) {
      Array a = Array.fromINDArray(v, c);
      close(v.mul(v).add(1), a.mul(a).add(1), 1e-12);
      close(v.sum(0), a.sum(), 1e-12);
      assertEquals(v.std(false, 0).getDouble(0), compute(a.std()).getDouble(0), 1e-12);
      close(Nd4j.reverse(v.dup()), a.get(Index.step(-1)), 0);
      assertEquals(Nd4j.argMax(v).getLong(0), compute(a.argmax()).getLong(0));
    }
    INDArray t = data(3, 4, 5, 6);
    Array b = Array.fromINDArray(t, Chunks.of(3, 2, 4));
    close(t.sum(0, 2), b.sum(0, 2), 1e-12);
    close(t.mean(true, 1), b.mean(new int[] {1}, true), 1e-12);
    close(t.var(false, 0, 1, 2), b.var(), 1e-12);
    close(t.permute(1, 0, 2), b.swapaxes(0, 1), 0);
  }

  @Test
  void integerAndFloat32Types() {
    INDArray i = data(4, DType.INT64, 6, 7);
    Array a = Array.fromINDArray(i, Chunks.of(4, 3));
    close(i.mul(2), a.mul(2), 0);
    close(i.castTo(DataType.DOUBLE).mean(0), a.mean(0), 1e-12);
    close(i.min(1), a.min(1), 0);
    close(Transforms.abs(i, true), a.abs(), 0);
    INDArray f = data(5, DType.FLOAT32, 6, 7);
    Array b = Array.fromINDArray(f, Chunks.of(4, 3));
    close(f.sum(0), b.sum(0), 1e-5);
    close(f.std(false, 1), b.std(0, new int[] {1}, false), 1e-5);
    assertEquals(DType.FLOAT32, b.mean().dtype());
    assertEquals(DType.FLOAT64, a.add(b).dtype());
    assertEquals(DType.INT64, a.gt(0).sum().dtype());
    Array w = Array.where(a.gt(0), a, a.mul(-1));
    close(Transforms.abs(i, true), w, 0);
    Array m = a.get(a.gt(2));
    long expected = i.gt(2).castTo(DataType.INT64).sumNumber().longValue();
    assertEquals(expected, compute(m).length());
  }
}
