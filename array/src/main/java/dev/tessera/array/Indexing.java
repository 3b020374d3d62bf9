package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * Slicing with steps and integer indexing, touching only the blocks that hold selected
 * elements (one output chunk per input chunk that contributes), and boolean mask indexing
 * (a mask of the array's shape selects elements; a 1-d mask selects rows along axis 0).
 */
final class Indexing {
  private Indexing() {}

  /** Along one axis: output chunk k comes from input block {@code block}, positions start, start+step, ... */
  record AxisPart(int block, long start, long step, long count) {}

  static Array get(Array a, Index[] index) {
    if (!Layout.known(a.chunks)) {
      throw new ArrayException("indexing: " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    int nd = a.ndim();
    if (index.length > nd) {
      throw new ArrayException("too many indices for array: array is " + nd
          + "-dimensional, but " + index.length + " were indexed");
    }
    List<List<AxisPart>> parts = new ArrayList<>();
    List<Integer> points = new ArrayList<>();
    long[] shape = new long[nd];
    long[][] chunks = new long[nd][];
    for (int d = 0; d < nd; d++) {
      Index ix = d < index.length ? index[d] : Index.all();
      long n = a.shape[d];
      long start;
      long step = ix.step;
      long count;
      if (ix.point) {
        long i = ix.start < 0 ? ix.start + n : ix.start;
        if (i < 0 || i >= n) {
          throw new ArrayException("index " + ix.start + " is out of bounds for axis " + d
              + " with size " + n);
        }
        start = i;
        count = 1;
        points.add(d);
      } else if (step > 0) {
        start = ix.start == null ? 0 : clamp(ix.start < 0 ? ix.start + n : ix.start, 0, n);
        long stop = ix.stop == null ? n : clamp(ix.stop < 0 ? ix.stop + n : ix.stop, 0, n);
        count = stop > start ? (stop - start + step - 1) / step : 0;
      } else {
        start = ix.start == null ? n - 1 : clamp(ix.start < 0 ? ix.start + n : ix.start, -1, n - 1);
        long stop = ix.stop == null ? -1 : clamp(ix.stop < 0 ? ix.stop + n : ix.stop, -1, n - 1);
        count = start > stop ? (start - stop + (-step) - 1) / (-step) : 0;
      }
      List<AxisPart> ps = axisParts(a.chunks[d], start, step, count);
      parts.add(ps);
      shape[d] = count;
      chunks[d] = ps.stream().mapToLong(AxisPart::count).toArray();
    }
    String name = Tokens.name("getitem", a, Arrays.toString(index));
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      int[] src = new int[nd];
      long[] starts = new long[nd];
      long[] steps = new long[nd];
      long[] counts = new long[nd];
      for (int d = 0; d < nd; d++) {
        AxisPart p = parts.get(d).get(idx[d]);
        src[d] = p.block();
        starts[d] = p.start();
        steps[d] = p.step();
        counts[d] = p.count();
      }
      tasks.put(Key.of(name, idx), Task.of(new Select(starts, steps, counts, a.dtype),
          a.blockKey(src)));
    }
    Array out = Array.of(name, "getitem", tasks, shape, chunks, a.dtype, List.of(a));
    if (!points.isEmpty()) {
      out = Shapes.dropUnitAxes(out, points.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  static long clamp(long x, long lo, long hi) {
    return Math.max(lo, Math.min(hi, x));
  }

  static List<AxisPart> axisParts(long[] chunks, long start, long step, long count) {
    List<AxisPart> out = new ArrayList<>();
    if (count == 0) {
      out.add(new AxisPart(0, 0, 1, 0));
      return out;
    }
    long[] off = Layout.offsets(chunks);
    long k = 0;
    while (k < count) {
      long g = start + k * step;
      int b = blockOf(off, g);
      // how many further selected positions stay in block b
      long lo = off[b];
      long hi = off[b + 1];
      long m;
      if (step > 0) {
        m = (hi - 1 - g) / step + 1;
      } else {
        m = (g - lo) / (-step) + 1;
      }
      m = Math.min(m, count - k);
      out.add(new AxisPart(b, g - lo, step, m));
      k += m;
    }
    return out;
  }

  static int blockOf(long[] off, long g) {
    int lo = 0;
    int hi = off.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (off[mid] <= g) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    while (lo < off.length - 2 && off[lo + 1] <= g) {
      lo++;
    }
    return lo;
  }

  /** Selects start + k*step for k below count, on each axis, from one block. */
  record Select(long[] starts, long[] steps, long[] counts, DType dtype)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      if (Layout.size(counts) == 0) {
        return Nd.zeros(dtype, counts);
      }
      long[] xs = x.shape();
      boolean whole = true;
      boolean negative = false;
      for (int d = 0; d < counts.length; d++) {
        whole &= starts[d] == 0 && steps[d] == 1 && counts[d] == xs[d];
        negative |= steps[d] < 0;
      }
      if (whole) {
        return x;
      }
      INDArrayIndex[] ix = new INDArrayIndex[counts.length];
      for (int d = 0; d < counts.length; d++) {
        if (steps[d] > 0) {
          long end = starts[d] + (counts[d] - 1) * steps[d] + 1;
          ix[d] = steps[d] == 1 || counts[d] == 1 ? NDArrayIndex.interval(starts[d], end)
              : NDArrayIndex.interval(starts[d], steps[d], end);
        } else {
          ix[d] = NDArrayIndex.interval(0, xs[d]);
        }
      }
      INDArray out = x.get(ix);
      if (negative) {
        // ND4J mixes specified indices badly with intervals: one reversed axis at a time
        for (int d = 0; d < counts.length; d++) {
          if (steps[d] < 0) {
            long[] pos = new long[(int) counts[d]];
            for (int k = 0; k < pos.length; k++) {
              pos[k] = starts[d] + k * steps[d];
            }
            INDArrayIndex[] one = new INDArrayIndex[counts.length];
            for (int e = 0; e < one.length; e++) {
              one[e] = e == d ? new SpecifiedIndex(pos) : NDArrayIndex.all();
            }
            out = Memory.track(out.dup('c').get(one));
          }
        }
      }
      if (!Nd.sameShape(out, counts)) {
        throw new IllegalStateException("slice of block " + Arrays.toString(x.shape())
            + " from " + Arrays.toString(starts) + " by " + Arrays.toString(steps) + " gave "
            + Arrays.toString(out.shape()) + ", expected " + Arrays.toString(counts));
      }
      return out;
    }
  }

  // ------------------------------------------------------------------ boolean masks

  static Array mask(Array a, Array mask) {
    if (mask.dtype != DType.BOOL) {
      throw new ArrayException("boolean index: mask must be bool, got " + mask.dtype
          + " (compare it first, e.g. x.gt(0))");
    }
    if (!Layout.known(a.chunks) || !Layout.known(mask.chunks)) {
      throw new ArrayException("boolean index: " + (Layout.known(a.chunks) ? mask : a)
          + " has unknown chunk sizes; call computeChunkSizes() first");
    }
    if (a.ndim() == 0) {
      throw new ArrayException("boolean index of a zero-dimensional array is not supported");
    }
    if (Arrays.equals(a.shape, mask.shape)) {
      return elementMask(a, mask);
    }
    if (mask.ndim() == 1 && mask.shape[0] == a.shape[0]) {
      return rowMask(a, mask);
    }
    if (mask.ndim() == 1) {
      throw new ArrayException("boolean index: 1-d mask of length " + mask.shape[0]
          + " does not match axis 0 of array shape " + Arrays.toString(a.shape) + " (length "
          + a.shape[0] + "); a 1-d mask selects rows and needs one entry per row");
    }
    throw new ArrayException("boolean index: mask shape " + Arrays.toString(mask.shape)
        + " does not match array shape " + Arrays.toString(a.shape) + "; give a mask of the"
        + " same shape, or a 1-d mask of length " + a.shape[0] + " to select rows");
  }

  /** A mask of the array's own shape: the selected elements, 1-d, in C order. */
  private static Array elementMask(Array a, Array mask) {
    if (a.ndim() == 1) {
      return rowMask(a, mask);
    }
    // every axis but the first whole, so block order is C order of the elements
    long[][] want = Layout.copy(a.chunks);
    for (int d = 1; d < a.ndim(); d++) {
      want[d] = new long[] {a.shape[d]};
    }
    Array x = Rechunk.rechunk(a, want);
    Array m = Rechunk.rechunk(mask, want);
    String name = Tokens.name("getitem-mask", x, m);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int rows = x.chunks[0].length;
    long[] unknown = new long[rows];
    Arrays.fill(unknown, Layout.UNKNOWN);
    for (int i = 0; i < rows; i++) {
      int[] idx = new int[a.ndim()];
      idx[0] = i;
      tasks.put(Key.of(name, i), Task.of(new MaskSelect(a.dtype), x.blockKey(idx),
          m.blockKey(idx)));
    }
    return Array.of(name, "getitem-mask", tasks, new long[] {Layout.UNKNOWN},
        new long[][] {unknown}, a.dtype, List.of(x, m));
  }

  /**
   * A 1-d mask along axis 0: the selected rows, like NumPy's {@code x[mask]} for a 1-d
   * {@code mask}. The mask is rechunked to the array's row blocks; each block keeps its rows
   * where the mask block is true, so axis 0 has unknown chunks and the other axes keep theirs.
   */
  private static Array rowMask(Array a, Array mask) {
    Array m = Rechunk.rechunk(mask, new long[][] {a.chunks[0]});
    String name = Tokens.name("getitem-mask-rows", a, m);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(a.chunks))) {
      tasks.put(Key.of(name, idx), Task.of(new MaskRows(a.dtype), a.blockKey(idx),
          m.blockKey(idx[0])));
    }
    long[] shape = a.shape.clone();
    shape[0] = Layout.UNKNOWN;
    long[][] chunks = Layout.copy(a.chunks);
    Arrays.fill(chunks[0], Layout.UNKNOWN);
    return Array.of(name, "getitem-mask", tasks, shape, chunks, a.dtype, List.of(a, m));
  }

  /** Keeps the rows (along axis 0) of a block where its 1-d mask block is true. */
  record MaskRows(DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      int[] rowMask = ((INDArray) args[1]).castTo(DataType.INT32).dup('c').data().asInt();
      long[] shape = x.shape().clone();
      int rows = (int) shape[0];
      long rowLength = rows == 0 ? 0 : x.length() / rows;
      int kept = 0;
      for (int r = 0; r < rows; r++) {
        kept += rowMask[r] != 0 ? 1 : 0;
      }
      if (kept == rows) {
        return x;
      }
      shape[0] = kept;
      if (kept == 0 || rowLength == 0) {
        return Nd.zeros(dtype, shape);
      }
      // widen the row mask to an element mask and reuse the element selection
      int[] m = new int[(int) x.length()];
      for (int r = 0; r < rows; r++) {
        if (rowMask[r] != 0) {
          Arrays.fill(m, (int) (r * rowLength), (int) ((r + 1) * rowLength), 1);
        }
      }
      return select(x, m, dtype).reshape('c', shape);
    }
  }

  record MaskSelect(DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      int n = (int) x.length();
      if (n == 0) {
        return Nd.zeros(dtype, new long[] {0});
      }
      int[] m = ((INDArray) args[1]).castTo(DataType.INT32).dup('c').data().asInt();
      return select(x, m, dtype);
    }
  }

  /** The elements of {@code x} (C order) where {@code m} is non-zero, 1-d. */
  static INDArray select(INDArray x, int[] m, DType dtype) {
    int n = (int) x.length();
    // primitive copies in C order, then one pass: ND4J has no masked gather
    INDArray c = x.dup('c');
    int k = 0;
    switch (dtype) {
      case FLOAT64: {
        double[] v = c.data().asDouble();
        double[] o = new double[n];
        for (int i = 0; i < n; i++) {
          if (m[i] != 0) {
            o[k++] = v[i];
          }
        }
        return Nd4j.createFromArray(Arrays.copyOf(o, k));
      }
      case FLOAT32: {
        float[] v = c.data().asFloat();
        float[] o = new float[n];
        for (int i = 0; i < n; i++) {
          if (m[i] != 0) {
            o[k++] = v[i];
          }
        }
        return Nd4j.createFromArray(Arrays.copyOf(o, k));
      }
      case INT64: {
        long[] v = c.data().asLong();
        long[] o = new long[n];
        for (int i = 0; i < n; i++) {
          if (m[i] != 0) {
            o[k++] = v[i];
          }
        }
        return Nd4j.createFromArray(Arrays.copyOf(o, k));
      }
      default: {
        int[] v = c.castTo(DataType.INT32).data().asInt();
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
          if (m[i] != 0) {
            o[k++] = v[i];
          }
        }
        INDArray r = Nd4j.createFromArray(Arrays.copyOf(o, k));
        return k == 0 ? Nd.zeros(dtype, new long[] {0}) : Nd.cast(r, dtype);
      }
    }
  }

  /** A block's length along one axis: for computing unknown chunk sizes. */
  record Size(int axis) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return ((INDArray) args[0]).size(axis);
    }
  }
}
