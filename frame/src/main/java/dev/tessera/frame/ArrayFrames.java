package dev.tessera.frame;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.FnN;
import dev.tessera.graph.GraphException;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Frames to arrays and back ({@link Frame#toArray}, {@link Frame#fromArray}): one row block
 * per partition, like Dask's {@code to_dask_array} and {@code from_dask_array}. Here because
 * frame depends on array (optionally), not the reverse.
 */
final class ArrayFrames {
  private ArrayFrames() {}

  static Array toArray(Frame f, boolean lengths, List<String> columns) {
    if (columns.isEmpty()) {
      columns = new ArrayList<>();
      for (String c : f.columns()) {
        if (Exprs.isNumeric(f.schema().type(c)) || f.schema().type(c) == ColumnType.BOOLEAN) {
          columns.add(c);
        }
      }
      if (columns.isEmpty()) {
        throw new GraphException("toArray: the frame has no numeric column; its columns are "
            + f.schema());
      }
    }
    f.schema().require("toArray", columns);
    for (String c : columns) {
      ColumnType t = f.schema().type(c);
      if (!Exprs.isNumeric(t) && t != ColumnType.BOOLEAN) {
        throw new GraphException("toArray: column '" + c + "' is " + t.name() + "; an array"
            + " holds numbers (select numeric columns, or assign a numeric version)");
      }
    }
    Frame sel = f.select(columns.toArray(new String[0])); // only these are read
    List<Key> keys = sel.outputKeys();
    List<Delayed<INDArray>> blocks = new ArrayList<>();
    List<Delayed<Long>> counts = new ArrayList<>();
    for (Key k : keys) {
      Frame one = sel.withKeys(sel.graph(), List.of(k));
      blocks.add(Delayed.apply(new ToMatrix(), one));
      if (lengths) {
        counts.add(Delayed.apply(new Rows(), one));
      }
    }
    long[] rows = new long[keys.size()];
    Arrays.fill(rows, -1);
    if (lengths) {
      List<Long> n = Delayed.list(counts).compute();
      for (int i = 0; i < rows.length; i++) {
        rows[i] = n.get(i);
      }
    }
    return Array.fromRowBlocks(blocks, rows, new long[] {columns.size()}, DType.FLOAT64);
  }

  /** A partition's columns as a FLOAT64 matrix, rows by columns; missing values are NaN. */
  record ToMatrix() implements FnN<INDArray> {
    @Override
    public INDArray apply(Object[] args) {
      Table t = (Table) args[0];
      int r = t.rowCount();
      int c = t.columnCount();
      double[] v = new double[r * c];
      for (int j = 0; j < c; j++) {
        Column<?> col = t.column(j);
        for (int i = 0; i < r; i++) {
          double x;
          if (col.isMissing(i)) {
            x = Double.NaN;
          } else if (col instanceof BooleanColumn b) {
            x = b.get(i) ? 1 : 0;
          } else if (col instanceof LongColumn l) {
            x = l.getLong(i);
          } else {
            x = ((NumericColumn<?>) col).getDouble(i);
          }
          v[i * c + j] = x;
        }
      }
      return Nd4j.create(v, new long[] {r, c}, DataType.DOUBLE);
    }
  }

  /** A partition's row count. */
  record Rows() implements FnN<Long> {
    @Override
    public Long apply(Object[] args) {
      return (long) ((Table) args[0]).rowCount();
    }
  }

  static Frame fromArray(Array a, List<String> names) {
    long[] shape = a.shape();
    if (shape.length != 2 && shape.length != 1) {
      throw new GraphException("fromArray: the array has " + shape.length + " dimensions;"
          + " a frame is made of a 1-d or 2-d array");
    }
    long cols = shape.length == 1 ? 1 : shape[1];
    if (names.size() != cols) {
      throw new GraphException("fromArray: the array has " + cols + " columns but "
          + names.size() + " names were given " + names);
    }
    for (long c : a.chunks()[0]) {
      if (c < 0) {
        throw new GraphException("fromArray: the array's row chunks are unknown; call"
            + " computeChunkSizes() first");
      }
    }
    if (shape.length == 2 && a.chunks()[1].length > 1) {
      // one block per row block: merge the column blocks first
      a = a.rechunk(Chunks.explicit(a.chunks()[0], new long[] {cols}));
    }
    ColumnType type = switch (a.dtype()) {
      case FLOAT64 -> ColumnType.DOUBLE;
      case FLOAT32 -> ColumnType.FLOAT;
      case INT64 -> ColumnType.LONG;
      case INT32 -> ColumnType.INTEGER;
      case BOOL -> ColumnType.BOOLEAN;
    };
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (String n : names) {
      m.put(n, type);
    }
    Schema meta = Schema.of(m);
    int blocks = a.numBlocks()[0];
    String name = Tokens.name("from-array", a.name(), names);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      Key k = Key.of(name, i);
      Key block = shape.length == 1 ? a.blockKey(i) : a.blockKey(i, 0);
      tasks.put(k, Task.of(new ToTable(meta), block));
      keys.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "from-array", tasks), a.graph());
    return Frame.fromKeys(g, keys, meta, "from-array", null, null, false);
  }

  /** One row block to a table of the meta's columns. */
  record ToTable(Schema meta) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      int r = (int) x.size(0);
      if (r == 0) {
        return meta.emptyTable(); // ND4J cannot take columns of an empty block
      }
      Table t = Table.create("from-array");
      for (int j = 0; j < meta.size(); j++) {
        INDArray col = x.rank() == 1 ? x : x.getColumn(j);
        String n = meta.names().get(j);
        ColumnType type = meta.type(j);
        Column<?> c;
        if (type == ColumnType.DOUBLE) {
          c = DoubleColumn.create(n, col.toDoubleVector());
        } else if (type == ColumnType.FLOAT) {
          c = FloatColumn.create(n, col.toFloatVector());
        } else if (type == ColumnType.LONG) {
          c = LongColumn.create(n, col.toLongVector());
        } else if (type == ColumnType.INTEGER) {
          c = IntColumn.create(n, col.toIntVector());
        } else {
          BooleanColumn b = BooleanColumn.create(n);
          for (int i = 0; i < r; i++) {
            b.append(col.getDouble(i) != 0);
          }
          c = b;
        }
        t.addColumns(c);
      }
      return t;
    }
  }
}
