package dev.tessera.idioms.views;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Arrays split by rows as {@link Partition} splits lists, and stacked back. */
final class RowPieces {
  private RowPieces() {}

  static List<INDArray> split(INDArray a, int parts) {
    if (a.rank() < 1) {
      throw new IllegalArgumentException("scatter needs an array of at least one dimension,"
          + " got a scalar: push it instead");
    }
    int n = Math.toIntExact(a.size(0));
    List<INDArray> out = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int lo = Partition.low(n, p, parts);
      int hi = Partition.high(n, p, parts);
      long[] shape = a.shape().clone();
      shape[0] = hi - lo;
      if (hi == lo) {
        out.add(Nd4j.create(a.dataType(), shape));
        continue;
      }
      INDArrayIndex[] index = new INDArrayIndex[a.rank()];
      index[0] = NDArrayIndex.interval(lo, hi);
      for (int d = 1; d < index.length; d++) {
        index[d] = NDArrayIndex.all();
      }
      out.add(a.get(index).dup().reshape(shape));
    }
    return out;
  }

  static INDArray join(List<INDArray> pieces) {
    List<INDArray> nonEmpty = new ArrayList<>();
    for (INDArray p : pieces) {
      if (p.length() > 0) {
        nonEmpty.add(p);
      }
    }
    if (nonEmpty.isEmpty()) {
      return pieces.get(0).dup();
    }
    if (nonEmpty.size() == 1) {
      return nonEmpty.get(0).dup();
    }
    return Nd4j.concat(0, nonEmpty.toArray(new INDArray[0]));
  }
}
