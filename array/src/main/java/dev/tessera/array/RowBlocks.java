package dev.tessera.array;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays made of row blocks that other collections compute: frame partitions
 * ({@code Frame.toArray}) and bag partitions ({@link Array#fromBag}). Each block is a
 * delayed value (or a bag partition) checked against its declared shape when it runs; row
 * counts may be unknown (-1) until {@link Array#computeChunkSizes()}.
 */
final class RowBlocks {
  private RowBlocks() {}

  static Array of(List<? extends Delayed<INDArray>> blocks, long[] rows, long[] trailing,
      DType dtype) {
    if (blocks.isEmpty()) {
      throw new ArrayException("fromRowBlocks: give at least one block");
    }
    if (rows.length != blocks.size()) {
      throw new ArrayException("fromRowBlocks: " + blocks.size() + " blocks but " + rows.length
          + " row counts");
    }
    List<Object> keys = new ArrayList<>();
    List<TaskGraph> graphs = new ArrayList<>();
    for (Delayed<INDArray> d : blocks) {
      keys.add(d.key());
      graphs.add(d.graph());
    }
    String name = Tokens.name("from-row-blocks", keys, rows, trailing, dtype);
    return build(name, "from-row-blocks", TaskGraph.merge(graphs), keys, rows, trailing, dtype,
        null);
  }

  private static Array build(String name, String op, TaskGraph deps, List<Object> inputs,
      long[] rows, long[] trailing, DType dtype, TaskFunction convert) {
    int nd = trailing.length + 1;
    long[] shape = new long[nd];
    long[][] chunks = new long[nd][];
    boolean known = true;
    long total = 0;
    for (long r : rows) {
      if (r < -1) {
        throw new ArrayException(op + ": row counts must be >= 0 or -1 (unknown), got "
            + Arrays.toString(rows));
      }
      known &= r >= 0;
      total += Math.max(r, 0);
    }
    shape[0] = known ? total : Layout.UNKNOWN;
    chunks[0] = rows.clone();
    for (int d = 1; d < nd; d++) {
      if (trailing[d - 1] < 0) {
        throw new ArrayException(op + ": lengths must be >= 0, got "
            + Arrays.toString(trailing));
      }
      shape[d] = trailing[d - 1];
      chunks[d] = new long[] {trailing[d - 1]};
    }
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      int[] idx = new int[nd];
      idx[0] = i;
      Task check = Task.of(new Check(rows[i], trailing, dtype, op, i), inputs.get(i));
      tasks.put(Key.of(name, idx), convert == null ? check
          : Task.of(new Then(convert, new Check(rows[i], trailing, dtype, op, i)),
              inputs.get(i)));
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, op, tasks), deps);
    return new Array(g, name, shape, chunks, dtype);
  }

  /** Checks a block's shape (rows only when known) and casts it to the array's type. */
  record Check(long rows, long[] trailing, DType dtype, String op, int block)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      long[] s = x == null ? null : x.shape();
      boolean ok = s != null && s.length == trailing.length + 1 && (rows < 0 || s[0] == rows);
      for (int d = 0; ok && d < trailing.length; d++) {
        ok = s[d + 1] == trailing[d];
      }
      if (!ok) {
        throw new IllegalStateException(op + ": row block " + block + " has shape "
            + (s == null ? "null" : Arrays.toString(s)) + " but the array was declared with "
            + (rows < 0 ? "?" : rows) + " rows of " + Arrays.toString(trailing));
      }
      return Nd.cast(x, dtype);
    }
  }

  /** Converts a task's input, then checks it. */
  record Then(TaskFunction first, TaskFunction second) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      return second.apply(new Object[] {first.apply(args)});
    }
  }

  // ------------------------------------------------------------------------------ bags

  static Array fromBag(Bag<?> bag, long columns, DType dtype) {
    List<Key> parts = bag.outputKeys();
    long[] rows = new long[parts.size()];
    Arrays.fill(rows, Layout.UNKNOWN);
    long[] trailing = columns < 0 ? new long[0] : new long[] {columns};
    String name = Tokens.name("from-bag", parts, columns, dtype);
    return build(name, "from-bag", bag.graph(), new ArrayList<>(parts), rows, trailing, dtype,
        new BagBlock(columns, name));
  }

  /**
   * One bag partition to a block: numbers to a 1-d block, or rows (double[], float[], long[],
   * int[], lists of numbers, 1-d INDArrays) of {@code columns} values to a 2-d block.
   */
  record BagBlock(long columns, String name) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> xs = (List<?>) args[0];
      if (columns < 0) {
        double[] v = new double[xs.size()];
        for (int i = 0; i < v.length; i++) {
          Object x = xs.get(i);
          if (!(x instanceof Number n)) {
            throw new IllegalStateException("fromBag: element " + i + " is "
                + describe(x) + ", not a number; for rows give Array.fromBag(bag, columns)");
          }
          v[i] = n.doubleValue();
        }
        return v.length == 0 ? Nd.zeros(DType.FLOAT64, new long[] {0})
            : Nd4j.createFromArray(v);
      }
      int c = Math.toIntExact(columns);
      double[] v = new double[xs.size() * c];
      for (int i = 0; i < xs.size(); i++) {
        double[] row = row(xs.get(i), i);
        if (row.length != c) {
          throw new IllegalStateException("fromBag: element " + i + " has " + row.length
              + " values but the array has " + c + " columns; every row needs " + c);
        }
        System.arraycopy(row, 0, v, i * c, c);
      }
      return v.length == 0 ? Nd.zeros(DType.FLOAT64, new long[] {xs.size(), c})
          : Nd4j.create(v, new long[] {xs.size(), c}, org.nd4j.linalg.api.buffer.DataType
              .DOUBLE);
    }

    private static double[] row(Object x, int i) {
      if (x instanceof double[] d) {
        return d;
      }
      if (x instanceof float[] f) {
        double[] d = new double[f.length];
        for (int j = 0; j < f.length; j++) {
          d[j] = f[j];
        }
        return d;
      }
      if (x instanceof long[] l) {
        return Arrays.stream(l).asDoubleStream().toArray();
      }
      if (x instanceof int[] n) {
        return Arrays.stream(n).asDoubleStream().toArray();
      }
      if (x instanceof INDArray a && a.rank() == 1) {
        return a.toDoubleVector();
      }
      if (x instanceof List<?> l) {
        double[] d = new double[l.size()];
        for (int j = 0; j < d.length; j++) {
          if (!(l.get(j) instanceof Number n)) {
            throw new IllegalStateException("fromBag: element " + i + ", value " + j + " is "
                + describe(l.get(j)) + ", not a number");
          }
          d[j] = n.doubleValue();
        }
        return d;
      }
      throw new IllegalStateException("fromBag: element " + i + " is " + describe(x)
          + "; rows must be double[], float[], long[], int[], lists of numbers or 1-d"
          + " INDArrays");
    }

    private static String describe(Object x) {
      return x == null ? "null" : "'" + x + "' (" + x.getClass().getSimpleName() + ")";
    }
  }
}
