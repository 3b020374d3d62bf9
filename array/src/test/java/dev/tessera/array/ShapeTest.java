package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ShapeTest {
  final INDArray x = data(1, 7, 10);

  /** NumPy's slice positions, computed directly. */
  static long[] positions(long n, Long start, Long stop, long step) {
    List<Long> out = new ArrayList<>();
    long s;
    long e;
    if (step > 0) {
      s = start == null ? 0 : Math.max(0, Math.min(n, start < 0 ? start + n : start));
      e = stop == null ? n : Math.max(0, Math.min(n, stop < 0 ? stop + n : stop));
      for (long i = s; i < e; i += step) {
        out.add(i);
      }
    } else {
      s = start == null ? n - 1 : Math.max(-1, Math.min(n - 1, start < 0 ? start + n : start));
      e = stop == null ? -1 : Math.max(-1, Math.min(n - 1, stop < 0 ? stop + n : stop));
      for (long i = s; i > e; i += step) {
        out.add(i);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  static INDArray pick(INDArray m, long[] rows, long[] cols) {
    INDArray out = Nd4j.create(m.dataType(), rows.length, cols.length);
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < cols.length; j++) {
        out.putScalar(new long[] {i, j}, m.getDouble(rows[i], cols[j]));
      }
    }
    return out;
  }

  @Test
  void slicesWithStepsOnEveryChunking() {
    Long[][] slices = {{null, null, 1L}, {1L, 6L, 2L}, {null, null, -1L}, {8L, 1L, -3L},
        {-3L, null, 1L}, {5L, 5L, 1L}, {null, null, 4L}, {-1L, -8L, -2L}};
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      for (Long[] r : slices) {
        for (Long[] s : slices) {
          Array got = a.get(Index.slice(r[0], r[1], r[2]), Index.slice(s[0], s[1], s[2]));
          close(pick(x, positions(7, r[0], r[1], r[2]), positions(10, s[0], s[1], s[2])), got,
              0);
        }
      }
    }
  }

  @Test
  void integerIndexing() {
    Array a = Array.fromINDArray(x, Chunks.of(3, 4));
    close(x.getRow(4), a.get(Index.at(4)), 0);
    close(x.getColumn(9), a.get(Index.all(), Index.at(-1)), 0);
    assertEquals(x.getDouble(6, 2), Fixtures.compute(a.get(Index.at(-1), Index.at(2)))
        .getDouble(0), 0);
    ArrayException e = assertThrows(ArrayException.class, () -> a.get(Index.at(7)));
    assertEquals("index 7 is out of bounds for axis 0 with size 7", e.getMessage());
    assertThrows(ArrayException.class, () -> a.get(Index.all(), Index.all(), Index.all()));
  }

  @Test
  void booleanMask() {
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      Array m = a.get(a.gt(0.2));
      assertEquals(-1, m.chunks()[0][0]);
      List<Double> expected = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 10; j++) {
          if (x.getDouble(i, j) > 0.2) {
            expected.add(x.getDouble(i, j));
          }
        }
      }
      INDArray e = Nd4j.createFromArray(expected.stream().mapToDouble(d -> d).toArray());
      close(e, m, 0);
      Array known = m.computeChunkSizes();
      assertArrayEquals(new long[] {expected.size()}, known.shape());
      close(e.sum(0), known.sum(), 1e-12);
      assertThrows(ArrayException.class, () -> m.sum());
    }
  }

  @Test
  void transposeSwapaxesSqueezeExpand() {
    INDArray t3 = data(2, 3, 4, 5);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      close(x.transpose(), a.T(), 0);
      close(x.transpose(), a.swapaxes(0, 1), 0);
      close(x.reshape(1, 7, 10), a.expandDims(0), 0);
      close(x.reshape(7, 1, 10), a.expandDims(1), 0);
      close(x, a.expandDims(2).squeeze(), 0);
      close(x.add(x.transpose().transpose()), a.add(a.T().T()), 0);
    }
    Array b = Array.fromINDArray(t3, Chunks.of(2, 3, 2));
    close(t3.permute(2, 0, 1), b.transpose(2, 0, 1), 0);
    assertThrows(ArrayException.class, () -> b.transpose(0, 1));
    assertThrows(ArrayException.class, () -> b.squeeze(0));
  }

  @Test
  void reshapeMergesAndSplits() {
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      close(x.reshape('c', new long[] {70}), a.reshape(70), 0);
      close(x.reshape('c', new long[] {7, 2, 5}), a.reshape(7, 2, 5), 0);
      close(x.reshape('c', new long[] {14, 5}), a.reshape(14, -1), 0);
      close(x.reshape('c', new long[] {7, 10, 1}), a.reshape(7, 10, 1), 0);
      close(x.reshape('c', new long[] {70}).reshape('c', new long[] {35, 2}), a.reshape(70).reshape(35, 2), 0);
    }
    assertThrows(ArrayException.class, () -> Array.fromINDArray(x, Chunks.of(3, 3))
        .reshape(3, 3));
  }

  @Test
  void concatenateAndStack() {
    INDArray y = data(2, 7, 10);
    INDArray z = data(3, 4, 10);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      Array b = Array.fromINDArray(y, Chunks.of(4, 4));
      close(Nd4j.concat(0, x, z), Array.concatenate(0, a, Array.fromINDArray(z, Chunks.of(3,
          3))), 0);
      close(Nd4j.concat(1, x, y), Array.concatenate(1, a, b), 0);
      close(Nd4j.stack(0, x, y), Array.stack(0, a, b), 0);
      close(Nd4j.stack(2, x, y), Array.stack(-1, a, b), 0);
    }
    Array i = Array.fromINDArray(data(1, DType.INT32, 7, 10), Chunks.of(3, 3));
    assertEquals(DType.FLOAT64, Array.concatenate(0, i, Array.fromINDArray(x, Chunks.of(3, 3)))
        .dtype());
    ArrayException e = assertThrows(ArrayException.class, () -> Array.concatenate(0,
        Array.fromINDArray(x, Chunks.of(3, 3)), Array.fromINDArray(data(1, 7, 3),
            Chunks.of(3, 3))));
    assertTrue(e.getMessage().contains("differ on axis 1"), e.getMessage());
  }

  @Test
  void rechunkEverywhereAndAllToAllGoesThroughIntermediate() {
    for (Chunks from : Fixtures.chunkings2d()) {
      for (Chunks to : Fixtures.chunkings2d()) {
        close(x, Array.fromINDArray(x, from).rechunk(to), 0);
      }
    }
    INDArray big = data(4, 40, 40);
    Array rows = Array.fromINDArray(big, Chunks.of(1, 40));
    Array cols = rows.rechunk(Chunks.of(40, 1));
    close(big, cols, 0);
    assertTrue(cols.name().startsWith("rechunk-merge"), cols.name());
    int maxDeps = cols.graph().tasks().values().stream()
        .mapToInt(t -> t.dependencyCount()).max().orElse(0);
    assertTrue(maxDeps <= 40, "a task reads " + maxDeps + " blocks");
    assertEquals(DataType.DOUBLE, Fixtures.compute(cols).dataType());
  }
}
