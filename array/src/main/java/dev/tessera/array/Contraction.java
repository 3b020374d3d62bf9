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
import org.nd4j.linalg.factory.Nd4j;

/**
 * Blockwise contraction: output block (free indices of a, free indices of b) is the sum over
 * the contracted block indices of the blocks' tensor products. Each task accumulates up to
 * {@code splitEvery} products in place (for matrices one GEMM with beta = 1 each), and the
 * group results are added in a tree, so no task receives all contracted blocks.
 */
final class Contraction {
  private Contraction() {}

  static final int SPLIT_EVERY = 16;

  static DType checkTypes(String what, Array a, Array b) {
    if (!a.dtype.isFloat() || !b.dtype.isFloat()) {
      throw new ArrayException(what + ": needs float operands, got " + a.dtype + " and "
          + b.dtype + "; convert with astype(DType.FLOAT64)");
    }
    return DType.promote(a.dtype, b.dtype);
  }

  static Array tensordot(Array a0, Array b0, int[] axesA, int[] axesB) {
    DType t = checkTypes("tensordot", a0, b0);
    if (axesA.length != axesB.length) {
      throw new ArrayException("tensordot: " + axesA.length + " axes of a but " + axesB.length
          + " of b; give the same number");
    }
    int[] ca = new int[axesA.length];
    int[] cb = new int[axesB.length];
    for (int i = 0; i < ca.length; i++) {
      ca[i] = Layout.axis(axesA[i], a0.ndim(), "tensordot (a)");
      cb[i] = Layout.axis(axesB[i], b0.ndim(), "tensordot (b)");
      if (a0.shape[ca[i]] != b0.shape[cb[i]]) {
        throw new ArrayException("tensordot: contraction over axes of different length: axis "
            + ca[i] + " of a has " + a0.shape[ca[i]] + ", axis " + cb[i] + " of b has "
            + b0.shape[cb[i]]);
      }
    }
    Layout.axes(ca, a0.ndim(), "tensordot (a)");
    Layout.axes(cb, b0.ndim(), "tensordot (b)");
    // common chunks on contracted axes
    long[][] wa = Layout.copy(a0.chunks);
    long[][] wb = Layout.copy(b0.chunks);
    for (int i = 0; i < ca.length; i++) {
      long[] common = Elementwise.refine(List.of(a0.chunks[ca[i]], b0.chunks[cb[i]]));
      wa[ca[i]] = common;
      wb[cb[i]] = common;
    }
    Array a = Rechunk.rechunk(a0, wa).astype(t);
    Array b = Rechunk.rechunk(b0, wb).astype(t);
    List<Integer> freeA = free(a.ndim(), ca);
    List<Integer> freeB = free(b.ndim(), cb);
    int nd = freeA.size() + freeB.size();
    long[] shape = new long[nd];
    long[][] chunks = new long[nd][];
    for (int i = 0; i < freeA.size(); i++) {
      shape[i] = a.shape[freeA.get(i)];
      chunks[i] = a.chunks[freeA.get(i)];
    }
    for (int i = 0; i < freeB.size(); i++) {
      shape[freeA.size() + i] = b.shape[freeB.get(i)];
      chunks[freeA.size() + i] = b.chunks[freeB.get(i)];
    }
    int[] contractedBlocks = new int[ca.length];
    for (int i = 0; i < ca.length; i++) {
      contractedBlocks[i] = a.chunks[ca[i]].length;
    }
    List<int[]> kIndices = Layout.blockIndices(contractedBlocks);
    boolean matrix = a.ndim() == 2 && b.ndim() == 2 && ca[0] == 1 && cb[0] == 0;
    String name = Tokens.name("tensordot", a, b, ca, cb);
    String partName = Tokens.name("tensordot-partial", a, b, ca, cb);
    Map<Key, Task> parts = new LinkedHashMap<>();
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int groups = (kIndices.size() + SPLIT_EVERY - 1) / SPLIT_EVERY;
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      long[] bs = Layout.blockShape(chunks, idx);
      List<Key> groupKeys = new ArrayList<>();
      for (int g = 0; g < Math.max(1, groups); g++) {
        List<Key> ka = new ArrayList<>();
        List<Key> kb = new ArrayList<>();
        for (int q = g * SPLIT_EVERY; q < Math.min(kIndices.size(), (g + 1) * SPLIT_EVERY); q++) {
          int[] k = kIndices.get(q);
          int[] ia = new int[a.ndim()];
          int[] ib = new int[b.ndim()];
          for (int i = 0; i < freeA.size(); i++) {
            ia[freeA.get(i)] = idx[i];
          }
          for (int i = 0; i < freeB.size(); i++) {
            ib[freeB.get(i)] = idx[freeA.size() + i];
          }
          for (int i = 0; i < ca.length; i++) {
            ia[ca[i]] = k[i];
            ib[cb[i]] = k[i];
          }
          ka.add(a.blockKey(ia));
          kb.add(b.blockKey(ib));
        }
        putGroup(tasks, parts, groupKeys, name, partName, idx, g, groups,
            Task.of(new Products(ca, cb, bs, t, matrix), ka, kb));
      }
      if (groups > 1) {
        tasks.put(Key.of(name, idx), sumTree(parts, partName, idx, groupKeys));
      }
    }
    return result(name, "tensordot", tasks, parts, partName, shape, chunks, t, a, b);
  }

  /**
   * Puts group {@code g}'s products for output block {@code idx}: the block itself when there
   * is one group, else a partial result for the block's sum tree.
   */
  private static void putGroup(Map<Key, Task> tasks, Map<Key, Task> parts, List<Key> groupKeys,
      String name, String partName, int[] idx, int g, int groups, Task products) {
    if (groups <= 1) {
      tasks.put(Key.of(name, idx), products);
      return;
    }
    int[] pi = Arrays.copyOf(idx, idx.length + 1);
    pi[idx.length] = g;
    Key pk = Key.of(partName, pi);
    parts.put(pk, products);
    groupKeys.add(pk);
  }

  /** The contraction's array: its layer on top of the partial products' layer, if any. */
  private static Array result(String name, String operation, Map<Key, Task> tasks,
      Map<Key, Task> parts, String partName, long[] shape, long[][] chunks, DType t, Array a,
      Array b) {
    List<Array> deps = List.of(a, b);
    if (!parts.isEmpty()) {
      deps = List.of(Array.of(partName, operation + "-partial", parts, new long[] {1},
          new long[][] {{1}}, t, deps));
    }
    return Array.of(name, operation, tasks, shape, chunks, t, deps);
  }

  /**
   * Adds the group results of output block {@code idx} in a tree, at most SPLIT_EVERY inputs
   * per task: the inner additions go to {@code parts}, the returned task is the root.
   */
  static Task sumTree(Map<Key, Task> parts, String partName, int[] idx, List<Key> groupKeys) {
    int level = 0;
    List<Key> current = groupKeys;
    while (current.size() > SPLIT_EVERY) {
      List<Key> next = new ArrayList<>();
      for (int g = 0; g < current.size(); g += SPLIT_EVERY) {
        int[] pi = Arrays.copyOf(idx, idx.length + 2);
        pi[idx.length] = level + 1;
        pi[idx.length + 1] = g / SPLIT_EVERY;
        Key k = Key.of(partName + "-sum", pi);
        parts.put(k, Task.of(new AddAll(), List.copyOf(current.subList(g,
            Math.min(current.size(), g + SPLIT_EVERY)))));
        next.add(k);
      }
      current = next;
      level++;
    }
    return Task.of(new AddAll(), current);
  }

  /**
   * NumPy's batched {@code a @ b} for operands of at least 2 dimensions: the last two axes are
   * matrices, the leading (batch) axes broadcast. Output block (batch..., i, j) sums, over the
   * blocks of the contracted axis, the per-batch-element matrix products of a's block
   * (batch..., i, k) and b's block (batch..., k, j), grouped and added in a tree like
   * {@link #tensordot}. An operand's batch axis of length 1 (or missing) uses its only block.
   */
  static Array matmul(Array a0, Array b0) {
    DType t = checkTypes("matmul", a0, b0);
    int na = a0.ndim();
    int nb = b0.ndim();
    if (a0.shape[na - 1] != b0.shape[nb - 2]) {
      throw new ArrayException("matmul: contraction over axes of different length: "
          + Arrays.toString(a0.shape) + " @ " + Arrays.toString(b0.shape) + " (last axis of a "
          + a0.shape[na - 1] + " vs second-to-last axis of b " + b0.shape[nb - 2] + ")");
    }
    int batch = Math.max(na, nb) - 2;
    long[] shape = new long[batch + 2];
    long[][] chunks = new long[batch + 2][];
    for (int o = 0; o < batch; o++) {
      long sa = o - (batch - (na - 2)) >= 0 ? a0.shape[o - (batch - (na - 2))] : 1;
      long sb = o - (batch - (nb - 2)) >= 0 ? b0.shape[o - (batch - (nb - 2))] : 1;
      if (sa != sb && sa != 1 && sb != 1) {
        throw new ArrayException("matmul: batch axes could not be broadcast together: "
            + Arrays.toString(a0.shape) + " @ " + Arrays.toString(b0.shape) + " (batch axis "
            + o + ": " + sa + " vs " + sb + "; lengths must match or be 1)");
      }
      shape[o] = sa == 1 ? sb : sa;
      List<long[]> cs = new ArrayList<>();
      for (Array x : List.of(a0, b0)) {
        int i = o - (batch - (x.ndim() - 2));
        if (i >= 0 && x.shape[i] == shape[o]) {
          cs.add(x.chunks[i]);
        }
      }
      chunks[o] = cs.isEmpty() ? new long[] {1} : Elementwise.refine(cs);
    }
    long[] common = Elementwise.refine(List.of(a0.chunks[na - 1], b0.chunks[nb - 2]));
    Array a = Rechunk.rechunk(a0, aligned(a0, shape, chunks, batch, na - 1, common)).astype(t);
    Array b = Rechunk.rechunk(b0, aligned(b0, shape, chunks, batch, nb - 2, common)).astype(t);
    shape[batch] = a.shape[na - 2];
    chunks[batch] = a.chunks[na - 2];
    shape[batch + 1] = b.shape[nb - 1];
    chunks[batch + 1] = b.chunks[nb - 1];
    int kBlocks = common.length;
    String name = Tokens.name("matmul", a, b);
    String partName = Tokens.name("matmul-partial", a, b);
    Map<Key, Task> parts = new LinkedHashMap<>();
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int groups = (kBlocks + SPLIT_EVERY - 1) / SPLIT_EVERY;
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      long[] bs = Layout.blockShape(chunks, idx);
      List<Key> groupKeys = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        List<Key> ka = new ArrayList<>();
        List<Key> kb = new ArrayList<>();
        for (int k = g * SPLIT_EVERY; k < Math.min(kBlocks, (g + 1) * SPLIT_EVERY); k++) {
          ka.add(a.blockKey(operandBlock(a, shape, idx, batch, idx[batch], k)));
          kb.add(b.blockKey(operandBlock(b, shape, idx, batch, k, idx[batch + 1])));
        }
        putGroup(tasks, parts, groupKeys, name, partName, idx, g, groups,
            Task.of(new BatchProducts(bs, t), ka, kb));
      }
      if (groups > 1) {
        tasks.put(Key.of(name, idx), sumTree(parts, partName, idx, groupKeys));
      }
    }
    return result(name, "matmul", tasks, parts, partName, shape, chunks, t, a, b);
  }

  /** The chunks an operand needs: the common batch and contracted chunks, its own elsewhere. */
  private static long[][] aligned(Array x, long[] shape, long[][] chunks, int batch,
      int contracted, long[] common) {
    long[][] want = Layout.copy(x.chunks);
    int shift = batch - (x.ndim() - 2);
    for (int i = 0; i < x.ndim() - 2; i++) {
      if (x.shape[i] == shape[i + shift]) {
        want[i] = chunks[i + shift];
      }
    }
    want[contracted] = common;
    return want;
  }

  /** The operand's block for output batch block {@code idx}: block 0 on broadcast axes. */
  private static int[] operandBlock(Array x, long[] shape, int[] idx, int batch, int row,
      int col) {
    int[] out = new int[x.ndim()];
    int shift = batch - (x.ndim() - 2);
    for (int i = 0; i < x.ndim() - 2; i++) {
      out[i] = x.shape[i] == shape[i + shift] ? idx[i + shift] : 0;
    }
    out[x.ndim() - 2] = row;
    out[x.ndim() - 1] = col;
    return out;
  }

  static List<Integer> free(int nd, int[] contracted) {
    List<Integer> out = new ArrayList<>();
    for (int d = 0; d < nd; d++) {
      final int dd = d;
      if (Arrays.stream(contracted).noneMatch(x -> x == dd)) {
        out.add(d);
      }
    }
    return out;
  }

  /** Sums the products of matching block pairs; GEMM with accumulation for matrices. */
  record Products(int[] ca, int[] cb, long[] shape, DType dtype, boolean matrix)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> as = (List<?>) args[0];
      List<?> bs = (List<?>) args[1];
      INDArray out = Memory.track(Nd.zeros(dtype, shape));
      if (Layout.size(shape) == 0) {
        return out;
      }
      for (int i = 0; i < as.size(); i++) {
        INDArray x = (INDArray) as.get(i);
        INDArray y = (INDArray) bs.get(i);
        if (x.length() == 0 || y.length() == 0) {
          continue;
        }
        if (matrix) {
          Nd4j.gemm(x, y, out, false, false, 1.0, 1.0);
        } else {
          out.addi(Nd.shaped(Nd4j.tensorMmul(x, y, new int[][] {ca, cb}), shape));
        }
      }
      return out;
    }
  }

  /**
   * Sums the batched matrix products of matching block pairs: each block is broadcast to the
   * output block's batch shape, then one matrix product per batch element.
   */
  record BatchProducts(long[] shape, DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> as = (List<?>) args[0];
      List<?> bs = (List<?>) args[1];
      int nd = shape.length;
      long m = shape[nd - 2];
      long n = shape[nd - 1];
      long batches = Layout.size(Arrays.copyOf(shape, nd - 2));
      if (Layout.size(shape) == 0) {
        return Nd.zeros(dtype, shape);
      }
      INDArray out = Memory.track(Nd.zeros(dtype, new long[] {batches, m, n}));
      for (int i = 0; i < as.size(); i++) {
        INDArray x = (INDArray) as.get(i);
        INDArray y = (INDArray) bs.get(i);
        long k = x.size(x.rank() - 1);
        if (k == 0) {
          continue;
        }
        INDArray x3 = batched(x, m, k, batches);
        INDArray y3 = batched(y, k, n, batches);
        for (long q = 0; q < batches; q++) {
          INDArray xq = Nd.shaped(x3.slice(q), new long[] {m, k});
          INDArray yq = Nd.shaped(y3.slice(q), new long[] {k, n});
          INDArray p = Nd.shaped(xq.mmul(yq), new long[] {m, n}).reshape('c', 1, m, n);
          Nd.view(out, new long[] {q, 0, 0}, new long[] {1, m, n}).addi(p);
        }
      }
      return out.reshape('c', shape);
    }

    /** A block broadcast to the batch shape, as (batches, rows, cols) in C order. */
    private INDArray batched(INDArray x, long rows, long cols, long batches) {
      long[] full = Arrays.copyOf(shape, shape.length);
      full[full.length - 2] = rows;
      full[full.length - 1] = cols;
      return Elementwise.broadcastTo(x, full).dup('c').reshape('c', batches, rows, cols);
    }
  }

  /** Adds partial results. */
  record AddAll() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> xs = (List<?>) args[0];
      INDArray acc = ((INDArray) xs.get(0)).dup('c');
      for (int i = 1; i < xs.size(); i++) {
        acc.addi((INDArray) xs.get(i));
      }
      return acc;
    }
  }
}
