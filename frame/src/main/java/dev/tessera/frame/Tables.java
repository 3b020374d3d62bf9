package dev.tessera.frame;

import dev.tessera.graph.Fn1;
import java.util.List;
import tech.tablesaw.api.Table;

/** Small helpers on Tablesaw tables. */
final class Tables {
  private Tables() {}

  /** Concatenates partitions (all of the given meta) into one table. */
  static Table concat(List<?> parts, Schema schema) {
    if (parts.size() == 1) {
      return (Table) parts.get(0); // partitions are never changed in place: no copy needed
    }
    Table out = schema.emptyTable();
    for (Object o : parts) {
      Table t = (Table) o;
      if (t.rowCount() > 0) {
        out.append(t);
      }
    }
    return out;
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
    return rows.length == 0 ? t.emptyCopy() : t.rows(rows);
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
