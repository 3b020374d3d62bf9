package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Random tables with missing values and mixed types, and comparisons of tables. */
final class TestData {
  private TestData() {}

  static final String[] NAMES = {"ann", "bob", "cy", "dee", "ed", "flo", "gus"};

  /** id LONG, name STRING, x DOUBLE, k LONG (small), day LOCAL_DATE, ok BOOLEAN. */
  static Table random(int rows, long seed, double missing) {
    Random r = new Random(seed);
    LongColumn id = LongColumn.create("id");
    StringColumn name = StringColumn.create("name");
    DoubleColumn x = DoubleColumn.create("x");
    LongColumn k = LongColumn.create("k");
    DateColumn day = DateColumn.create("day");
    BooleanColumn ok = BooleanColumn.create("ok");
    for (int i = 0; i < rows; i++) {
      id.append(i);
      if (r.nextDouble() < missing) {
        name.appendMissing();
      } else {
        name.append(NAMES[r.nextInt(NAMES.length)]);
      }
      if (r.nextDouble() < missing) {
        x.appendMissing();
      } else {
        x.append(r.nextGaussian() * 10);
      }
      if (r.nextDouble() < missing) {
        k.appendMissing();
      } else {
        k.append(r.nextInt(5) - 2);
      }
      if (r.nextDouble() < missing) {
        day.appendMissing();
      } else {
        day.append(LocalDate.of(2025, 1, 1).plusDays(r.nextInt(400)));
      }
      if (r.nextDouble() < missing) {
        ok.appendMissing();
      } else {
        ok.append(r.nextBoolean());
      }
    }
    return Table.create("t", id, name, x, k, day, ok);
  }

  /** Writes a table as CSV (header, missing as empty fields), values in full precision. */
  static Path writeCsv(Table t, Path file) throws IOException {
    StringBuilder sb = new StringBuilder(String.join(",", t.columnNames())).append('\n');
    for (int i = 0; i < t.rowCount(); i++) {
      for (int j = 0; j < t.columnCount(); j++) {
        Column<?> c = t.column(j);
        if (j > 0) {
          sb.append(',');
        }
        if (!c.isMissing(i)) {
          sb.append(c.get(i));
        }
      }
      sb.append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb, StandardCharsets.UTF_8);
    return file;
  }

  /** Returns the rows of a table as lists of values (null for missing), in row order. */
  static List<List<Object>> rows(Table t) {
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      List<Object> row = new ArrayList<>();
      for (Column<?> c : t.columns()) {
        row.add(c.isMissing(i) ? null : c.get(i));
      }
      out.add(row);
    }
    return out;
  }

  /** Returns the rows sorted by their string form: for comparisons where order is free. */
  static List<List<Object>> sortedRows(Table t) {
    List<List<Object>> r = rows(t);
    r.sort(Comparator.comparing(Object::toString));
    return r;
  }

  /** Asserts equal column names, types and values, doubles within a relative tolerance. */
  static void assertSameTable(Table expected, Table actual, boolean ordered) {
    assertEquals(Schema.of(expected), Schema.of(actual), "columns");
    assertEquals(expected.rowCount(), actual.rowCount(), "rows");
    List<List<Object>> e = ordered ? rows(expected) : sortedRows(expected);
    List<List<Object>> a = ordered ? rows(actual) : sortedRows(actual);
    for (int i = 0; i < e.size(); i++) {
      for (int j = 0; j < e.get(i).size(); j++) {
        Object x = e.get(i).get(j);
        Object y = a.get(i).get(j);
        if (x instanceof Double dx && y instanceof Double dy) {
          assertTrue(Math.abs(dx - dy) <= 1e-9 * Math.max(1, Math.abs(dx)),
              "row " + i + " col " + j + ": " + dx + " vs " + dy);
        } else {
          assertEquals(x, y, "row " + i + " col " + j + " of " + e.get(i) + " vs " + a.get(i));
        }
      }
    }
  }

}
