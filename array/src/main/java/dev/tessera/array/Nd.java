package dev.tessera.array;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Small ND4J helpers shared by the block functions. */
final class Nd {
  private Nd() {}
  static {
    NativeBuild.select();   // before ND4J loads: its build for this CPU
  }


  static INDArray zeros(DType dtype, long[] shape) {
    return Nd4j.create(dtype.nd4j(), shape);
  }

  static INDArrayIndex[] region(long[] offset, long[] shape) {
    INDArrayIndex[] idx = new INDArrayIndex[offset.length];
    for (int a = 0; a < idx.length; a++) {
      idx[a] = NDArrayIndex.interval(offset[a], offset[a] + shape[a]);
    }
    return idx;
  }

  /** A view of {@code x} over the region; {@code x} itself for the whole of it. */
  static INDArray view(INDArray x, long[] offset, long[] shape) {
    boolean whole = true;
    long[] xs = x.shape();
    for (int a = 0; a < offset.length; a++) {
      whole &= offset[a] == 0 && shape[a] == xs[a];
    }
    if (whole) {
      return x;
    }
    return x.get(region(offset, shape));
  }

  /** Copies {@code block} into {@code out} at {@code offset}. */
  static void put(INDArray out, long[] offset, INDArray block) {
    if (block.length() == 0) {
      return;
    }
    if (out.rank() == 0) {
      out.assign(block);
      return;
    }
    INDArray target = view(out, offset, block.shape());
    if (!Kernels.copy(target, block)) {
      target.assign(block);
    }
  }

  static boolean sameShape(INDArray x, long[] shape) {
    long[] s = x.shape();
    if (s.length != shape.length) {
      return false;
    }
    for (int a = 0; a < s.length; a++) {
      if (s[a] != shape[a]) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code x} with exactly this shape (ND4J sometimes drops or adds unit axes). */
  static INDArray shaped(INDArray x, long[] shape) {
    if (sameShape(x, shape)) {
      return x;
    }
    if (x.length() != Layout.size(shape)) {
      throw new IllegalStateException("block has shape " + java.util.Arrays.toString(x.shape())
          + ", expected " + java.util.Arrays.toString(shape));
    }
    if (x.length() == 0) {
      return Nd4j.create(x.dataType(), shape);
    }
    return x.reshape('c', shape);
  }

  static INDArray cast(INDArray x, DType t) {
    return x.dataType() == t.nd4j() ? x : x.castTo(t.nd4j());
  }

  /** Assembles blocks (C order) into one array. */
  static INDArray assemble(List<Object> blocks, long[] shape, long[][] chunks, DType dtype) {
    if (blocks.size() == 1) {
      INDArray b = shaped(cast((INDArray) blocks.get(0), dtype), shape);
      return b.isView() ? b.dup('c') : b;
    }
    INDArray out = zeros(dtype, shape);
    List<int[]> idx = Layout.blockIndices(Layout.numBlocks(chunks));
    for (int i = 0; i < idx.size(); i++) {
      put(out, Layout.blockOffset(chunks, idx.get(i)), cast((INDArray) blocks.get(i), dtype));
    }
    return out;
  }
}
