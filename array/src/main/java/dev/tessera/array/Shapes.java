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
import org.nd4j.linalg.api.ndarray.INDArray;

/** Transpose, squeeze, expand_dims, reshape, concatenate and stack. */
final class Shapes {
  private Shapes() {}

  static Array transpose(Array a, int[] permIn) {
    int nd = a.ndim();
    int[] perm;
    if (permIn == null) {
      perm = new int[nd];
      for (int i = 0; i < nd; i++) {
        perm[i] = nd - 1 - i;
      }
    } else {
      if (permIn.length != nd) {
        throw new ArrayException("transpose: axes " + Arrays.toString(permIn) + " do not match"
            + " an array of " + nd + " dimensions; give a permutation of 0.." + (nd - 1));
      }
      Layout.axes(permIn, nd, "transpose"); // checks range and repeats
      perm = new int[nd];
      for (int i = 0; i < nd; i++) {
        perm[i] = Layout.axis(permIn[i], nd, "transpose");
      }
    }
    boolean identity = true;
    long[] shape = new long[nd];
    long[][] chunks = new long[nd][];
    for (int i = 0; i < nd; i++) {
      shape[i] = a.shape[perm[i]];
      chunks[i] = a.chunks[perm[i]];
      identity &= perm[i] == i;
    }
    if (identity) {
      return a;
    }
    String name = Tokens.name("transpose", a, perm);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      int[] src = new int[nd];
      for (int i = 0; i < nd; i++) {
        src[perm[i]] = idx[i];
      }
      tasks.put(Key.of(name, idx), Task.of(new Permute(perm), a.blockKey(src)));
    }
    return Array.of(name, "transpose", tasks, shape, chunks, a.dtype, List.of(a));
  }

  record Permute(int[] perm) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      if (x.length() == 0) {
        long[] s = new long[perm.length];
        for (int i = 0; i < s.length; i++) {
          s[i] = x.shape()[perm[i]];
        }
        return Nd.zeros(DType.of(x.dataType()), s);
      }
      return x.permute(perm);
    }
  }

  /** Reshapes every block to its new shape: for block-preserving shape changes. */
  record Reshape(long[] shape) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return Nd.shaped((INDArray) args[0], shape);
    }
  }

  /** A layer where output block {@code idx} is input block {@code map(idx)} reshaped. */
  static Array perBlock(String prefix, Array a, long[] shape, long[][] chunks,
      java.util.function.Function<int[], int[]> map, Object token) {
    String name = Tokens.name(prefix, a, shape, chunks, token);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      tasks.put(Key.of(name, idx), Task.of(new Reshape(Layout.blockShape(chunks, idx)),
          a.blockKey(map.apply(idx))));
    }
    return Array.of(name, prefix, tasks, shape, chunks, a.dtype, List.of(a));
  }

  static Array dropUnitAxes(Array a, int[] axes) {
    boolean[] drop = new boolean[a.ndim()];
    for (int x : axes) {
      if (a.shape[x] != 1) {
        throw new ArrayException("squeeze: axis " + x + " of " + a + " has length " + a.shape[x]
            + ", not 1");
      }
      drop[x] = true;
    }
    if (axes.length == 0) {
      return a;
    }
    int nd = a.ndim() - axes.length;
    long[] shape = new long[nd];
    long[][] chunks = new long[nd][];
    int k = 0;
    for (int d = 0; d < a.ndim(); d++) {
      if (!drop[d]) {
        shape[k] = a.shape[d];
        chunks[k++] = a.chunks[d];
      }
    }
    return perBlock("squeeze", a, shape, chunks, idx -> {
      int[] src = new int[a.ndim()];
      int j = 0;
      for (int d = 0; d < a.ndim(); d++) {
        src[d] = drop[d] ? 0 : idx[j++];
      }
      return src;
    }, axes);
  }

  static Array squeeze(Array a, int[] axesIn) {
    if (axesIn != null) {
      return dropUnitAxes(a, Layout.axes(axesIn, a.ndim(), "squeeze"));
    }
    List<Integer> ones = new ArrayList<>();
    for (int d = 0; d < a.ndim(); d++) {
      if (a.shape[d] == 1) {
        ones.add(d);
      }
    }
    return dropUnitAxes(a, ones.stream().mapToInt(Integer::intValue).toArray());
  }

  static Array expandDims(Array a, int axisIn) {
    int nd = a.ndim() + 1;
    int axis = Layout.axis(axisIn, nd, "expandDims");
    long[] shape = new long[nd];
    long[][] chunks = new long[nd][];
    for (int d = 0, k = 0; d < nd; d++) {
      if (d == axis) {
        shape[d] = 1;
        chunks[d] = new long[] {1};
      } else {
        shape[d] = a.shape[k];
        chunks[d] = a.chunks[k++];
      }
    }
    return perBlock("expand-dims", a, shape, chunks, idx -> {
      int[] src = new int[nd - 1];
      for (int d = 0, k = 0; d < nd; d++) {
        if (d != axis) {
          src[k++] = idx[d];
        }
      }
      return src;
    }, axis);
  }

  static Array reshape(Array a, long[] want) {
    long size = a.size();
    long[] target = want.clone();
    int infer = -1;
    long known = 1;
    for (int d = 0; d < target.length; d++) {
      if (target[d] == -1) {
        if (infer >= 0) {
          throw new ArrayException("reshape: only one length may be -1 in "
              + Arrays.toString(want));
        }
        infer = d;
      } else if (target[d] < 0) {
        throw new ArrayException("reshape: negative length in " + Arrays.toString(want));
      } else {
        known *= target[d];
      }
    }
    if (infer >= 0) {
      if (known == 0 || size % known != 0) {
        throw new ArrayException("reshape: cannot reshape " + Arrays.toString(a.shape) + " into "
            + Arrays.toString(want));
      }
      target[infer] = size / known;
    }
    if (Layout.size(target) != size) {
      throw new ArrayException("reshape: cannot reshape an array of size " + size + " "
          + Arrays.toString(a.shape) + " into shape " + Arrays.toString(want));
    }
    if (Arrays.equals(target, a.shape)) {
      return a;
    }
    if (size == 0) {
      long[][] c = new long[target.length][];
      for (int d = 0; d < c.length; d++) {
        c[d] = new long[] {target[d]};
      }
      return Creation.full(target, 0, Chunks.explicit(c), a.dtype);
    }
    // without unit axes, group input and output axes whose products match
    Array s = squeeze(a, null);
    List<Integer> outAxes = new ArrayList<>();
    for (int d = 0; d < target.length; d++) {
      if (target[d] != 1) {
        outAxes.add(d);
      }
    }
    long[] in = s.shape;
    long[][] want2 = Layout.copy(s.chunks);
    List<int[]> groups = new ArrayList<>(); // {inStart, inEnd, outStart, outEnd} over squeezed
    int i = 0;
    int j = 0;
    while (i < in.length) {
      int i0 = i;
      int j0 = j;
      long pi = in[i++];
      long po = target[outAxes.get(j++)];
      while (pi != po) {
        if (pi < po) {
          pi *= in[i++];
        } else {
          po *= target[outAxes.get(j++)];
        }
      }
      groups.add(new int[] {i0, i, j0, j});
    }
    long[] outChunksFirst = null;
    long[][] outChunks = new long[target.length][];
    for (int d = 0; d < target.length; d++) {
      outChunks[d] = new long[] {target[d]};
    }
    for (int[] g : groups) {
      long tin = 1;
      for (int k = g[0] + 1; k < g[1]; k++) {
        tin *= in[k];
        want2[k] = new long[] {in[k]};
      }
      long tout = 1;
      for (int k = g[2] + 1; k < g[3]; k++) {
        tout *= target[outAxes.get(k)];
      }
      long unit = lcm(tin, tout) / tin; // input rows per output-aligned block: a multiple
      long[] first = s.chunks[g[0]];
      boolean ok = true;
      for (long c : first) {
        ok &= c % unit == 0;
      }
      if (!ok) {
        long target0 = Math.max(unit, (first[0] / unit) * unit);
        want2[g[0]] = Layout.regular(in[g[0]], target0);
        if (in[g[0]] % unit != 0) {
          throw new ArrayException("reshape: cannot split axis of length " + in[g[0]]);
        }
      }
      long[] fc = want2[g[0]];
      outChunksFirst = new long[fc.length];
      for (int k = 0; k < fc.length; k++) {
        outChunksFirst[k] = fc[k] * tin / tout;
      }
      outChunks[outAxes.get(g[2])] = outChunksFirst;
    }
    Array r = Rechunk.rechunk(s, want2);
    int nd = target.length;
    int[] firstOut = new int[nd];
    Arrays.fill(firstOut, -1);
    for (int[] g : groups) {
      firstOut[outAxes.get(g[2])] = g[0];
    }
    Array src = r;
    return perBlock("reshape", src, target, outChunks, idx -> {
      int[] si = new int[src.ndim()];
      for (int d = 0; d < nd; d++) {
        if (firstOut[d] >= 0) {
          si[firstOut[d]] = idx[d];
        }
      }
      return si;
    }, target);
  }

  static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  static Array concatenate(int axisIn, List<Array> arrays) {
    if (arrays.isEmpty()) {
      throw new ArrayException("concatenate: need at least one array");
    }
    Array first = arrays.get(0);
    int nd = first.ndim();
    if (nd == 0) {
      throw new ArrayException("concatenate: zero-dimensional arrays cannot be concatenated");
    }
    int axis = Layout.axis(axisIn, nd, "concatenate");
    DType t = first.dtype;
    for (Array a : arrays) {
      if (a.ndim() != nd) {
        throw new ArrayException("concatenate: all arrays need " + nd + " dimensions; " + a
            + " has " + a.ndim());
      }
      for (int d = 0; d < nd; d++) {
        if (d != axis && a.shape[d] != first.shape[d]) {
          throw new ArrayException("concatenate: shapes " + Arrays.toString(first.shape) + " and "
              + Arrays.toString(a.shape) + " differ on axis " + d + " (only axis " + axis
              + " may differ)");
        }
      }
      t = DType.promote(t, a.dtype);
    }
    long[][] common = new long[nd][];
    for (int d = 0; d < nd; d++) {
      if (d != axis) {
        List<long[]> cs = new ArrayList<>();
        for (Array a : arrays) {
          cs.add(a.chunks[d]);
        }
        common[d] = Elementwise.refine(cs);
      }
    }
    List<Array> aligned = new ArrayList<>();
    List<Long> axisChunks = new ArrayList<>();
    long length = 0;
    for (Array a : arrays) {
      long[][] w = Layout.copy(a.chunks);
      for (int d = 0; d < nd; d++) {
        if (d != axis) {
          w[d] = common[d];
        }
      }
      Array r = Rechunk.rechunk(a, w).astype(t);
      aligned.add(r);
      for (long c : r.chunks[axis]) {
        axisChunks.add(c);
      }
      length += a.shape[axis];
    }
    common[axis] = axisChunks.stream().mapToLong(Long::longValue).toArray();
    long[] shape = first.shape.clone();
    shape[axis] = length;
    String name = Tokens.name("concatenate", aligned, axis);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int[] which = new int[common[axis].length];
    int[] local = new int[common[axis].length];
    for (int k = 0, b = 0; k < aligned.size(); k++) {
      for (int c = 0; c < aligned.get(k).chunks[axis].length; c++, b++) {
        which[b] = k;
        local[b] = c;
      }
    }
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(common))) {
      int[] src = idx.clone();
      src[axis] = local[idx[axis]];
      tasks.put(Key.of(name, idx), Task.alias(aligned.get(which[idx[axis]]).blockKey(src)));
    }
    return Array.of(name, "concatenate", tasks, shape, common, t, aligned);
  }

  static Array stack(int axisIn, List<Array> arrays) {
    if (arrays.isEmpty()) {
      throw new ArrayException("stack: need at least one array");
    }
    int axis = Layout.axis(axisIn, arrays.get(0).ndim() + 1, "stack");
    List<Array> expanded = new ArrayList<>();
    for (Array a : arrays) {
      if (!Arrays.equals(a.shape, arrays.get(0).shape)) {
        throw new ArrayException("stack: all arrays need the same shape; "
            + Arrays.toString(arrays.get(0).shape) + " vs " + Arrays.toString(a.shape));
      }
      expanded.add(expandDims(a, axis));
    }
    return concatenate(axis, expanded);
  }
}
