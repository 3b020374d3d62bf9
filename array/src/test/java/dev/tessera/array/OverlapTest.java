package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class OverlapTest {
  static final List<Boundary> PADDED = List.of(Boundary.reflect(), Boundary.periodic(),
      Boundary.nearest(), Boundary.constant(0.5));

  /** The whole array's element at (i, j), the boundary applied outside: the direct reading. */
  static double at(INDArray x, long i, long j, Boundary b) {
    long si = b.source(i, x.size(0));
    long sj = b.source(j, x.size(1));
    return si < 0 || sj < 0 ? b.value : x.getDouble(si, sj);
  }

  /** The 5-point Laplacian on the whole array, directly. */
  static INDArray laplacian(INDArray x, Boundary b) {
    INDArray out = x.like();
    for (long i = 0; i < x.size(0); i++) {
      for (long j = 0; j < x.size(1); j++) {
        out.putScalar(new long[] {i, j}, at(x, i - 1, j, b) + at(x, i + 1, j, b)
            + at(x, i, j - 1, b) + at(x, i, j + 1, b) - 4 * at(x, i, j, b));
      }
    }
    return out;
  }

  /** The Laplacian of a block's interior with ND4J views; its one-cell rim is left zero. */
  static INDArray blockLaplacian(INDArray... bs) {
    INDArray x = bs[0];
    INDArray out = x.like();
    long n = x.size(0);
    long m = x.size(1);
    if (n < 3 || m < 3) {
      return out;
    }
    INDArray c = out.get(NDArrayIndex.interval(1, n - 1), NDArrayIndex.interval(1, m - 1));
    c.assign(x.get(NDArrayIndex.interval(0, n - 2), NDArrayIndex.interval(1, m - 1)))
        .addi(x.get(NDArrayIndex.interval(2, n), NDArrayIndex.interval(1, m - 1)))
        .addi(x.get(NDArrayIndex.interval(1, n - 1), NDArrayIndex.interval(0, m - 2)))
        .addi(x.get(NDArrayIndex.interval(1, n - 1), NDArrayIndex.interval(2, m)))
        .subi(x.get(NDArrayIndex.interval(1, n - 1), NDArrayIndex.interval(1, m - 1)).mul(4));
    return out;
  }

  /** The 3 x 3 mean over the neighbours that exist, in one array (a block or the whole). */
  static INDArray meanOfPresent(INDArray... bs) {
    INDArray x = bs[0];
    INDArray out = x.like();
    for (long i = 0; i < x.size(0); i++) {
      for (long j = 0; j < x.size(1); j++) {
        double s = 0;
        int k = 0;
        for (long a = Math.max(0, i - 1); a <= Math.min(x.size(0) - 1, i + 1); a++) {
          for (long b = Math.max(0, j - 1); b <= Math.min(x.size(1) - 1, j + 1); b++) {
            s += x.getDouble(a, b);
            k++;
          }
        }
        out.putScalar(new long[] {i, j}, s / k);
      }
    }
    return out;
  }

  @Test
  void laplacianOnEveryBoundaryAndChunking() {
    INDArray x = data(7, 7, 10);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      for (Boundary b : PADDED) {
        close(laplacian(x, b), a.mapOverlap(OverlapTest::blockLaplacian, 1, b), 1e-12);
      }
      // no boundary: the edge blocks are not extended, as the whole array is not
      close(meanOfPresent(x), a.mapOverlap(OverlapTest::meanOfPresent, 1, Boundary.none()),
          1e-12);
    }
  }

  @Test
  void perAxisDepthsDeeperThanTheBlocks() {
    INDArray x = data(8, 9, 6);
    for (Chunks c : List.of(Chunks.of(1, 1), Chunks.of(2, 4), Chunks.explicit(
        new long[] {4, 1, 4}, new long[] {6}))) {
      Array a = Array.fromINDArray(x, c);
      for (Boundary b : PADDED) {
        // a 5-point moving sum along axis 0 only: depth 2 there, 0 on axis 1
        INDArray want = x.like();
        for (long i = 0; i < 9; i++) {
          for (long j = 0; j < 6; j++) {
            double s = 0;
            for (long d = -2; d <= 2; d++) {
              s += at(x, i + d, j, b);
            }
            want.putScalar(new long[] {i, j}, s);
          }
        }
        BlockFunction movingSum = bs -> {
          INDArray y = bs[0];
          INDArray out = y.like();
          long n = y.size(0);
          for (long d = 0; d < 5 && n >= 5; d++) {
            out.get(NDArrayIndex.interval(2, n - 2), NDArrayIndex.all())
                .addi(y.get(NDArrayIndex.interval(d, n - 4 + d), NDArrayIndex.all()));
          }
          return out;
        };
        close(want, a.mapOverlap(movingSum, new int[] {2, 0}, b, DType.FLOAT64), 1e-12);
      }
    }
  }

  @Test
  void largeOneDimensionalPeriodicOnThreads() {
    Array a = Array.uniform(4, new long[] {1_000_000}, Chunks.of(99_999));
    INDArray x = compute(a);
    BlockFunction diff = bs -> {
      INDArray y = bs[0];
      long n = y.length();
      INDArray out = y.like();
      out.get(NDArrayIndex.interval(3, n)).assign(y.get(NDArrayIndex.interval(3, n))
          .sub(y.get(NDArrayIndex.interval(0, n - 3))));
      return out;
    };
    INDArray want = x.like();
    long n = x.length();
    for (long i = 0; i < n; i++) {
      want.putScalar(i, x.getDouble(i) - x.getDouble(Math.floorMod(i - 3, n)));
    }
    try (var threads = Schedulers.threads(2)) {
      close(want, a.mapOverlap(diff, new int[] {3}, Boundary.periodic(), DType.FLOAT64)
          .compute(threads), 1e-12);
    }
    Array empty = Array.zeros(new long[] {0, 4}, Chunks.of(2, 2), DType.FLOAT64);
    close(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 0, 4), empty.mapOverlap(bs -> bs[0], 1, Boundary.reflect()), 0);
  }

  @Test
  void badInputIsRefused() {
    Array a = Array.fromINDArray(data(1, 7, 10), Chunks.of(3, 4));
    assertThrows(ArrayException.class, () -> a.mapOverlap(b -> b[0], -1, Boundary.none()));
    assertThrows(ArrayException.class,
        () -> a.mapOverlap(b -> b[0], new int[] {1, 1, 1}, Boundary.none(), DType.FLOAT64));
    ArrayException e = assertThrows(ArrayException.class,
        () -> a.mapOverlap(b -> b[0], 8, Boundary.periodic()));
    assertTrue(e.getMessage().contains("exceeds its length 7"), e.getMessage());
    Exception run = assertThrows(Exception.class, () -> compute(a.mapOverlap(
        b -> b[0].get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()), 1,
        Boundary.reflect())));
    Throwable t = run;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    assertTrue(t.getMessage().contains("it must keep the shape"), t.getMessage());
  }
}
