package dev.tessera.frame;

import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokenizable;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.UUID;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as a task literal: Tablesaw's {@code Table} is not serializable, so this
 * holder writes it column by column (type, name, then each value as an object). Its token is
 * random: two in-memory tables are never taken for the same data.
 */
final class TableValue implements Serializable, Tokenizable {
  private static final long serialVersionUID = 1L;
  private transient Table table;
  private final String id = UUID.randomUUID().toString();

  TableValue(Table table) {
    this.table = table;
  }

  Table table() {
    return table;
  }

  @Override
  public Object token() {
    return id;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(table.columnCount());
    out.writeInt(table.rowCount());
    for (Column<?> c : table.columns()) {
      out.writeUTF(c.type().name());
      out.writeUTF(c.name());
      for (int i = 0; i < c.size(); i++) {
        out.writeObject(c.isMissing(i) ? null : c.get(i));
      }
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int cols = in.readInt();
    int rows = in.readInt();
    table = Table.create("part");
    for (int j = 0; j < cols; j++) {
      ColumnType type = ColumnType.valueOf(in.readUTF());
      Column<?> c = type.create(in.readUTF());
      for (int i = 0; i < rows; i++) {
        Object v = in.readObject();
        if (v == null) {
          c.appendMissing();
        } else {
          c.appendObj(v);
        }
      }
      table.addColumns(c);
    }
  }

  /** The task function that unwraps a table literal. */
  record Unwrap() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return ((TableValue) args[0]).table();
    }
  }
}
