package dev.tessera.frame;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.GraphException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A row-wise operation applied to each partition on its own: select, drop, rename, assign,
 * filter, a user function. A frame keeps a chain of them over its source and runs the whole
 * chain inside one task per partition (like Dask's blockwise fusion), so intermediate
 * partitions never reach the scheduler.
 *
 * <p>Each operation also says which input columns it needs for a given set of output columns
 * ({@link #prune}); a reduction that reads only some columns thereby reads only those from the
 * CSV files (projection push-down). Operations must accept extra input columns.
 */
interface PartitionOp extends Serializable {
  /** Returns the output meta for an input meta; throws GraphException on bad input. */
  Schema schema(Schema in);

  /** Applies the operation to one partition. */
  Table apply(Table t) throws Exception;

  /**
   * Returns this operation restricted to the columns {@code needOut} of its output (null when
   * it can be left out), and adds to {@code needIn} the input columns that version needs.
   */
  PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn);

  /** Keeps some columns, in the given order. */
  record Select(List<String> columns) implements PartitionOp {
    @Override
    public Schema schema(Schema in) {
      in.require("select", columns);
      return in.select(columns);
    }

    @Override
    public Table apply(Table t) {
      return Tables.select(t, columns);
    }

    @Override
    public PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn) {
      List<String> kept = new ArrayList<>();
      for (String c : columns) {
        if (needOut.contains(c)) {
          kept.add(c);
        }
      }
      needIn.addAll(kept);
      return new Select(kept);
    }
  }

  /** Removes some columns. */
  record Drop(List<String> columns) implements PartitionOp {
    @Override
    public Schema schema(Schema in) {
      in.require("drop", columns);
      List<String> kept = new ArrayList<>(in.names());
      kept.removeAll(columns);
      return in.select(kept);
    }

    @Override
    public Table apply(Table t) {
      List<String> present = new ArrayList<>();
      for (String c : columns) {
        if (t.containsColumn(c)) {
          present.add(c);
        }
      }
      if (present.isEmpty()) {
        return t;
      }
      List<String> kept = new ArrayList<>(t.columnNames());
      kept.removeAll(present);
      return Tables.select(t, kept);
    }

    @Override
    public PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn) {
      needIn.addAll(needOut);
      return null; // dropped columns are simply never read
    }
  }

  /** Renames columns: old name to new name. */
  record Rename(Map<String, String> names) implements PartitionOp {
    @Override
    public Schema schema(Schema in) {
      in.require("rename", names.keySet());
      Map<String, tech.tablesaw.api.ColumnType> m = new LinkedHashMap<>();
      for (String c : in.names()) {
        m.put(names.getOrDefault(c, c), in.type(c));
      }
      if (m.size() != in.size()) {
        throw new GraphException("rename " + names + " gives two columns the same name; the"
            + " columns are " + in.names());
      }
      return Schema.of(m);
    }

    @Override
    public Table apply(Table t) {
      Table out = Table.create(t.name());
      for (Column<?> c : t.columns()) {
        String n = names.get(c.name());
        out.addColumns(n == null ? c : c.copy().setName(n));
      }
      return out;
    }

    @Override
    public PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn) {
      Map<String, String> kept = new LinkedHashMap<>();
      Map<String, String> back = new LinkedHashMap<>();
      names.forEach((o, n) -> back.put(n, o));
      for (String c : needOut) {
        String old = back.get(c);
        if (old != null) {
          kept.put(old, c);
          needIn.add(old);
        } else if (!names.containsKey(c)) {
          needIn.add(c);
        }
      }
      return kept.isEmpty() ? null : new Rename(kept);
    }
  }

  /** Adds a computed column, or replaces one of the same name. */
  record Assign(String name, Expr expr) implements PartitionOp {
    @Override
    public Schema schema(Schema in) {
      return in.with(name, expr.type(in));
    }

    @Override
    public Table apply(Table t) {
      Column<?> c = expr.eval(t);
      if (expr instanceof Exprs.Col) {
        c = c.copy(); // a plain column reference: do not rename the original
      }
      c.setName(name);
      Table out = Table.create(t.name());
      boolean replaced = false;
      for (Column<?> x : t.columns()) {
        if (x.name().equals(name)) {
          out.addColumns(c);
          replaced = true;
        } else {
          out.addColumns(x);
        }
      }
      if (!replaced) {
        out.addColumns(c);
      }
      return out;
    }

    @Override
    public PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn) {
      if (!needOut.contains(name)) {
        needIn.addAll(needOut);
        return null;
      }
      for (String c : needOut) {
        if (!c.equals(name)) {
          needIn.add(c);
        }
      }
      needIn.addAll(expr.columns());
      return this;
    }
  }

  /** Keeps the rows where a boolean expression is true. */
  record Filter(Expr condition) implements PartitionOp {
    @Override
    public Schema schema(Schema in) {
      if (condition.type(in) != tech.tablesaw.api.ColumnType.BOOLEAN) {
        throw new GraphException("filter " + condition + ": the condition is "
            + condition.type(in).name() + ", not BOOLEAN");
      }
      return in;
    }

    @Override
    public Table apply(Table t) {
      // the kept rows through Tables' column-wise copy (Tablesaw's where copies cell by cell)
      tech.tablesaw.selection.Selection keep = condition.select(t);
      return keep.size() == t.rowCount() ? t : Tables.rows(t, keep.toArray());
    }

    @Override
    public PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn) {
      needIn.addAll(needOut);
      needIn.addAll(condition.columns());
      return this;
    }
  }

  /** A user function from partition to partition, with its declared output meta. */
  record MapPartitions(Fn1<Table, Table> fn, Schema out) implements PartitionOp {
    @Override
    public Schema schema(Schema in) {
      return out;
    }

    @Override
    public Table apply(Table t) throws Exception {
      // a table of its own, so that adding or removing columns cannot reach a kept partition
      Table r = fn.apply(Tables.select(t, t.columnNames()));
      out.check(r, "the result of mapPartitions");
      return r;
    }

    @Override
    public PartitionOp prune(Set<String> needOut, Schema in, Set<String> needIn) {
      needIn.addAll(in.names()); // a user function may read anything
      return this;
    }
  }

  /**
   * Prunes a chain for the given output columns; returns the pruned chain and puts the
   * source columns it needs into {@code needSource}.
   */
  static List<PartitionOp> pruneChain(List<PartitionOp> ops, Schema source, Set<String> needOut,
      Set<String> needSource) {
    List<Schema> inputs = new ArrayList<>();
    Schema s = source;
    for (PartitionOp op : ops) {
      inputs.add(s);
      s = op.schema(s);
    }
    Set<String> need = new LinkedHashSet<>(needOut);
    List<PartitionOp> out = new ArrayList<>();
    for (int i = ops.size() - 1; i >= 0; i--) {
      Set<String> in = new LinkedHashSet<>();
      PartitionOp p = ops.get(i).prune(need, inputs.get(i), in);
      if (p != null) {
        out.add(0, p);
      }
      need = in;
    }
    needSource.addAll(need);
    return out;
  }
}
