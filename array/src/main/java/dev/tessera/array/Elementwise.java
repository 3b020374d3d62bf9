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
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise layers over broadcast, aligned operands: NumPy broadcasting (shapes aligned on
 * the right; an axis of length 1 stretches), and operands whose chunks differ along an axis
 * are rechunked to the common refinement of their chunks first.
 */
final class Elementwise {
  private Elementwise() {}

  static long[] broadcastShape(String what, List<Array> inputs) {
    int nd = 0;
    for (Array a : inputs) {
      nd = Math.max(nd, a.ndim());
    }
    long[] out = new long[nd];
    Arrays.fill(out, 1);
    for (Array a : inputs) {
      for (int i = 0; i < a.ndim(); i++) {
        int o = nd - a.ndim() + i;
        long s = a.shape[i];
        if (s == Layout.UNKNOWN) {
          throw new ArrayException(what + ": " + a + " has unknown chunk sizes (from boolean"
              + " indexing); call computeChunkSizes() first");
        }
        if (s != 1) {
          if (out[o] != 1 && out[o] != s) {
            StringBuilder shapes = new StringBuilder();
            for (Array b : inputs) {
              shapes.append(' ').append(Arrays.toString(b.shape));
            }
            throw new ArrayException(what + ": operands could not be broadcast together with"
                + " shapes" + shapes + " (axis " + o + " of the result: " + out[o] + " vs " + s
                + "; lengths must match or be 1)");
          }
          out[o] = s;
        }
      }
    }
    return out;
  }

  /** The union of breakpoints of several chunkings of one axis. */
  static long[] refine(List<long[]> chunkings) {
    TreeSet<Long> cuts = new TreeSet<>();
    long total = 0;
    for (long[] c : chunkings) {
      long off = 0;
      for (long x : c) {
        off += x;
        cuts.add(off);
      }
      total = off;
    }
    if (total == 0) {
      return new long[] {0};
    }
    cuts.remove(0L);
    long[] out = new long[cuts.size()];
    long prev = 0;
    int i = 0;
    for (long c : cuts) {
      out[i++] = c - prev;
      prev = c;
    }
    return out;
  }

  /** Applies {@code op} block by block to broadcast, aligned inputs. */
  static Array map(String prefix, BlockOp op, DType outType, List<Array> inputs) {
    long[] shape = broadcastShape(prefix, inputs);
    int nd = shape.length;
    long[][] outChunks = new long[nd][];
    for (int o = 0; o < nd; o++) {
      List<long[]> cs = new ArrayList<>();
      for (Array a : inputs) {
        int i = o - (nd - a.ndim());
        if (i >= 0 && a.shape[i] == shape[o]) {
          cs.add(a.chunks[i]);
        }
      }
      outChunks[o] = cs.isEmpty() ? new long[] {1} : refine(cs);
    }
    // rechunk any operand whose chunks are not the common ones
    List<Array> aligned = new ArrayList<>();
    for (Array a : inputs) {
      long[][] want = new long[a.ndim()][];
      boolean same = true;
      for (int i = 0; i < a.ndim(); i++) {
        int o = i + nd - a.ndim();
        want[i] = a.shape[i] == shape[o] ? outChunks[o] : a.chunks[i];
        same &= Arrays.equals(want[i], a.chunks[i]);
      }
      aligned.add(same ? a : Rechunk.rechunk(a, want));
    }
    String name = Tokens.name(prefix, op, outType, aligned);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(outChunks))) {
      Object[] keys = new Object[aligned.size()];
      for (int k = 0; k < keys.length; k++) {
        Array a = aligned.get(k);
        int[] ai = new int[a.ndim()];
        for (int i = 0; i < ai.length; i++) {
          int o = i + nd - a.ndim();
          ai[i] = a.shape[i] == shape[o] ? idx[o] : 0;
        }
        keys[k] = a.blockKey(ai);
      }
      long[] bs = Layout.blockShape(outChunks, idx);
      tasks.put(Key.of(name, idx), Task.of(new Apply(op, bs), keys));
    }
    return Array.of(name, prefix, tasks, shape, outChunks, outType, aligned);
  }

  /** Broadcasts a block to the output block's shape (NumPy rules). */
  static INDArray broadcastTo(INDArray x, long[] shape) {
    if (Nd.sameShape(x, shape)) {
      return x;
    }
    long[] xs = x.shape();
    if (xs.length < shape.length) {
      long[] padded = new long[shape.length];
      Arrays.fill(padded, 1);
      System.arraycopy(xs, 0, padded, shape.length - xs.length, xs.length);
      x = x.length() == 0 ? Nd.zeros(DType.of(x.dataType()), padded) : x.reshape('c', padded);
    }
    if (Nd.sameShape(x, shape)) {
      return x;
    }
    if (Layout.size(shape) == 0) {
      return Nd.zeros(DType.of(x.dataType()), shape);
    }
    return x.broadcast(shape);
  }

  /** Runs a {@link BlockOp} on blocks broadcast to one shape. */
  record Apply(BlockOp op, long[] shape) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      INDArray[] blocks = new INDArray[args.length];
      for (int i = 0; i < args.length; i++) {
        blocks[i] = broadcastTo((INDArray) args[i], shape);
      }
      if (Layout.size(shape) == 0 && !(op instanceof Ops.User)) {
        INDArray[] probes = new INDArray[blocks.length];
        for (int i = 0; i < probes.length; i++) {
          probes[i] = Nd.zeros(DType.of(blocks[i].dataType()), new long[] {1});
        }
        // ND4J ops on empty arrays are unreliable: an empty block of the op's result type
        return Nd.zeros(DType.of(op.apply(probes).dataType()), shape);
      }
      INDArray out = Memory.track(op.apply(blocks));
      if (!Nd.sameShape(out, shape)) {
        throw new IllegalStateException("block operation " + op + " returned shape "
            + Arrays.toString(out.shape()) + ", expected " + Arrays.toString(shape));
      }
      return out;
    }
  }

  /** Checks a delayed block's shape and type. */
  record CheckShape(long[] shape, DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      if (x == null || !Nd.sameShape(x, shape)) {
        throw new IllegalStateException("delayed block has shape "
            + (x == null ? "null" : Arrays.toString(x.shape())) + " but the array was declared"
            + " with shape " + Arrays.toString(shape));
      }
      return Nd.cast(x, dtype);
    }
  }
}
