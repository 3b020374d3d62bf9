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
 * Dask's general {@code blockwise} with index letters: {@code blockwise(fn, "ik", a, "ij", b,
 * "jk")} calls {@code fn} once per output block (i, k) with a's blocks (i, *) and b's blocks
 * (*, k), where letters that are not in the output (here j) are contracted: the function
 * receives the blocks along them concatenated into one array. Axes with the same letter must
 * have the same length; their chunks are unified first.
 */
final class Blockwise {
  private Blockwise() {}

  static Array blockwise(BlockFunction fn, String out, DType dtype, List<Array> arrays,
      List<String> indices) {
    if (arrays.size() != indices.size() || arrays.isEmpty()) {
      throw new ArrayException("blockwise: give pairs of (array, index string)");
    }
    Map<Character, Long> lengths = new LinkedHashMap<>();
    Map<Character, List<long[]>> chunkings = new LinkedHashMap<>();
    for (int k = 0; k < arrays.size(); k++) {
      Array a = arrays.get(k);
      String ix = indices.get(k);
      if (ix.length() != a.ndim()) {
        throw new ArrayException("blockwise: index '" + ix + "' has " + ix.length()
            + " letters but array " + (k + 1) + " has " + a.ndim() + " dimensions");
      }
      for (int d = 0; d < ix.length(); d++) {
        char c = ix.charAt(d);
        Long prev = lengths.putIfAbsent(c, a.shape[d]);
        if (prev != null && prev != a.shape[d]) {
          throw new ArrayException("blockwise: index '" + c + "' has length " + prev
              + " in one array and " + a.shape[d] + " in another");
        }
        chunkings.computeIfAbsent(c, x -> new ArrayList<>()).add(a.chunks[d]);
      }
    }
    for (char c : out.toCharArray()) {
      if (!lengths.containsKey(c)) {
        throw new ArrayException("blockwise: output index '" + c + "' appears in no input");
      }
    }
    Map<Character, long[]> common = new LinkedHashMap<>();
    for (var e : chunkings.entrySet()) {
      common.put(e.getKey(), Elementwise.refine(e.getValue()));
    }
    List<Array> aligned = new ArrayList<>();
    for (int k = 0; k < arrays.size(); k++) {
      Array a = arrays.get(k);
      long[][] want = new long[a.ndim()][];
      for (int d = 0; d < a.ndim(); d++) {
        want[d] = common.get(indices.get(k).charAt(d));
      }
      aligned.add(Rechunk.rechunk(a, want));
    }
    List<Character> contracted = new ArrayList<>();
    for (char c : lengths.keySet()) {
      if (out.indexOf(c) < 0) {
        contracted.add(c);
      }
    }
    long[] shape = new long[out.length()];
    long[][] chunks = new long[out.length()][];
    for (int d = 0; d < out.length(); d++) {
      shape[d] = lengths.get(out.charAt(d));
      chunks[d] = common.get(out.charAt(d));
    }
    int[] cblocks = new int[contracted.size()];
    for (int i = 0; i < cblocks.length; i++) {
      cblocks[i] = common.get(contracted.get(i)).length;
    }
    String name = Tokens.name("blockwise", fn, out, dtype, aligned, indices);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      List<Object> args = new ArrayList<>();
      List<int[]> grids = new ArrayList<>();
      for (int k = 0; k < aligned.size(); k++) {
        Array a = aligned.get(k);
        String ix = indices.get(k);
        // the grid of this input's blocks over its contracted letters
        int[] grid = new int[a.ndim()];
        for (int d = 0; d < a.ndim(); d++) {
          int ci = contracted.indexOf(ix.charAt(d));
          grid[d] = ci >= 0 ? cblocks[ci] : 1;
        }
        List<Object> keys = new ArrayList<>();
        for (int[] g : Layout.blockIndices(grid)) {
          int[] src = new int[a.ndim()];
          for (int d = 0; d < a.ndim(); d++) {
            int o = out.indexOf(ix.charAt(d));
            src[d] = o >= 0 ? idx[o] : g[d];
          }
          keys.add(a.blockKey(src));
        }
        args.add(keys);
        grids.add(grid);
      }
      tasks.put(Key.of(name, idx), Task.of(new Call(fn, grids.toArray(new int[0][]),
          Layout.blockShape(chunks, idx), dtype), args.toArray()));
    }
    return Array.of(name, "blockwise", tasks, shape, chunks, dtype, aligned);
  }

  /** Concatenates each input's blocks over its grid, then calls the function. */
  record Call(BlockFunction fn, int[][] grids, long[] shape, DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      INDArray[] blocks = new INDArray[args.length];
      for (int k = 0; k < args.length; k++) {
        List<?> list = (List<?>) args[k];
        blocks[k] = list.size() == 1 ? (INDArray) list.get(0) : join(list, grids[k]);
      }
      INDArray r = fn.apply(blocks);
      if (r == null || !Nd.sameShape(r, shape)) {
        throw new IllegalStateException("blockwise function returned "
            + (r == null ? "null" : Arrays.toString(r.shape())) + ", expected "
            + Arrays.toString(shape));
      }
      return Memory.track(Nd.cast(r, dtype));
    }

    /** Joins blocks laid out in C order on a grid. */
    static INDArray join(List<?> blocks, int[] grid) {
      long[][] ch = new long[grid.length][];
      List<int[]> order = Layout.blockIndices(grid);
      for (int d = 0; d < grid.length; d++) {
        ch[d] = new long[grid[d]];
        for (int i = 0; i < order.size(); i++) {
          ch[d][order.get(i)[d]] = ((INDArray) blocks.get(i)).shape()[d];
        }
      }
      long[] shape = new long[grid.length];
      for (int d = 0; d < grid.length; d++) {
        shape[d] = Arrays.stream(ch[d]).sum();
      }
      INDArray first = (INDArray) blocks.get(0);
      INDArray out = Nd4j.create(first.dataType(), shape);
      for (int i = 0; i < order.size(); i++) {
        Nd.put(out, Layout.blockOffset(ch, order.get(i)), (INDArray) blocks.get(i));
      }
      return out;
    }
  }
}
