package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ElementwiseTest {
  final INDArray x = data(1, 7, 10);
  final INDArray y = data(2, 7, 10);

  @Test
  void arithmeticOnEveryChunkingPairRechunksToCommonChunks() {
    List<Chunks> cs = Fixtures.chunkings2d();
    for (Chunks cx : cs) {
      for (Chunks cy : cs) {
        Array a = Array.fromINDArray(x, cx);
        Array b = Array.fromINDArray(y, cy);
        close(x.add(y), a.add(b), 1e-12);
        close(x.sub(y), a.sub(b), 1e-12);
        close(x.mul(y), a.mul(b), 1e-12);
        close(x.div(y), a.div(b), 1e-12);
      }
    }
  }

  @Test
  void scalarsComparisonsAndLogic() {
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      Array b = Array.fromINDArray(y, Chunks.of(2, 3));
      close(x.add(2.5), a.add(2.5), 1e-12);
      close(x.rsub(1), a.rsub(1), 1e-12);
      close(x.rdiv(3), a.rdiv(3), 1e-12);
      close(x.mul(-2), a.mul(-2), 1e-12);
      close(x.gt(y), a.gt(b), 0);
      close(x.lt(y), a.lt(b), 0);
      close(Transforms.or(x.gt(y), x.eq(y)), a.ge(b), 0);
      close(x.gt(0.25), a.gt(0.25), 0);
      close(x.eq(x), a.eq(a), 0);
      close(Transforms.and(x.gt(0), y.gt(0)), a.gt(0).and(b.gt(0)), 0);
      close(Transforms.or(x.gt(0), y.gt(0)), a.gt(0).or(b.gt(0)), 0);
      close(Transforms.xor(x.gt(0), y.gt(0)), a.gt(0).xor(b.gt(0)), 0);
      close(Transforms.not(x.gt(0)), a.gt(0).not(), 0);
    }
  }

  @Test
  void mathFunctions() {
    INDArray p = Transforms.abs(x, true).addi(0.1);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      Array ap = Array.fromINDArray(p, c);
      close(Transforms.exp(x, true), a.exp(), 1e-12);
      close(Transforms.log(p, true), ap.log(), 1e-12);
      close(Transforms.sqrt(p, true), ap.sqrt(), 1e-12);
      close(Transforms.abs(x, true), a.abs(), 0);
      close(Transforms.sin(x, true), a.sin(), 1e-12);
      close(Transforms.cos(x, true), a.cos(), 1e-12);
      close(Transforms.pow(p, 1.5, true), ap.pow(1.5), 1e-12);
      close(Transforms.pow(p, y, true), ap.pow(Array.fromINDArray(y, Chunks.of(4, 4))), 1e-12);
      close(Transforms.max(Transforms.min(x, 0.5, true), -0.5, true), a.clip(-0.5, 0.5), 0);
      close(x.neg(), a.neg(), 0);
      close(Transforms.max(x, y, true), a.maximum(Array.fromINDArray(y, c)), 0);
    }
  }

  @Test
  void float32KeepsItsType() {
    INDArray f = data(5, DType.FLOAT32, 7, 10);
    Array a = Array.fromINDArray(f, Chunks.of(3, 3));
    close(Transforms.exp(f, true), a.exp(), 1e-6);
    close(f.add(f), a.add(a), 1e-6);
    close(f.mul(2), a.mul(2), 1e-6);
  }

  @Test
  void integerDivisionIsTrueDivision() {
    INDArray i = data(6, DType.INT32, 4, 5);
    Array a = Array.fromINDArray(i, Chunks.of(2, 2));
    close(i.castTo(DataType.DOUBLE).div(4), a.div(4), 1e-12);
    close(i.add(3), a.add(3), 0);
    close(i.castTo(DataType.DOUBLE).add(0.5), a.add(0.5), 0);
  }

  @Test
  void broadcastingIncludingUnitAxes() {
    INDArray col = data(3, 7, 1);
    INDArray row = data(4, 10);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      close(x.add(col.broadcast(7, 10)), a.add(Array.fromINDArray(col, Chunks.of(2, 1))), 1e-12);
      close(x.mul(row.reshape(1, 10).broadcast(7, 10)),
          a.mul(Array.fromINDArray(row, Chunks.of(5))), 1e-12);
    }
    Array outer = Array.fromINDArray(col, Chunks.of(3, 1))
        .sub(Array.fromINDArray(row, Chunks.of(4)));
    assertArrayEquals(new long[] {7, 10}, outer.shape());
    close(col.broadcast(7, 10).sub(row.reshape(1, 10).broadcast(7, 10)), outer, 1e-12);
  }

  @Test
  void shapesThatDoNotBroadcastFailAtBuildTime() {
    Array a = Array.fromINDArray(x, Chunks.of(3, 4));
    Array b = Array.fromINDArray(data(1, 7, 3), Chunks.of(3, 3));
    ArrayException e = assertThrows(ArrayException.class, () -> a.add(b));
    assertTrue(e.getMessage().contains("could not be broadcast together with shapes [7, 10]"
        + " [7, 3]"), e.getMessage());
  }

  @Test
  void whereAndMapBlocks() {
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      Array b = Array.fromINDArray(y, Chunks.of(4, 5));
      INDArray expected = x.dup();
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 10; j++) {
          if (x.getDouble(i, j) <= 0) {
            expected.putScalar(new long[] {i, j}, y.getDouble(i, j));
          }
        }
      }
      close(expected, Array.where(a.gt(0), a, b), 0);
      close(x.mul(3), a.mapBlocks(blk -> blk[0].mul(3), DType.FLOAT64), 1e-12);
      close(x.add(y), Array.mapBlocks(blk -> blk[0].add(blk[1]), DType.FLOAT64, a, b), 1e-12);
    }
  }

  @Test
  void astype() {
    Array a = Array.fromINDArray(x.mul(10), Chunks.of(3, 3));
    close(x.mul(10).castTo(DataType.INT32), a.astype(DType.INT32), 0);
    close(Nd4j.zeros(DataType.BOOL, 2), Array.zeros(new long[] {2}, Chunks.of(1), DType.BOOL),
        0);
  }

  @Test
  void generalBlockwiseWithContractedIndex() {
    INDArray b = data(7, 10, 4);
    for (Chunks c : Fixtures.chunkings2d()) {
      Array a = Array.fromINDArray(x, c);
      Array m = Array.fromINDArray(b, Chunks.of(3, 2));
      close(x.mmul(b), Array.blockwise(blk -> blk[0].mmul(blk[1]), "ik", DType.FLOAT64,
          a, "ij", m, "jk"), 1e-12);
      close(x.add(y), Array.blockwise(blk -> blk[0].transpose().add(blk[1]), "ij",
          DType.FLOAT64, a.T(), "ji", Array.fromINDArray(y, Chunks.of(2, 2)), "ij"), 1e-12);
    }
    Array a = Array.fromINDArray(x, Chunks.of(3, 3));
    assertThrows(ArrayException.class, () -> Array.blockwise(blk -> blk[0], "ij",
        DType.FLOAT64, a, "i"));
    assertThrows(ArrayException.class, () -> Array.blockwise(blk -> blk[0], "ik",
        DType.FLOAT64, a, "ij"));
  }
}
