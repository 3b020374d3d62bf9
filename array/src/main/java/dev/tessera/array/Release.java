package dev.tessera.array;

import dev.tessera.graph.core.GraphIndex;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import java.util.Arrays;
import java.util.Collection;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees dead blocks at once instead of at the next garbage collection. ND4J returns a block's
 * native memory only when the Java collector finds it unreachable, so each new block otherwise
 * comes from fresh pages (measured: allocating a 32 MB block costs ~1.5 ms when memory is
 * reused, several times more on fresh pages). This pass, run by {@link Array#optimize} on the
 * whole graph, finds blocks that are surely private to one consumer: made fresh by a block
 * function that always allocates (random, full, elementwise operators, rechunk copies,
 * products), not an output, and needed by exactly one task (or, when generators are inlined,
 * by each user separately). That consumer then closes the block after use, unless its own
 * result shares the block's memory (a view or the block itself).
 */
final class Release {
  private Release() {}

  /** Whether a task function's result is always a newly allocated array of its own. */
  static boolean fresh(TaskFunction f) {
    if (f instanceof Creation.RandomBlock || f instanceof Creation.Full
        || f instanceof Rechunk.CopyPieces || f instanceof Contraction.Products) {
      return true;
    }
    if (f instanceof Elementwise.Apply a) {
      BlockOp op = a.op();
      return op instanceof Ops.Cast2 || op instanceof Ops.WithScalar
          || op instanceof Ops.CastUnary || op instanceof Ops.Clip || op instanceof Ops.Where;
    }
    return false;
  }

  /** Whether a consumer may close its inputs after use (it reads them, keeps no reference). */
  static boolean consumer(TaskFunction f) {
    return f instanceof Elementwise.Apply || f instanceof Reductions.Chunk
        || f instanceof Fusion.SumOfMap;
  }

  static TaskGraph apply(TaskGraph g, Collection<Key> keep, boolean generatorsInlined) {
    GraphIndex idx = g.index();
    boolean[] kept = new boolean[idx.size()];
    for (Key k : keep) {
      int p = idx.position(k);
      if (p >= 0) {
        kept[p] = true;
      }
    }
    Task[] out = new Task[idx.size()];
    int[] close = new int[8];
    for (int i = 0; i < idx.size(); i++) {
      Task t = idx.task(i);
      if (!consumer(t.function())) {
        continue;
      }
      int n = 0;
      long seen = 0;   // dependencies already met as an earlier argument (first 64)
      for (int a = 0; a < t.argumentCount(); a++) {
        int j = t.dependencyOfArgument(a);
        if (j < 0) {
          continue;
        }
        // an input given twice is closed at most once, after its first appearance
        boolean first = j >= 64 ? firstUse(t, a, j) : (seen & (1L << j)) == 0;
        if (j < 64) {
          seen |= 1L << j;
        }
        int d = idx.dependency(i, j);   // the argument's position in the index
        Task src = idx.task(d);
        boolean inlinedGenerator = generatorsInlined && src.function() instanceof Generator
            && src.dependencyCount() == 0;
        if (first && !kept[d] && fresh(src.function())
            && (idx.dependentCount(d) == 1 || inlinedGenerator)) {
          if (n == close.length) {
            close = Arrays.copyOf(close, 2 * n);
          }
          close[n++] = a;
        }
      }
      if (n > 0) {
        out[i] = t.withFunction(new ClosingInputs(t.function(), Arrays.copyOf(close, n)));
      }
    }
    // the wrapped tasks keep their keys, layers and dependencies
    return g.replace(out);
  }

  /** Whether argument {@code a} is the first that names dependency {@code j}. */
  private static boolean firstUse(Task t, int a, int j) {
    for (int b = 0; b < a; b++) {
      if (t.dependencyOfArgument(b) == j) {
        return false;
      }
    }
    return true;
  }

  /** Runs a consumer, then closes the given (private) inputs it no longer needs. */
  record ClosingInputs(TaskFunction inner, int[] positions) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Object result = inner.apply(args);
      for (int p : positions) {
        if (args[p] instanceof INDArray x && !x.isView() && x.closeable()
            && !sharesMemory(result, x)) {
          Pool.give(x);
        }
      }
      return result;
    }
  }

  static boolean sharesMemory(Object result, INDArray x) {
    if (result instanceof INDArray r) {
      return overlaps(r, x);
    }
    if (result instanceof Reductions.Part p) {
      return (p.value() != null && overlaps(p.value(), x))
          || (p.aux() != null && overlaps(p.aux(), x));
    }
    return result != null;   // unknown result type: keep the input
  }

  static boolean overlaps(INDArray r, INDArray x) {
    if (r == x) {
      return true;
    }
    DataBuffer xb = x.data();
    DataBuffer rb = r.data();
    if (rb == xb || rb.originalDataBuffer() == xb || rb.underlyingDataBuffer() == xb) {
      return true;
    }
    long xa = xb.address();
    long xe = xa + xb.length() * xb.getElementSize();
    long ra = rb.address();
    long re = ra + rb.length() * rb.getElementSize();
    return ra < xe && xa < re;
  }
}
