package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

class ReshapeTest {
  static final Table L = TestData.random(157, 21, 0.1);
  static final Table R = right();
  @TempDir Path dir;

  /** name, k, score, x: several rows per key, some keys missing, some not on the left. */
  static Table right() {
    Random r = new Random(5);
    StringColumn name = StringColumn.create("name");
    LongColumn k = LongColumn.create("k");
    DoubleColumn score = DoubleColumn.create("score");
    DoubleColumn x = DoubleColumn.create("x");
    String[] names = {"ann", "bob", "cy", "zed", "yo"};
    for (int i = 0; i < 23; i++) {
      if (i % 9 == 4) {
        name.appendMissing();
      } else {
        name.append(names[r.nextInt(names.length)]);
      }
      k.append(r.nextInt(4) - 2);
      score.append(r.nextInt(100));
      x.append(r.nextDouble());
    }
    return Table.create("r", name, k, score, x);
  }

  /** A nested-loop join: the definition, row by row. */
  static List<List<Object>> expectedJoin(Table l, Table r, List<String> on, JoinType how) {
    List<List<Object>> out = new ArrayList<>();
    boolean[] matched = new boolean[r.rowCount()];
    List<String> rOther = new ArrayList<>(r.columnNames());
    rOther.removeAll(on);
    for (int i = 0; i < l.rowCount(); i++) {
      boolean any = false;
      for (int j = 0; j < r.rowCount(); j++) {
        boolean eq = true;
        for (String c : on) {
          eq &= !l.column(c).isMissing(i) && !r.column(c).isMissing(j)
              && Objects.equals(l.column(c).get(i), r.column(c).get(j));
        }
        if (eq) {
          any = true;
          matched[j] = true;
          List<Object> row = TestData.rows(l).get(i);
          for (String c : rOther) {
            row.add(value(r.column(c), j));
          }
          out.add(row);
        }
      }
      if (!any && (how == JoinType.LEFT || how == JoinType.OUTER)) {
        List<Object> row = TestData.rows(l).get(i);
        for (int c = 0; c < rOther.size(); c++) {
          row.add(null);
        }
        out.add(row);
      }
    }
    if (how == JoinType.RIGHT || how == JoinType.OUTER) {
      for (int j = 0; j < r.rowCount(); j++) {
        if (!matched[j]) {
          List<Object> row = new ArrayList<>();
          for (String c : l.columnNames()) {
            row.add(on.contains(c) ? value(r.column(c), j) : null);
          }
          for (String c : rOther) {
            row.add(value(r.column(c), j));
          }
          out.add(row);
        }
      }
    }
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }

  static Object value(Column<?> c, int i) {
    return c.isMissing(i) ? null : c.get(i);
  }

  @Test
  void mergeEveryTypeBroadcastAndShuffleOnOneAndTwoKeys() {
    for (List<String> on : List.of(List.of("name"), List.of("name", "k"))) {
      Table right = on.size() == 1 ? R.copy().removeColumns("k") : R;
      for (JoinType how : JoinType.values()) {
        List<List<Object>> e = expectedJoin(L, right, on, how);
        for (int nl : new int[] {1, 3, 7}) {
          for (int nr : new int[] {1, 4}) {
            for (int bmax : new int[] {0, 1}) {
              Frame l = Frame.fromTable(L, nl);
              Frame r = Frame.fromTable(right, nr);
              Frame m = l.merge(r, how, on, bmax);
              Table got = m.compute(Schedulers.sync());
              assertEquals(e, TestData.sortedRows(got), how + " " + on + " " + nl + "x" + nr
                  + " broadcastMax " + bmax);
            }
          }
        }
      }
    }
    Frame m = Frame.fromTable(L, 2).merge(Frame.fromTable(R, 2), JoinType.INNER,
        List.of("name"));
    assertEquals(List.of("id", "name", "x_x", "k_x", "day", "ok", "k_y", "score", "x_y"),
        m.columns());
  }

  @Test
  void mergeWithEmptyAndOneRowPartitions() {
    Table right = R.copy().removeColumns("k");
    Frame l = Frame.fromTable(L, L.rowCount() + 3); // one-row and empty partitions
    for (JoinType how : List.of(JoinType.INNER, JoinType.OUTER)) {
      for (int bmax : new int[] {0, 1}) {
        Table got = l.merge(Frame.fromTable(right, 1), how, List.of("name"), bmax).compute();
        assertEquals(expectedJoin(L, right, List.of("name"), how), TestData.sortedRows(got),
            how + " broadcastMax " + bmax);
      }
    }
  }

  @Test
  @SuppressWarnings("deprecation") // Tablesaw's inner(Table...) is the reference here
  void innerJoinAgreesWithTablesaw() {
    Table right = R.copy().removeColumns("k", "x").where(R.stringColumn("name").isNotMissing());
    Table left = L.where(L.stringColumn("name").isNotMissing());
    Table ts = left.joinOn("name").inner(right);
    Table got = Frame.fromTable(left, 3).merge(Frame.fromTable(right, 2), "name").compute();
    assertEquals(ts.rowCount(), got.rowCount());
    assertEquals(ts.doubleColumn("score").sum(), got.doubleColumn("score").sum(), 1e-9);
  }

  @Test
  void badJoinsFailAtBuildTime() {
    Frame l = Frame.fromTable(L, 2);
    GraphException e = assertThrows(GraphException.class,
        () -> l.merge(Frame.fromTable(R, 1), "id"));
    assertTrue(e.getMessage().contains("no column 'id' in the right frame"), e.getMessage());
    Table r2 = Table.create("r", StringColumn.create("k", "a", "b"));
    e = assertThrows(GraphException.class, () -> l.merge(Frame.fromTable(r2, 1), "k"));
    assertTrue(e.getMessage().contains("LONG on the left but STRING on the right"),
        e.getMessage());
  }

  @Test
  void sortValuesAndSetIndex() {
    for (int n : new int[] {1, 4, 9, 40}) {
      // 40 partitions made of 1- and 2-row pieces
      Frame f = n == 40 ? Frame.fromTable(L, 120).filter(Expr.col("id").ge(0)).repartition(40)
          : Frame.fromTable(L, n);
      for (String col : List.of("x", "name", "day", "id")) {
        Table got = f.sortValues(col).compute();
        Table e = L.where(L.column(col).isNotMissing()).sortAscendingOn(col);
        assertEquals(L.rowCount(), got.rowCount());
        List<Object> gotCol = new ArrayList<>();
        for (int i = 0; i < got.rowCount(); i++) {
          gotCol.add(value(got.column(col), i));
        }
        List<Object> expCol = new ArrayList<>();
        for (int i = 0; i < e.rowCount(); i++) {
          expCol.add(e.column(col).get(i));
        }
        while (expCol.size() < L.rowCount()) {
          expCol.add(null); // missing values last
        }
        assertEquals(expCol, gotCol, col + " in " + n + " partitions");
        assertEquals(TestData.sortedRows(L), TestData.sortedRows(got), "same rows");
      }
      Table desc = f.sortValues("x", false).compute();
      for (int i = 1; i < desc.rowCount(); i++) {
        if (!desc.doubleColumn("x").isMissing(i)) {
          assertTrue(desc.doubleColumn("x").get(i - 1) >= desc.doubleColumn("x").get(i));
        }
      }
      Frame idx = f.setIndex("id");
      assertEquals("id", idx.index().orElseThrow());
      List<Object> div = idx.divisions().orElseThrow();
      assertEquals(idx.npartitions() + 1, div.size());
      assertEquals(0L, div.get(0));
      assertEquals((long) L.rowCount() - 1, div.get(div.size() - 1));
      for (int p = 0; p < idx.npartitions(); p++) {
        Table part = Frame.fromKeys(idx.graph(), List.of(idx.outputKeys().get(p)), idx.schema(),
            "p", null, null, false).compute();
        for (int i = 0; i < part.rowCount(); i++) {
          long v = part.longColumn("id").get(i);
          assertTrue(v >= (Long) div.get(p) && (p == idx.npartitions() - 1
              ? v <= (Long) div.get(p + 1) : v < (Long) div.get(p + 1)), "division " + p);
        }
      }
      if (n > 1 && n < L.rowCount()) {
        assertTrue(idx.npartitions() > 1, "sampled quantiles cut the rows");
      }
      // filtering keeps the index and divisions
      assertTrue(idx.filter(Expr.col("x").gt(0)).divisions().isPresent());
      assertTrue(idx.assign("id", Expr.col("id").times(2)).divisions().isEmpty());
      assertTrue(idx.drop("id").index().isEmpty());
      assertEquals("key", idx.rename("id", "key").index().orElseThrow());
      assertEquals(div, idx.rename("id", "key").divisions().orElseThrow());
    }
  }

  @Test
  void repartitionAndConcat() {
    Frame f = Frame.fromTable(L, 5);
    for (int n : new int[] {1, 2, 5, 7, 12, 400}) {
      Frame r = f.repartition(n);
      assertEquals(n, r.npartitions());
      TestData.assertSameTable(L, r.compute(), true);
    }
    Frame c = Frame.concat(f, Frame.fromTable(L, 2).filter(Expr.col("k").eq(1)));
    assertEquals(7, c.npartitions());
    Table e = L.copy().append(L.where(L.longColumn("k").isEqualTo(1)
        .andNot(L.longColumn("k").isMissing())));
    TestData.assertSameTable(e, c.compute(), true);
    assertThrows(GraphException.class, () -> Frame.concat(f, f.drop("x")));
  }

  @Test
  void toCsvRoundTrips() throws IOException {
    Frame f = Frame.fromTable(L, 4);
    List<String> files = f.toCsv(dir.resolve("out"));
    assertEquals(4, files.size());
    TestData.assertSameTable(L, Frame.readCsv(dir.resolve("out").toString()).compute(), true);
    Path one = dir.resolve("one.csv");
    f.toCsvFile(one);
    TestData.assertSameTable(L, Frame.readCsv(one.toString()).compute(), true);
    assertEquals(L.rowCount() + 1, Files.readAllLines(one).size());
    // strings with separators and quotes survive
    Table q = Table.create("q", StringColumn.create("s", "a,b", "say \"x\"", "two\nlines"));
    Frame.fromTable(q, 2).toCsvFile(one);
    TestData.assertSameTable(q, Frame.readCsv(one.toString(),
        CsvOptions.defaults().blocksize(0)).compute(), true);
  }
}
