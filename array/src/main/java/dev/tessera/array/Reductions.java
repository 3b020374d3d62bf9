package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import dev.tessera.graph.core.TreeReduction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Tree reductions, as chunk / combine / aggregate steps like Dask's {@code reduction}:
 * <ul>
 *   <li><b>chunk</b> reduces each block over the reduced axes, keeping them with length 1,
 *       into a partial {@link Part};</li>
 *   <li><b>combine</b> merges up to {@code splitEvery} partials that share their kept-axis
 *       position, elementwise, level after level, so no task receives all blocks;</li>
 *   <li><b>aggregate</b> merges the last group and finalizes (mean = sum / count, ...) into
 *       blocks of the result's own shape.</li>
 * </ul>
 * Layers are named as every reduction's are ({@link TreeReduction}): {@code op-chunk},
 * {@code op-combine}, and the result {@code op} ({@code sum-<token>}, labelled {@code sum}).
 * The combine step is associative and commutative (up to rounding), so any grouping gives the
 * sequential result. Variance combines (count, mean, M2) with Chan's parallel formula, never
 * sums of squares, so it stays accurate when the mean is large.
 */
final class Reductions {
  private Reductions() {}

  /** Dask's default total fan-in per combine task. */
  static final int DEFAULT_SPLIT_EVERY = 16;

  enum Kind {
    SUM, PROD, MIN, MAX, ANY, ALL, MEAN, VAR, STD, ARGMIN, ARGMAX;

    boolean moments() {
      return this == MEAN || this == VAR || this == STD;
    }

    boolean arg() {
      return this == ARGMIN || this == ARGMAX;
    }

    boolean needsElements() {
      return this == MIN || this == MAX || arg();
    }

    DType workType(DType in) {
      switch (this) {
        case SUM: case PROD: return in.isFloat() ? in : DType.INT64;
        case ANY: case ALL: return DType.BOOL;
        case MEAN: case VAR: case STD: return in.floatResult();
        default: return in == DType.BOOL ? DType.INT32 : in;
      }
    }

    DType resultType(DType in) {
      if (arg()) {
        return DType.INT64;
      }
      return this == MIN || this == MAX ? in : workType(in);
    }
  }

  /**
   * A partial result: for most kinds just {@code value}; for mean the sum and count; for var
   * and std the mean, M2 (in {@code aux}) and count; for arg-reductions the best value and its
   * global index (in {@code aux}).
   */
  record Part(INDArray value, INDArray aux, double count) implements Serializable {}

  static Array reduce(Array a, Kind kind, int[] axesIn, boolean keepdims, int splitEvery,
      int ddof) {
    String op = kind.name().toLowerCase(Locale.ROOT);
    if (!Layout.known(a.chunks)) {
      throw new ArrayException(op + ": " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    int nd = a.ndim();
    int[] axes = Layout.axes(axesIn, nd, op);
    boolean flatArg = kind.arg() && axes.length != 1;
    if (kind.arg() && axesIn != null && axes.length != 1) {
      throw new ArrayException(op + " takes one axis or none (flattened), got "
          + Arrays.toString(axesIn));
    }
    boolean[] reduced = new boolean[nd];
    for (int x : axes) {
      reduced[x] = true;
      if (kind.needsElements() && a.shape[x] == 0) {
        throw new ArrayException(op + ": zero-size array along axis " + x + " of " + a
            + "; the reduction has no identity");
      }
    }
    if (splitEvery < 2) {
      throw new ArrayException(op + ": splitEvery must be at least 2, got " + splitEvery);
    }
    int perAxis = Math.max(2, (int) Math.round(Math.pow(splitEvery, 1.0 / Math.max(1,
        axes.length))));
    DType work = kind.workType(a.dtype);
    // level 0: chunk
    String chunkName = Tokens.name(TreeReduction.chunkPrefix(op), a, axes);
    Map<Key, Task> chunkTasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      chunkTasks.put(Key.of(chunkName, idx), Task.of(new Chunk(kind, axes, work,
          Layout.blockOffset(a.chunks, idx), a.shape, flatArg), a.blockKey(idx)));
    }
    long[][] partChunks = Layout.copy(a.chunks);
    for (int x : axes) {
      partChunks[x] = new long[a.chunks[x].length];
      Arrays.fill(partChunks[x], 1);
    }
    Array level = Array.of(chunkName, TreeReduction.chunkPrefix(op), chunkTasks, a.shape,
        partChunks, work, List.of(a));
    // combine levels until one block remains along every reduced axis; the last level, named
    // and labelled after the operation, builds the result itself: its blocks already have the
    // final shape (the reduced axes dropped unless keepdims), with no squeeze layer after it
    int[] nb = level.numBlocks();
    int depth = 0;
    long[] shape = new long[keepdims ? nd : nd - axes.length];
    long[][] resultChunks = new long[shape.length][];
    for (int d = 0, k = 0; d < nd; d++) {
      if (keepdims || !reduced[d]) {
        shape[k] = reduced[d] ? 1 : a.shape[d];
        resultChunks[k++] = reduced[d] ? new long[] {1} : a.chunks[d];
      }
    }
    while (true) {
      boolean last = true;
      int[] next = nb.clone();
      for (int x : axes) {
        next[x] = (nb[x] + perAxis - 1) / perAxis;
        last &= next[x] == 1;
      }
      String prefix = last ? op : TreeReduction.combinePrefix(op);
      String name = Tokens.name(prefix, level, axes, keepdims, ddof, depth++);
      Map<Key, Task> tasks = new LinkedHashMap<>();
      long[][] outChunks = new long[nd][];
      for (int d = 0; d < nd; d++) {
        outChunks[d] = reduced[d] ? filled(next[d]) : a.chunks[d];
      }
      for (int[] idx : Layout.blockIndices(next)) {
        List<Key> group = new ArrayList<>();
        int[] span = new int[nd];
        for (int d = 0; d < nd; d++) {
          span[d] = reduced[d] ? Math.min(perAxis, nb[d] - idx[d] * perAxis) : 1;
        }
        for (int[] off : Layout.blockIndices(span)) {
          int[] src = new int[nd];
          for (int d = 0; d < nd; d++) {
            src[d] = reduced[d] ? idx[d] * perAxis + off[d] : idx[d];
          }
          group.add(level.blockKey(src));
        }
        if (!last) {
          tasks.put(Key.of(name, idx), Task.of(new Combine(kind), group));
          continue;
        }
        int[] out = keepdims ? idx : kept(idx, reduced);
        tasks.put(Key.of(name, out), Task.of(new Aggregate(kind, ddof,
            Layout.blockShape(resultChunks, out), work, kind.resultType(a.dtype)), group));
      }
      if (last) {
        return Array.of(name, op, tasks, shape, resultChunks, kind.resultType(a.dtype),
            List.of(level));
      }
      level = Array.of(name, prefix, tasks, a.shape, outChunks, work, List.of(level));
      nb = next;
    }
  }

  /** The entries of {@code idx} on the axes that are not reduced. */
  private static int[] kept(int[] idx, boolean[] reduced) {
    int n = 0;
    for (boolean r : reduced) {
      n += r ? 0 : 1;
    }
    int[] out = new int[n];
    for (int d = 0, k = 0; d < idx.length; d++) {
      if (!reduced[d]) {
        out[k++] = idx[d];
      }
    }
    return out;
  }

  static long[] filled(int n) {
    long[] c = new long[n];
    Arrays.fill(c, 1);
    return c;
  }

  static long[] partShape(long[] shape, int[] axes) {
    long[] p = shape.clone();
    for (int x : axes) {
      p[x] = 1;
    }
    return p;
  }

  /** The chunk step: one block to one partial (null if it has no elements to reduce). */
  record Chunk(Kind kind, int[] axes, DType work, long[] offset, long[] arrayShape,
      boolean flatArg) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = Nd.cast((INDArray) args[0], work);
      long[] shape = x.shape();
      long[] pshape = partShape(shape, axes);
      double count = 1;
      for (int ax : axes) {
        count *= shape[ax];
      }
      if (count == 0) {
        return null;
      }
      if (Layout.size(pshape) == 0) {
        return new Part(Nd.zeros(work, pshape), Nd.zeros(DType.INT64, pshape), count);
      }
      if (axes.length == 0) {
        return new Part(x, kind.arg() ? Nd.zeros(DType.INT64, pshape) : null, 1);
      }
      if ((kind == Kind.SUM || kind == Kind.MEAN) && Kernels.wholeC(x)) {
        INDArray fast = fastSum(x, pshape);
        if (fast != null) {
          return new Part(fast, null, count);
        }
      }
      switch (kind) {
        case SUM: return new Part(Nd.shaped(x.sum(true, axes), pshape), null, count);
        case PROD: return new Part(Nd.shaped(x.prod(true, axes), pshape), null, count);
        case MIN: return new Part(Nd.shaped(x.min(true, axes), pshape), null, count);
        case MAX: return new Part(Nd.shaped(x.max(true, axes), pshape), null, count);
        case ANY: return new Part(Nd.shaped(x.castTo(DataType.INT32).max(true, axes)
            .castTo(DataType.BOOL), pshape), null, count);
        case ALL: return new Part(Nd.shaped(x.castTo(DataType.INT32).min(true, axes)
            .castTo(DataType.BOOL), pshape), null, count);
        case MEAN: return new Part(Nd.shaped(x.sum(true, axes), pshape), null, count);
        case VAR: case STD: {
          INDArray mean = Nd.shaped(x.mean(true, axes), pshape);
          INDArray d = x.sub(Elementwise.broadcastTo(mean, shape));
          INDArray m2 = Nd.shaped(d.muli(d).sum(true, axes), pshape);
          return new Part(mean, m2, count);
        }
        default: return argChunk(x, pshape);
      }
    }

    /** The sum by {@link Kernels}: over every axis, or over axis 0 of a matrix; else null. */
    private INDArray fastSum(INDArray x, long[] pshape) {
      if (axes.length == x.rank()) {
        return Nd4j.createFromArray(new double[] {Kernels.sumAll(x)}).reshape('c', pshape);
      }
      if (x.rank() == 2 && axes.length == 1 && axes[0] == 0) {
        return Nd4j.createFromArray(Kernels.sumColumns(x)).reshape('c', pshape);
      }
      return null;
    }

    private Part argChunk(INDArray x, long[] pshape) {
      boolean min = kind == Kind.ARGMIN;
      if (flatArg) {
        INDArray c = x.dup('c');
        long local = (min ? Nd4j.argMin(c) : Nd4j.argMax(c)).getLong(0);
        long[] pos = unravel(local, c.shape());
        long global = 0;
        for (int d = 0; d < pos.length; d++) {
          global = global * arrayShape[d] + offset[d] + pos[d];
        }
        INDArray v = Nd.zeros(work, pshape).assign(c.getDouble(local));
        INDArray i = Nd.zeros(DType.INT64, pshape).assign(global);
        return new Part(v, i, 1);
      }
      int ax = axes[0];
      INDArray v = Nd.shaped(min ? x.min(true, ax) : x.max(true, ax), pshape);
      INDArray i = Nd.shaped((min ? Nd4j.argMin(x, ax) : Nd4j.argMax(x, ax))
          .castTo(DataType.INT64), pshape).addi(offset[ax]);
      return new Part(v, i, 1);
    }
  }

  static long[] unravel(long flat, long[] shape) {
    long[] pos = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      pos[d] = flat % shape[d];
      flat /= shape[d];
    }
    return pos;
  }

  static Part merge(Kind kind, Part a, Part b) {
    if (a == null) {
      return b;
    }
    if (b == null || a.value().length() == 0) {
      return a;   // empty kept axes: nothing to combine
    }
    switch (kind) {
      case SUM: case MEAN: return new Part(a.value().add(b.value()), null, a.count() + b.count());
      case PROD: return new Part(a.value().mul(b.value()), null, 1);
      case MIN: return new Part(Transforms.min(a.value(), b.value(), true), null, 1);
      case MAX: return new Part(Transforms.max(a.value(), b.value(), true), null, 1);
      case ANY: return new Part(Transforms.or(a.value(), b.value()), null, 1);
      case ALL: return new Part(Transforms.and(a.value(), b.value()), null, 1);
      case VAR: case STD: {
        double n = a.count() + b.count();
        INDArray delta = b.value().sub(a.value());
        INDArray mean = a.value().add(delta.mul(b.count() / n));
        INDArray m2 = a.aux().add(b.aux()).addi(delta.mul(delta).muli(a.count() * b.count() / n));
        return new Part(mean, m2, n);
      }
      default: {
        boolean min = kind == Kind.ARGMIN;
        INDArray av = a.value().dup('c');
        INDArray ai = a.aux().dup('c');
        INDArray bv = b.value().dup('c');
        INDArray bi = b.aux().dup('c');
        for (long k = 0; k < av.length(); k++) {
          double x = av.getDouble(k);
          double y = bv.getDouble(k);
          boolean better = min ? y < x : y > x;
          // ties go to the lower global index: NumPy returns the first occurrence
          if (better || (y == x && bi.getLong(k) < ai.getLong(k))) {
            av.putScalar(k, y);
            ai.putScalar(k, bi.getLong(k));
          }
        }
        return new Part(av, ai, 1);
      }
    }
  }

  static Part mergeAll(Kind kind, List<?> parts) {
    Part acc = null;
    for (Object p : parts) {
      acc = merge(kind, acc, (Part) p);
    }
    return acc;
  }

  /** A combine step: merges a group of partials. */
  record Combine(Kind kind) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return mergeAll(kind, (List<?>) args[0]);
    }
  }

  /** The aggregate step: merges the last group and finalizes. */
  record Aggregate(Kind kind, int ddof, long[] shape, DType work, DType out)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Part p = mergeAll(kind, (List<?>) args[0]);
      if (Layout.size(shape) == 0) {
        return Nd.zeros(out, shape);
      }
      if (p == null) {
        double identity = switch (kind) {
          case SUM, ANY -> 0;
          case PROD, ALL -> 1;
          default -> Double.NaN;
        };
        INDArray z = Nd.zeros(work, shape);
        return Nd.cast(identity == 0 ? z : z.assign(identity), out);
      }
      INDArray v;
      switch (kind) {
        case MEAN: v = p.value().div(p.count()); break;
        case VAR: v = p.aux().div(p.count() - ddof); break;
        case STD: v = Transforms.sqrt(p.aux().div(p.count() - ddof), false); break;
        case ARGMIN: case ARGMAX: v = p.aux(); break;
        default: v = p.value();
      }
      return Nd.shaped(Nd.cast(v, out), shape);
    }
  }
}
