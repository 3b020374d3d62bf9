package dev.tessera.array;

import dev.tessera.graph.core.GraphIndex;
import dev.tessera.graph.core.Graphs;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fuses a blockwise elementwise operation into the reduction that is its only consumer, in the
 * manner of numexpr: {@code (x + y).sum()} then reads each pair of blocks once and never writes
 * the block {@code x + y}, which halves the memory traffic of the pair (measured on an Intel
 * Xeon in docs/native-libraries.md). Applies to any arithmetic operator (+, -, *, /) of two
 * float64 or float32 arrays, with any chunking and any block layout (a transposed operand
 * included), feeding a sum or a mean over every axis of a matrix; whatever else the chunk step
 * meets at run time, it computes unfused, exactly as before. An elementwise result that
 * another task needs too, or that is an output, is never fused. The system property
 * {@code tessera.array.fuse=false} turns fusion off.
 */
final class Fusion {
  private Fusion() {}

  /** The system property that turns fusion off when {@code false} (to compare, or debug). */
  static final String PROPERTY = "tessera.array.fuse";

  static TaskGraph apply(TaskGraph g, Collection<Key> keep) {
    if ("false".equals(System.getProperty(PROPERTY))) {
      return g;
    }
    GraphIndex idx = g.index();
    boolean[] kept = new boolean[idx.size()];
    for (Key k : keep) {
      int p = idx.position(k);
      if (p >= 0) {
        kept[p] = true;
      }
    }
    Task[] out = new Task[idx.size()];
    boolean any = false;
    for (int i = 0; i < idx.size(); i++) {
      Task t = idx.task(i);
      if (!(t.function() instanceof Reductions.Chunk c) || !fusable(c)
          || t.dependencyCount() != 1 || t.args().size() != 1) {
        continue;
      }
      int d = idx.dependency(i, 0);
      Task p = idx.task(d);
      if (kept[d] || idx.dependentCount(d) != 1 || !t.args().get(0).equals(idx.key(d))
          || !(p.function() instanceof Elementwise.Apply map)
          || !(map.op() instanceof Ops.Cast2 c2) || !Kernels.arithmetic(c2.op())
          || c2.operandType() != c.work() || p.args().size() != 2) {
        continue;
      }
      out[i] = Task.of(new SumOfMap(map, c), p.args().toArray());
      any = true;
    }
    // the fused maps have no user left: culled
    return any ? Graphs.cull(g.replace(out), keep) : g;
  }

  /** A sum or mean over every axis of a float matrix: what {@link SumOfMap} computes. */
  private static boolean fusable(Reductions.Chunk c) {
    return (c.kind() == Reductions.Kind.SUM || c.kind() == Reductions.Kind.MEAN)
        && (c.work() == DType.FLOAT64 || c.work() == DType.FLOAT32)
        && c.arrayShape().length == 2 && c.axes().length == 2;
  }

  /**
   * The chunk step of a sum (or mean) over every axis applied to an elementwise operation's
   * block, computed from the operation's input blocks by {@link Kernels#sumOfBinary}; where
   * the kernel does not apply, the operation then the chunk step, as unfused.
   */
  record SumOfMap(Elementwise.Apply map, Reductions.Chunk chunk) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Ops.Cast2 c2 = (Ops.Cast2) map.op();
      long[] shape = map.shape();
      if (Layout.size(shape) > 0 && args[0] instanceof INDArray x
          && args[1] instanceof INDArray y) {
        INDArray bx = Nd.cast(Elementwise.broadcastTo(x, shape), c2.operandType());
        INDArray by = Nd.cast(Elementwise.broadcastTo(y, shape), c2.operandType());
        Double s = Kernels.sumOfBinary(c2.op(), bx, by);
        if (s != null) {
          INDArray v = Nd4j.createFromArray(new double[] {s})
              .reshape('c', Reductions.partShape(shape, chunk.axes()));
          return new Reductions.Part(Nd.cast(v, chunk.work()), null, Layout.size(shape));
        }
      }
      Object block = map.apply(args);
      Object part = chunk.apply(new Object[] {block});
      // the block was private to this step (the map had no other user): freed at once
      if (block instanceof INDArray b && !b.isView() && b.closeable()
          && !Release.sharesMemory(part, b) && !isArgument(b, args)) {
        Pool.give(b);
      }
      return part;
    }

    private static boolean isArgument(INDArray b, Object[] args) {
      for (Object a : args) {
        if (a == b) {
          return true;
        }
      }
      return false;
    }
  }
}
