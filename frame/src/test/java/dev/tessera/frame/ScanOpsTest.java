package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/** tail, nlargest/nsmallest, cumsum, cumcount against direct computations on the table. */
class ScanOpsTest {
  static final int[] ROWS = {0, 1, 2, 57, 400};
  static final int[] PARTS = {1, 2, 3, 7, 64}; // 64 > rows: empty partitions

  @Test
  void tailLikeTheLastRowsOfTheTable() {
    for (int rows : ROWS) {
      Table t = TestData.random(rows, 71 + rows, 0.1);
      for (int parts : PARTS) {
        Frame f = Frame.fromTable(t, parts);
        for (int n : new int[] {0, 1, 5, rows, rows + 10}) {
          int from = Math.max(0, rows - n);
          TestData.assertSameTable(t.inRange(from, rows), f.tail(n), true);
        }
      }
    }
  }

  @Test
  void nlargestAndNsmallestLikeAStableSort() {
    for (int rows : ROWS) {
      Table t = TestData.random(rows, 81 + rows, 0.15);
      for (int parts : PARTS) {
        Frame f = Frame.fromTable(t, parts);
        for (int n : new int[] {0, 1, 3, 50, rows + 1}) {
          for (String col : List.of("x", "k", "name", "day")) {
            for (boolean largest : new boolean[] {true, false}) {
              Table got = (largest ? f.nlargest(n, col) : f.nsmallest(n, col))
                  .compute(Schedulers.sync());
              TestData.assertSameTable(direct(t, n, col, largest), got, true);
            }
          }
        }
      }
    }
    assertThrows(GraphException.class, () -> Frame.fromTable(TestData.random(3, 1, 0), 1)
        .nlargest(2, "nope"));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Table direct(Table t, int n, String col, boolean largest) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      if (!t.column(col).isMissing(i)) {
        idx.add(i);
      }
    }
    Comparator<Integer> c = (a, b) -> ((Comparable) t.column(col).get(a))
        .compareTo(t.column(col).get(b));
    idx.sort(largest ? c.reversed() : c);
    int[] keep = idx.subList(0, Math.min(n, idx.size())).stream().mapToInt(i -> i).toArray();
    return keep.length == 0 ? t.emptyCopy() : t.rows(keep);
  }

  @Test
  void cumsumAndCumcountCarryAcrossPartitions() {
    for (int rows : ROWS) {
      Table t = TestData.random(rows, 91 + rows, 0.2);
      DoubleColumn x = DoubleColumn.create("x", rows);
      LongColumn k = LongColumn.create("k", rows);
      double sx = 0;
      long sk = 0;
      for (int i = 0; i < rows; i++) {
        if (t.doubleColumn("x").isMissing(i)) {
          x.setMissing(i);
        } else {
          sx += t.doubleColumn("x").get(i);
          x.set(i, sx);
        }
        if (t.longColumn("k").isMissing(i)) {
          k.setMissing(i);
        } else {
          sk += t.longColumn("k").get(i);
          k.set(i, sk);
        }
      }
      Table want = t.copy();
      want.replaceColumn("x", x);
      want.replaceColumn("k", k);
      long[] pos = new long[rows];
      for (int i = 0; i < rows; i++) {
        pos[i] = i;
      }
      Table numbered = t.copy().addColumns(LongColumn.create("row", pos));
      for (int parts : PARTS) {
        Frame f = Frame.fromTable(t, parts);
        Frame c = f.cumsum("x", "k");
        assertEquals(Schema.of(want), c.schema());
        TestData.assertSameTable(want, c.compute(Schedulers.sync()), true);
        TestData.assertSameTable(numbered, f.cumcount("row").compute(), true);
        // on top of a filter (partitions of unequal, some empty, lengths)
        Frame g = f.filter(Expr.col("x").gt(0.0)).cumcount("row");
        Table direct = t.where(t.doubleColumn("x").isGreaterThan(0.0));
        long[] p2 = new long[direct.rowCount()];
        for (int i = 0; i < p2.length; i++) {
          p2[i] = i;
        }
        TestData.assertSameTable(direct.copy().addColumns(LongColumn.create("row", p2)),
            g.compute(), true);
      }
    }
    Frame f = Frame.fromTable(TestData.random(3, 1, 0), 1);
    assertThrows(GraphException.class, () -> f.cumsum("name"));
    assertThrows(GraphException.class, () -> f.cumcount("id"));
    assertEquals(ColumnType.LONG, f.cumsum("k").schema().type("k"));
  }
}
