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

/**
 * Rechunking. Each new block is copied together from the pieces of the old blocks it overlaps.
 * When that would make one task read much more than a block's worth of data (an all-to-all
 * change such as rows to columns, where each new block overlaps every old one), the rechunk
 * goes through an intermediate chunking, as Dask plans it: first every old block is split into
 * the pieces of the common refinement of old and new chunks (each task reads one old block),
 * then the pieces are merged into new blocks (each task reads only its own region). No task
 * then needs more than one old or one new block's worth of input. Unlike Dask's planner this
 * uses one intermediate stage only, and skips it when the refinement would have more than
 * {@link #MAX_INTERMEDIATE_BLOCKS} blocks.
 */
final class Rechunk {
  private Rechunk() {}

  /** Above this many intermediate blocks the rechunk is done directly. */
  static final long MAX_INTERMEDIATE_BLOCKS = 100_000;

  /** One piece of an old block along one axis: which block, where in it, where in the new. */
  record Piece(int block, long from, long length, long to) {}

  static Array rechunk(Array a, long[][] want) {
    if (!Layout.known(a.chunks)) {
      throw new ArrayException("rechunk: " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    long[][] target = Layout.validate(a.shape, want);
    if (Arrays.deepEquals(target, a.chunks)) {
      return a;
    }
    if (needsIntermediate(a.chunks, target, a.dtype)) {
      long[][] mid = new long[target.length][];
      for (int d = 0; d < mid.length; d++) {
        mid[d] = Elementwise.refine(List.of(a.chunks[d], target[d]));
      }
      // a refinement into very many tiny blocks would cost more in tasks than it saves
      long midBlocks = 1;
      for (long[] m : mid) {
        midBlocks *= m.length;
      }
      if (midBlocks <= MAX_INTERMEDIATE_BLOCKS && !Arrays.deepEquals(mid, a.chunks)
          && !Arrays.deepEquals(mid, target)) {
        return direct(direct(a, mid, "rechunk-split"), target, "rechunk-merge");
      }
    }
    return direct(a, target, "rechunk");
  }

  /** Whether some new block would read more than twice the larger of an old or new block. */
  static boolean needsIntermediate(long[][] from, long[][] to, DType dtype) {
    double worstRead = 1;
    long oldMax = 1;
    long newMax = 1;
    for (int d = 0; d < from.length; d++) {
      List<List<Piece>> plan = plan(from[d], to[d]);
      long readMax = 0;
      for (List<Piece> ps : plan) {
        long read = 0;
        for (Piece p : ps) {
          read += from[d][p.block()];
        }
        readMax = Math.max(readMax, read);
      }
      worstRead *= Math.max(1, readMax);
      oldMax *= Math.max(1, Arrays.stream(from[d]).max().orElse(1));
      newMax *= Math.max(1, Arrays.stream(to[d]).max().orElse(1));
    }
    return worstRead > 2.0 * Math.max(oldMax, newMax);
  }

  /** For each new chunk along one axis, the pieces of old chunks it is made of. */
  static List<List<Piece>> plan(long[] from, long[] to) {
    List<List<Piece>> out = new ArrayList<>();
    long[] fo = Layout.offsets(from);
    int i = 0;
    long start = 0;
    for (long size : to) {
      List<Piece> ps = new ArrayList<>();
      long end = start + size;
      while (i < from.length && fo[i + 1] <= start && !(from[i] == 0 && fo[i] == start
          && size == 0)) {
        i++;
      }
      if (size == 0) {
        ps.add(new Piece(Math.min(i, from.length - 1), 0, 0, 0));
      }
      for (int j = i; j < from.length && fo[j] < end; j++) {
        long lo = Math.max(start, fo[j]);
        long hi = Math.min(end, fo[j + 1]);
        if (hi > lo) {
          ps.add(new Piece(j, lo - fo[j], hi - lo, lo - start));
        }
      }
      out.add(ps);
      start = end;
    }
    return out;
  }

  static Array direct(Array a, long[][] target, String prefix) {
    int nd = a.ndim();
    List<List<List<Piece>>> plans = new ArrayList<>();
    for (int d = 0; d < nd; d++) {
      plans.add(plan(a.chunks[d], target[d]));
    }
    String name = Tokens.name(prefix, a, target);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(target))) {
      List<List<Piece>> axes = new ArrayList<>();
      for (int d = 0; d < nd; d++) {
        axes.add(plans.get(d).get(idx[d]));
      }
      tasks.put(Key.of(name, idx), task(a, axes, Layout.blockShape(target, idx)));
    }
    return Array.of(name, prefix, tasks, a.shape, target, a.dtype, List.of(a));
  }

  /** The task that copies the pieces (a cartesian product over axes) into one block. */
  static Task task(Array a, List<List<Piece>> axes, long[] shape) {
    int nd = axes.size();
    int[] counts = new int[nd];
    for (int d = 0; d < nd; d++) {
      counts[d] = axes.get(d).size();
    }
    List<Object> keys = new ArrayList<>();
    List<long[]> from = new ArrayList<>();
    List<long[]> to = new ArrayList<>();
    List<long[]> sizes = new ArrayList<>();
    for (int[] c : Layout.blockIndices(counts)) {
      int[] block = new int[nd];
      long[] f = new long[nd];
      long[] t = new long[nd];
      long[] s = new long[nd];
      for (int d = 0; d < nd; d++) {
        Piece p = axes.get(d).get(c[d]);
        block[d] = p.block();
        f[d] = p.from();
        t[d] = p.to();
        s[d] = p.length();
      }
      keys.add(a.blockKey(block));
      from.add(f);
      to.add(t);
      sizes.add(s);
    }
    if (keys.size() == 1 && Arrays.equals(sizes.get(0), shape)
        && Arrays.equals(from.get(0), new long[nd])
        && Arrays.equals(sizes.get(0), Layout.blockShape(a.chunks, ((Key) keys.get(0))
            .indices()))) {
      return Task.alias((Key) keys.get(0));
    }
    return Task.of(new CopyPieces(shape, a.dtype, from.toArray(new long[0][]),
        to.toArray(new long[0][]), sizes.toArray(new long[0][])), keys);
  }

  /** Copies regions of the input blocks into a new block. */
  record CopyPieces(long[] shape, DType dtype, long[][] from, long[][] to, long[][] sizes)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> blocks = (List<?>) args[0];
      if (blocks.size() == 1 && Arrays.equals(sizes[0], shape)) {
        return Memory.track(Nd.view((INDArray) blocks.get(0), from[0], sizes[0]).dup('c'));
      }
      // the pieces tile the block exactly, so it needs no zeroing
      INDArray out = Layout.size(shape) == 0 ? Nd.zeros(dtype, shape) : Pool.take(dtype, shape);
      for (int i = 0; i < blocks.size(); i++) {
        if (Layout.size(sizes[i]) == 0) {
          continue;
        }
        Nd.put(out, to[i], Nd.view((INDArray) blocks.get(i), from[i], sizes[i]));
      }
      return out;
    }
  }
}
