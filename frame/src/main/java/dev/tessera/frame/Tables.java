package dev.tessera.frame;

import dev.tessera.graph.Fn1;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Small helpers on Tablesaw tables. */
final class Tables {
  private Tables() {}

  /**
   * Concatenates partitions (all of the given meta) into one table. Numeric and date columns
   * are filled into one array of the total length each (Tablesaw's {@code append} grows its
   * arrays step by step, copying them and leaving up to half their length unused, which for a
   * shuffle's gatherer of a large partition was most of its memory); strings by dictionary
   * code.
   */
  static Table concat(List<?> parts, Schema schema) {
    if (parts.size() == 1) {
      return (Table) parts.get(0); // partitions are never changed in place: no copy needed
    }
    Table empty = schema.emptyTable();
    List<Table> tables = new ArrayList<>();
    int total = 0;
    for (Object o : parts) {
      Table t = (Table) o;
      if (t.rowCount() > 0) {
        tables.add(t);
        total = Math.addExact(total, t.rowCount());
      }
    }
    Table out = Table.create(empty.name());
    for (Column<?> c : empty.columns()) {
      out.addColumns(concat(c, tables, total));
    }
    return out;
  }

  /** Column {@code into}'s name of every table appended to {@code into}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Column<?> concat(Column into, List<Table> tables, int total) {
    String name = into.name();
    if (into instanceof DoubleColumn) {
      double[] v = new double[total];
      int at = 0;
      for (Table t : tables) {
        DoubleColumn c = t.doubleColumn(name);
        for (int i = 0; i < c.size(); i++) {
          v[at++] = c.getDouble(i);
        }
      }
      return Wrap.doubles(name, v);
    } else if (into instanceof LongColumn) {
      long[] v = new long[total];
      int at = 0;
      for (Table t : tables) {
        LongColumn c = t.longColumn(name);
        for (int i = 0; i < c.size(); i++) {
          v[at++] = c.getLong(i);
        }
      }
      return Wrap.longs(name, v);
    } else if (into instanceof IntColumn) {
      int[] v = new int[total];
      int at = 0;
      for (Table t : tables) {
        IntColumn c = t.intColumn(name);
        for (int i = 0; i < c.size(); i++) {
          v[at++] = c.getInt(i);
        }
      }
      return Wrap.ints(name, v);
    } else if (into instanceof DateColumn) {
      int[] v = new int[total];
      int at = 0;
      for (Table t : tables) {
        DateColumn c = t.dateColumn(name);
        for (int i = 0; i < c.size(); i++) {
          v[at++] = c.getIntInternal(i);
        }
      }
      return DateColumn.createInternal(name, v);
    } else if (into instanceof StringColumn) {
      List<StringColumn> strings = new ArrayList<>();
      for (Table t : tables) {
        strings.add(t.stringColumn(name));
      }
      StringColumn coded = StringCodes.concat(strings, name);
      if (coded != null) {
        return coded;
      }
    }
    for (Table t : tables) {
      into.append(t.column(name));
    }
    return into;
  }

  /**
   * Returns a table of some columns of {@code t}, shared, not copied (Tablesaw's
   * {@code selectColumns} copies every column; partitions are never changed in place, so
   * sharing is safe).
   */
  static Table select(Table t, List<String> columns) {
    Table out = Table.create(t.name());
    for (String c : columns) {
      out.addColumns(t.column(c));
    }
    return out;
  }

  /** Returns the given rows as a new table (Tablesaw's {@code rows()} refuses none). */
  static Table rows(Table t, int[] rows) {
    return rows.length == 0 ? t.emptyCopy() : take(t, rows);
  }

  /**
   * Returns the given rows of {@code t}, in the given order, as a new table: numeric and date
   * columns through their primitive arrays (Tablesaw's own row copy goes cell by cell through
   * a generic setter, several times slower), strings by dictionary code, other columns value
   * by value.
   */
  static Table take(Table t, int[] rows) {
    Table out = Table.create(t.name());
    for (Column<?> c : t.columns()) {
      out.addColumns(take(c, rows));
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Column<?> take(Column<?> c, int[] rows) {
    int n = rows.length;
    if (c instanceof DoubleColumn d) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = d.getDouble(rows[i]);
      }
      return Wrap.doubles(c.name(), v);
    } else if (c instanceof LongColumn l) {
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = l.getLong(rows[i]);
      }
      return Wrap.longs(c.name(), v);
    } else if (c instanceof IntColumn ic) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = ic.getInt(rows[i]);
      }
      return Wrap.ints(c.name(), v);
    } else if (c instanceof DateColumn dc) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = dc.getIntInternal(rows[i]);
      }
      return DateColumn.createInternal(c.name(), v);
    } else if (c instanceof StringColumn sc) {
      StringColumn coded = StringCodes.take(sc, rows, n, c.name());
      if (coded != null) {
        return coded;
      }
    }
    Column out = c.emptyCopy(n);
    for (int i = 0; i < n; i++) {
      out.set(i, c, rows[i]);
    }
    return out;
  }

  /** Returns rows [from, to) as a new table. */
  static Table slice(Table t, int from, int to) {
    return from == 0 && to == t.rowCount() ? t : t.inRange(from, to);
  }

  /** The assembler of a frame: concatenates its partitions, printing with {@link Display}. */
  record Concat(Schema schema) implements Fn1<List<Object>, Table> {
    @Override
    public Table apply(List<Object> parts) {
      return Display.format(concat(parts, schema));
    }
  }
}
