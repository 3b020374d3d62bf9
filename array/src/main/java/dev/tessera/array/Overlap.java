package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dask's {@code map_overlap}: every block is extended by {@code depth[d]} ghost cells on each
 * side of axis {@code d}, read from its neighbours (or made by the {@link Boundary} beyond the
 * array's edges), the function runs on the extended block, and the ghost cells are trimmed
 * off its result. One task per block, which reads exactly the blocks that hold its ghost cells
 * (the neighbours, or more when a neighbour is thinner than the depth; for a periodic
 * boundary the blocks at the far end), so memory stays about one extended block per task.
 *
 * <p>The extended block is built axis by axis from segments: runs of consecutive source
 * coordinates inside one source block, single mirrored elements for {@code reflect}, and
 * constant stretches; each combination of segments is one copy of a sub-block.
 */
final class Overlap {
  private Overlap() {}

  /** A stretch of the extended block along one axis: its source, or -1 for the constant. */
  record Segment(int at, int length, int block, long from) implements java.io.Serializable {}

  static Array mapOverlap(Array a, BlockFunction fn, int[] depthIn, Boundary boundary,
      DType dtype) {
    if (!Layout.known(a.chunks)) {
      throw new ArrayException("mapOverlap: " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    int nd = a.ndim();
    int[] depth = depthIn.length == 1 && nd > 1 ? filled(nd, depthIn[0]) : depthIn.clone();
    if (depth.length != nd) {
      throw new ArrayException("mapOverlap: " + depth.length + " depths for an array of " + nd
          + " dimensions; give one depth per axis, or one for all");
    }
    for (int d = 0; d < nd; d++) {
      if (depth[d] < 0) {
        throw new ArrayException("mapOverlap: depth " + depth[d] + " of axis " + d
            + " is negative");
      }
      boolean wraps = boundary.kind == Boundary.Kind.REFLECT
          || boundary.kind == Boundary.Kind.PERIODIC;
      if (wraps && depth[d] > a.shape[d] && a.size() > 0) {
        throw new ArrayException("mapOverlap: depth " + depth[d] + " of axis " + d
            + " exceeds its length " + a.shape[d] + ", which a " + boundary + " boundary"
            + " cannot fill; use a smaller depth or a constant boundary");
      }
    }
    String name = dev.tessera.graph.core.Tokens.name("map-overlap", a, fn, depth, boundary, dtype);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    long[][] offsets = new long[nd][];
    for (int d = 0; d < nd; d++) {
      offsets[d] = Layout.offsets(a.chunks[d]);
    }
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      List<List<Segment>> segs = new ArrayList<>();
      long[] ext = new long[nd];
      long[] trimLo = new long[nd];
      long[] bs = Layout.blockShape(a.chunks, idx);
      for (int d = 0; d < nd; d++) {
        long n = a.shape[d];
        long start = offsets[d][idx[d]];
        long end = start + bs[d];
        long lo = start - depth[d];
        long hi = end + depth[d];
        if (boundary.kind == Boundary.Kind.NONE || bs[d] == 0) {
          lo = Math.max(0, lo);
          hi = Math.min(n, hi);
        }
        if (bs[d] == 0) {
          lo = start;   // an empty block stays empty: its function sees no ghost cells
          hi = start;
        }
        ext[d] = hi - lo;
        trimLo[d] = start - lo;
        segs.add(segments(lo, hi, n, offsets[d], boundary));
      }
      // the source blocks, each once, in a fixed order
      List<int[]> sources = new ArrayList<>();
      List<Key> keys = new ArrayList<>();
      List<TreeSet<Integer>> perAxis = new ArrayList<>();
      for (int d = 0; d < nd; d++) {
        TreeSet<Integer> s = new TreeSet<>();
        for (Segment g : segs.get(d)) {
          if (g.block() >= 0) {
            s.add(g.block());
          }
        }
        perAxis.add(s);
      }
      int[][] axisBlocks = new int[nd][];
      int[] counts = new int[nd];
      for (int d = 0; d < nd; d++) {
        axisBlocks[d] = perAxis.get(d).stream().mapToInt(Integer::intValue).toArray();
        counts[d] = axisBlocks[d].length;
      }
      for (int[] c : Layout.blockIndices(counts)) {
        int[] src = new int[nd];
        for (int d = 0; d < nd; d++) {
          src[d] = axisBlocks[d][c[d]];
        }
        sources.add(src);
        keys.add(a.blockKey(src));
      }
      tasks.put(Key.of(name, idx), Task.of(new Extend(fn, segs, sources, ext, trimLo, bs,
          boundary.value, a.dtype, dtype), keys));
    }
    return Array.of(name, "map-overlap", tasks, a.shape, a.chunks, dtype, List.of(a));
  }

  static int[] filled(int n, int v) {
    int[] o = new int[n];
    Arrays.fill(o, v);
    return o;
  }

  /** The segments of extended coordinates {@code [lo, hi)} along one axis of length n. */
  static List<Segment> segments(long lo, long hi, long n, long[] offsets, Boundary b) {
    List<Segment> out = new ArrayList<>();
    long g = lo;
    while (g < hi) {
      int at = (int) (g - lo);
      long s = b.source(g, n);
      if (s < 0) {
        long end = g;
        while (end < hi && b.source(end, n) < 0) {
          end++;
        }
        out.add(new Segment(at, (int) (end - g), -1, -1));
        g = end;
        continue;
      }
      int blk = Indexing.blockOf(offsets, s);
      long blockEnd = offsets[blk + 1];
      // extend the run while the sources stay consecutive and inside the block
      long len = 1;
      while (g + len < hi && b.source(g + len, n) == s + len && s + len < blockEnd) {
        len++;
      }
      out.add(new Segment(at, (int) len, blk, s - offsets[blk]));
      g += len;
    }
    return out;
  }

  /** Builds the extended block, runs the function, trims the ghost cells. */
  record Extend(BlockFunction fn, List<List<Segment>> segs, List<int[]> sources, long[] ext,
      long[] trimLo, long[] shape, double constant, DType in, DType out)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      List<?> blocks = (List<?>) args[0];
      int nd = ext.length;
      INDArray x = Nd.zeros(in, ext);
      if (Layout.size(ext) > 0 && constant != 0) {
        x.assign(constant);
      }
      int[] counts = new int[nd];
      for (int d = 0; d < nd; d++) {
        counts[d] = segs.get(d).size();
      }
      if (Layout.size(ext) > 0) {
        for (int[] c : Layout.blockIndices(counts)) {
          int[] src = new int[nd];
          long[] to = new long[nd];
          long[] from = new long[nd];
          long[] len = new long[nd];
          boolean constantPart = false;
          for (int d = 0; d < nd; d++) {
            Segment g = segs.get(d).get(c[d]);
            constantPart |= g.block() < 0;
            src[d] = g.block();
            to[d] = g.at();
            from[d] = g.from();
            len[d] = g.length();
          }
          if (constantPart) {
            continue;   // already filled
          }
          INDArray b = (INDArray) blocks.get(indexOf(src));
          Nd.view(x, to, len).assign(Nd.view(b, from, len));
        }
      }
      INDArray y = fn.apply(x);
      if (y == null || !Nd.sameShape(y, ext)) {
        throw new IllegalStateException("mapOverlap: the function returned shape "
            + (y == null ? "null" : Arrays.toString(y.shape())) + " for an extended block of"
            + " shape " + Arrays.toString(ext) + "; it must keep the shape");
      }
      INDArray r = Nd.view(y, trimLo, shape);
      r = r == y ? r : r.dup('c');
      return Memory.track(Nd.cast(r, out));
    }

    private int indexOf(int[] src) {
      for (int i = 0; i < sources.size(); i++) {
        if (Arrays.equals(sources.get(i), src)) {
          return i;
        }
      }
      throw new IllegalStateException("no source block " + Arrays.toString(src));
    }
  }
}
