package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Operations that carry state from one partition to the next: cumulative sums and row
 * numbers. Each runs in three steps, like Dask's cumulative reductions: one task per partition
 * computes its totals, a chain of small tasks turns them into the offsets each partition
 * starts from (the sum of the totals before it), and one task per partition applies its own
 * running sum plus its offset. No task sees more than one partition.
 */
final class Scans {
  private Scans() {}

  static Frame cumsum(Frame f, List<String> columns) {
    if (columns.isEmpty()) {
      throw new GraphException("cumsum: give at least one column");
    }
    f.schema().require("cumsum", columns);
    Schema out = f.schema();
    for (String c : columns) {
      ColumnType t = f.schema().type(c);
      if (!Exprs.isNumeric(t)) {
        throw new GraphException("cumsum: column '" + c + "' is " + t.name() + ", not a"
            + " number");
      }
      out = out.with(c, Exprs.isIntegral(t) ? ColumnType.LONG : ColumnType.DOUBLE);
    }
    return scan(f, "cumsum", columns, new Totals(columns), new CumSum(columns), out);
  }

  static Frame cumcount(Frame f, String name) {
    if (f.schema().has(name)) {
      throw new GraphException("cumcount: the frame already has a column '" + name
          + "'; choose another name");
    }
    List<String> none = List.of();
    return scan(f, "cumcount", none, new Totals(none), new CumCount(name),
        f.schema().with(name, ColumnType.LONG));
  }

  private static Frame scan(Frame f, String prefix, List<String> columns, Totals totals,
      TaskFunction apply, Schema out) {
    Frame.Stage parts = f.stage(prefix + "-totals", columns, totals);
    List<Key> in = f.outputKeys();
    String name = Tokens.name(prefix, in, columns, apply);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    Key offset = null;
    for (int i = 0; i < in.size(); i++) {
      Key off = Key.of(name + "-offset", i);
      tasks.put(off, offset == null ? Task.of(new Zero(columns.size()))
          : Task.of(new AddTotals(), offset, parts.keys().get(i - 1)));
      offset = off;
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(apply, in.get(i), off));
      keys.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, prefix, tasks), f.graph(), parts.graph());
    boolean keep = f.index().isPresent() && !columns.contains(f.index().get());
    return Frame.fromKeysDivided(g, keys, out, prefix, keep ? f.lazyDivisions() : null,
        keep ? f.index().get() : null, false);
  }

  /** Returns an integral value exactly (a double would round past 2^53). */
  static long longAt(Column<?> c, int i) {
    if (c instanceof LongColumn l) {
      return l.getLong(i);
    }
    if (c instanceof tech.tablesaw.api.IntColumn n) {
      return n.getInt(i);
    }
    return ((tech.tablesaw.api.ShortColumn) c).getShort(i);
  }

  /** The offsets of the first partition: zero counts and sums. */
  record Zero(int n) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return new Partial(0, new double[n], new long[n]);
    }
  }

  /** A partition's (or a prefix's) row count and per-column sums (as doubles and longs). */
  record Partial(long rows, double[] sums, long[] longSums) implements java.io.Serializable {}

  /** Adds a partition's totals to the offsets before it. */
  record AddTotals() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Partial a = (Partial) args[0];
      Partial b = (Partial) args[1];
      double[] s = a.sums().clone();
      long[] l = a.longSums().clone();
      for (int j = 0; j < s.length; j++) {
        s[j] += b.sums()[j];
        l[j] += b.longSums()[j];
      }
      return new Partial(a.rows() + b.rows(), s, l);
    }
  }

  /** One partition's totals; missing values count as nothing. */
  record Totals(List<String> columns) implements Source.Then {
    @Override
    public Object apply(Table t) {
      double[] s = new double[columns.size()];
      long[] l = new long[columns.size()];
      for (int j = 0; j < s.length; j++) {
        Column<?> c = t.column(columns.get(j));
        for (int i = 0; i < t.rowCount(); i++) {
          if (!c.isMissing(i)) {
            if (Exprs.isIntegral(c.type())) {
              l[j] += longAt(c, i);
            } else {
              s[j] += ((NumericColumn<?>) c).getDouble(i);
            }
          }
        }
      }
      return new Partial(t.rowCount(), s, l);
    }
  }

  /** Replaces columns by their running sums from the partition's offsets. */
  record CumSum(List<String> columns) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      Partial off = (Partial) args[1];
      Table out = Table.create(t.name());
      for (Column<?> c : t.columns()) {
        int j = columns.indexOf(c.name());
        if (j < 0) {
          out.addColumns(c);
          continue;
        }
        NumericColumn<?> n = (NumericColumn<?>) c;
        if (Exprs.isIntegral(c.type())) {
          LongColumn r = LongColumn.create(c.name(), t.rowCount());
          long acc = off.longSums()[j];
          for (int i = 0; i < t.rowCount(); i++) {
            if (n.isMissing(i)) {
              r.setMissing(i);
            } else {
              acc += longAt(c, i);
              r.set(i, acc);
            }
          }
          out.addColumns(r);
        } else {
          DoubleColumn r = DoubleColumn.create(c.name(), t.rowCount());
          double acc = off.sums()[j];
          for (int i = 0; i < t.rowCount(); i++) {
            if (n.isMissing(i)) {
              r.setMissing(i);
            } else {
              acc += n.getDouble(i);
              r.set(i, acc);
            }
          }
          out.addColumns(r);
        }
      }
      return out;
    }
  }

  /** Adds the row's position in the whole frame, from 0. */
  record CumCount(String name) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      long start = ((Partial) args[1]).rows();
      long[] v = new long[t.rowCount()];
      for (int i = 0; i < v.length; i++) {
        v[i] = start + i;
      }
      Table out = Table.create(t.name());
      out.addColumns(t.columns().toArray(new Column<?>[0]));
      out.addColumns(LongColumn.create(name, v));
      return out;
    }
  }
}
