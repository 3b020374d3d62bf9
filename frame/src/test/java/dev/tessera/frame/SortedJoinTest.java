package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Joins on keys in ascending order walk both sides instead of hashing: the rows and their
 * order are those of the hash join, for duplicates, gaps, empty sides, and the cases that must
 * fall back to hashing (a missing key, a side out of order).
 */
class SortedJoinTest {
  /** Ascending keys with runs of duplicates and gaps; {@code hole} puts a missing key in. */
  static long[] keys(Random r, int n, boolean hole, boolean shuffle) {
    long[] k = new long[n];
    long v = r.nextInt(5) - 2;
    for (int i = 0; i < n; i++) {
      v += r.nextInt(4) == 0 ? 0 : r.nextInt(3); // repeats and gaps
      k[i] = v;
    }
    if (shuffle && n > 1) {
      long t = k[0];
      k[0] = k[n - 1];
      k[n - 1] = t;
    }
    if (hole && n > 0) {
      k[r.nextInt(n)] = Long.MIN_VALUE; // missing
    }
    return k;
  }

  static Table side(String name, long[] k, boolean ints, Random r) {
    Column<?> key;
    if (ints) {
      int[] v = new int[k.length];
      for (int i = 0; i < k.length; i++) {
        v[i] = k[i] == Long.MIN_VALUE ? Integer.MIN_VALUE : (int) k[i];
      }
      key = IntColumn.create("id", v);
    } else {
      key = LongColumn.create("id", k);
    }
    double[] x = new double[k.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(1000);
    }
    return Table.create(name, key, DoubleColumn.create(name + "v", x));
  }

  @Test
  void sortedKeysJoinLikeTheHashJoinRowForRowInOrder() {
    Random r = new Random(41);
    for (int trial = 0; trial < 300; trial++) {
      int nl = new int[] {0, 1, 2, 17, 300, 5000}[trial % 6];
      int nr = new int[] {0, 1, 3, 40, 2000}[trial % 5];
      boolean hole = trial % 7 == 3;
      boolean shuffle = trial % 11 == 5;
      boolean ints = trial % 2 == 0;
      Table l = side("l", keys(r, nl, hole && trial % 3 == 0, shuffle), ints, r);
      Table rt = side("r", keys(r, nr, hole && trial % 3 != 0, false), ints, r);
      for (JoinType how : JoinType.values()) {
        Joins.Spec spec = Joins.spec(Schema.of(l), Schema.of(rt), List.of("id"), how);
        if (nl <= 300) { // the direct join is quadratic
          assertEquals(ReshapeTest.expectedJoin(l, rt, List.of("id"), how),
              TestData.sortedRows(Joins.join(l, rt, spec)), "trial " + trial + " " + how);
        }
        // and in the hash join's order, row for row
        // a row out of order on each side makes the hash join run: without the rows that
        // involve it, its result is the sorted join's, row for row
        List<List<Object>> hashed = TestData.rows(
            Joins.join(withUnsortedTail(l), withUnsortedTail(rt), spec));
        assertEquals(dropTail(hashed), dropTail(TestData.rows(Joins.join(l, rt, spec))),
            "order, trial " + trial + " " + how);
      }
    }
  }

  /** Appends a row whose key is below every other (so the side is out of order). */
  static Table withUnsortedTail(Table t) {
    Table c = t.copy();
    if (c.column(0) instanceof IntColumn ic) {
      ic.append(Integer.MIN_VALUE + 1);
    } else {
      ((LongColumn) c.column(0)).append(Long.MIN_VALUE + 1);
    }
    ((DoubleColumn) c.column(1)).append(-1.0);
    return c;
  }

  /** The rows that do not involve the appended tail rows (value -1). */
  static List<List<Object>> dropTail(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      if (!row.contains(-1.0)) {
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void aBigSortedJoinFindsEveryMatch() {
    int n = 1 << 20;
    long[] l = new long[n];
    long[] rk = new long[n / 3 + 1];
    for (int i = 0; i < n; i++) {
      l[i] = 2L * i;
    }
    for (int j = 0; j < rk.length; j++) {
      rk[j] = 6L * j;
    }
    Table lt = Table.create("l", LongColumn.create("id", l));
    Table rt = Table.create("r", LongColumn.create("id", rk),
        DoubleColumn.create("y", Arrays.stream(rk).asDoubleStream().toArray()));
    Table got = Joins.join(lt, rt,
        Joins.spec(Schema.of(lt), Schema.of(rt), List.of("id"), JoinType.INNER));
    assertEquals(n / 3 + (n % 3 == 0 ? 0 : 1), got.rowCount());
    for (int i = 0; i < got.rowCount(); i++) {
      assertEquals(6L * i, got.longColumn("id").getLong(i));
      assertEquals(6.0 * i, got.doubleColumn("y").getDouble(i));
    }
  }
}
