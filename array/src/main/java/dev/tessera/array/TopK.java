package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dask's {@code topk} and {@code argtopk} along one axis, as a tree reduction over the blocks
 * of that axis: every block keeps its {@code |k|} best candidates per position of the other
 * axes (values with their global indices along the axis), groups of {@code splitEvery}
 * candidate sets are merged by keeping the best {@code |k|} again, and the root sorts them:
 * {@code k > 0} the largest, descending; {@code k < 0} the smallest, ascending. The order is
 * NumPy's sort order (NaN above every number) and ties go to the lower index, so the result
 * does not depend on the chunking. Selection is by a bounded heap, O(n log |k|) per block.
 */
final class TopK {
  private TopK() {}

  /** Candidates of one group of blocks: (rows, m) values and their indices along the axis. */
  record Part(double[][] values, long[][] index) implements Serializable {}

  static Array topk(Array a, int k, int axisIn, boolean arg) {
    String op = arg ? "argtopk" : "topk";
    if (!Layout.known(a.chunks)) {
      throw new ArrayException(op + ": " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    if (a.ndim() == 0) {
      throw new ArrayException(op + ": a 0-d array has no axis; reshape(1) it first");
    }
    int axis = Layout.axis(axisIn, a.ndim(), op);
    int kk = Math.abs(k);
    if (k == 0 || kk > a.shape[axis]) {
      throw new ArrayException(op + ": k must be non-zero with |k| at most the axis length "
          + a.shape[axis] + ", got " + k + " (k > 0: the largest, k < 0: the smallest)");
    }
    if (a.dtype == DType.INT64) {
      // candidates travel as doubles; int64 beyond 2^53 would compare wrongly
      throw new ArrayException(op + ": int64 is not supported (values above 2^53 would be"
          + " rounded); convert with astype(DType.FLOAT64) if they are small");
    }
    String name = Tokens.name(op, a, k, axis);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int[] nb = a.numBlocks();
    int[] outer = nb.clone();
    outer[axis] = 1;
    long[][] outChunks = Layout.copy(a.chunks);
    outChunks[axis] = new long[] {kk};
    long[] shape = a.shape.clone();
    shape[axis] = kk;
    DType out = arg ? DType.INT64 : a.dtype;
    for (int[] idx : Layout.blockIndices(outer)) {
      List<Key> parts = new ArrayList<>();
      for (int i = 0; i < nb[axis]; i++) {
        int[] src = idx.clone();
        src[axis] = i;
        Key pk = Key.of(name + "-chunk", src);
        long off = Layout.offsets(a.chunks[axis])[i];
        tasks.put(pk, Task.of(new Chunk(k, axis, off), a.blockKey(src)));
        parts.add(pk);
      }
      Key root = treeFor(tasks, name, idx, parts, k);
      tasks.put(Key.of(name, idx), Task.of(new Finish(axis, Layout.blockShape(outChunks, idx),
          arg, out), root));
    }
    return Array.of(name, op, tasks, shape, outChunks, out, List.of(a));
  }

  private static Key treeFor(Map<Key, Task> tasks, String name, int[] idx, List<Key> parts,
      int k) {
    StringBuilder suffix = new StringBuilder(name).append("-merge");
    for (int i : idx) {
      suffix.append('-').append(i);
    }
    return Trees.reduce(tasks, suffix.toString(), parts, Reductions.DEFAULT_SPLIT_EVERY,
        new Merge(k));
  }

  /** Whether (v, i) ranks before (w, j): the larger first for k > 0, ties to the lower index. */
  static boolean before(double v, long i, double w, long j, boolean largest) {
    int c = Double.compare(v, w);
    if (c == 0) {
      return i < j;
    }
    return largest ? c > 0 : c < 0;
  }

  /** The best {@code k} of one row's candidates, sorted best first. */
  static void select(double[] v, long[] ix, int n, int k, boolean largest, double[] outV,
      long[] outI) {
    int m = Math.min(k, n);
    // a heap whose root is the worst kept candidate
    double[] hv = new double[m];
    long[] hi = new long[m];
    int size = 0;
    for (int p = 0; p < n; p++) {
      if (size < m) {
        int c = size++;
        hv[c] = v[p];
        hi[c] = ix[p];
        while (c > 0) {
          int parent = (c - 1) / 2;
          if (before(hv[parent], hi[parent], hv[c], hi[c], largest)) {
            swap(hv, hi, parent, c);
            c = parent;
          } else {
            break;
          }
        }
      } else if (before(v[p], ix[p], hv[0], hi[0], largest)) {
        hv[0] = v[p];
        hi[0] = ix[p];
        siftDown(hv, hi, 0, size, largest);
      }
    }
    // pop the worst to the end: sorted best first
    for (int end = size - 1; end >= 0; end--) {
      outV[end] = hv[0];
      outI[end] = hi[0];
      hv[0] = hv[end];
      hi[0] = hi[end];
      siftDown(hv, hi, 0, end, largest);
    }
  }

  private static void siftDown(double[] hv, long[] hi, int c, int size, boolean largest) {
    while (true) {
      int l = 2 * c + 1;
      int r = l + 1;
      int worst = c;
      if (l < size && before(hv[worst], hi[worst], hv[l], hi[l], largest)) {
        worst = l;
      }
      if (r < size && before(hv[worst], hi[worst], hv[r], hi[r], largest)) {
        worst = r;
      }
      if (worst == c) {
        return;
      }
      swap(hv, hi, c, worst);
      c = worst;
    }
  }

  private static void swap(double[] hv, long[] hi, int a, int b) {
    double t = hv[a];
    hv[a] = hv[b];
    hv[b] = t;
    long u = hi[a];
    hi[a] = hi[b];
    hi[b] = u;
  }

  /** A block's best candidates per row (the axis moved last, the other axes flattened). */
  record Chunk(int k, int axis, long offset) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      long[] s = x.shape();
      int n = (int) s[axis];
      int rows = (int) Layout.size(withoutAxis(s, axis));
      double[] flat = n == 0 ? new double[0] : Histograms.values(moveLast(x, axis));
      int m = Math.min(Math.abs(k), n);
      double[][] vs = new double[rows][m];
      long[][] is = new long[rows][m];
      double[] v = new double[n];
      long[] ix = new long[n];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(flat, r * n, v, 0, n);
        for (int p = 0; p < n; p++) {
          ix[p] = offset + p;
        }
        select(v, ix, n, Math.abs(k), k > 0, vs[r], is[r]);
      }
      return new Part(vs, is);
    }
  }

  static long[] withoutAxis(long[] s, int axis) {
    long[] o = new long[s.length - 1];
    for (int d = 0, j = 0; d < s.length; d++) {
      if (d != axis) {
        o[j++] = s[d];
      }
    }
    return o;
  }

  /** The block with {@code axis} moved to the end, in C order. */
  static INDArray moveLast(INDArray x, int axis) {
    int nd = x.rank();
    if (axis == nd - 1) {
      return x;
    }
    int[] perm = new int[nd];
    for (int d = 0, j = 0; d < nd; d++) {
      if (d != axis) {
        perm[j++] = d;
      }
    }
    perm[nd - 1] = axis;
    return x.permute(perm).dup('c');
  }

  /** Merges candidate sets: the best {@code |k|} of their union, per row. */
  record Merge(int k) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> parts = (List<?>) args[0];
      if (parts.size() == 1) {
        return parts.get(0);
      }
      int rows = ((Part) parts.get(0)).values().length;
      double[][] vs = new double[rows][];
      long[][] is = new long[rows][];
      for (int r = 0; r < rows; r++) {
        int n = 0;
        for (Object o : parts) {
          n += ((Part) o).values()[r].length;
        }
        double[] v = new double[n];
        long[] ix = new long[n];
        int at = 0;
        for (Object o : parts) {
          Part p = (Part) o;
          System.arraycopy(p.values()[r], 0, v, at, p.values()[r].length);
          System.arraycopy(p.index()[r], 0, ix, at, p.index()[r].length);
          at += p.values()[r].length;
        }
        int m = Math.min(Math.abs(k), n);
        vs[r] = new double[m];
        is[r] = new long[m];
        select(v, ix, n, Math.abs(k), k > 0, vs[r], is[r]);
      }
      return new Part(vs, is);
    }
  }

  /** The root's candidates as the output block: (other axes..., |k|) moved back in place. */
  record Finish(int axis, long[] shape, boolean arg, DType out) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Part p = (Part) args[0];
      int rows = p.values().length;
      int m = (int) shape[axis];
      long[] last = new long[shape.length];
      for (int d = 0, j = 0; d < shape.length; d++) {
        if (d != axis) {
          last[j++] = shape[d];
        }
      }
      last[shape.length - 1] = m;
      INDArray flat;
      if (arg) {
        long[] f = new long[rows * m];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(p.index()[r], 0, f, r * m, m);
        }
        flat = f.length == 0 ? Nd4j.create(DataType.INT64, last)
            : Nd4j.createFromArray(f).reshape('c', last);
      } else {
        double[] f = new double[rows * m];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(p.values()[r], 0, f, r * m, m);
        }
        flat = f.length == 0 ? Nd4j.create(DataType.DOUBLE, last)
            : Nd4j.createFromArray(f).reshape('c', last);
        flat = Nd.cast(flat, out);
      }
      if (axis == shape.length - 1) {
        return flat;
      }
      // the inverse of moving the axis last
      int nd = shape.length;
      int[] inv = new int[nd];
      for (int d = 0, j = 0; d < nd; d++) {
        if (d != axis) {
          inv[d] = j++;
        }
      }
      inv[axis] = nd - 1;
      return flat.permute(inv).dup('c');
    }
  }
}
