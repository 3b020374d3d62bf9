package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

class WrapTest {
  @Test
  void tablesawConstructorsAreReachedSoNothingIsCopied() {
    // if a Tablesaw upgrade hides them, columns are still right but every build copies
    assertTrue(Wrap.direct(), "Tablesaw's column constructors are no longer reachable");
  }

  @Test
  void columnsHoldExactlyTheFirstNValues() {
    SplittableRandom r = new SplittableRandom(7);
    for (int n : new int[] {0, 1, 7, 100, 1 << 20}) {
      for (int slack : new int[] {0, 1, n / 8, n / 8 + 1, n + 16}) {
        double[] d = new double[n + slack];
        long[] l = new long[n + slack];
        int[] i = new int[n + slack];
        for (int k = 0; k < d.length; k++) {
          d[k] = k < n ? r.nextDouble() : 99;
          l[k] = k < n ? r.nextLong() : 99;
          i[k] = k < n ? r.nextInt() : 99;
        }
        double[] d0 = java.util.Arrays.copyOf(d, n);
        long[] l0 = java.util.Arrays.copyOf(l, n);
        int[] i0 = java.util.Arrays.copyOf(i, n);
        DoubleColumn dc = Wrap.doubles("d", d, n);
        LongColumn lc = Wrap.longs("l", l, n);
        IntColumn ic = Wrap.ints("i", i, n);
        assertEquals(n, dc.size());
        assertEquals(n, lc.size());
        assertEquals(n, ic.size());
        assertArrayEquals(d0, dc.asDoubleArray());
        assertArrayEquals(l0, lc.asLongArray());
        assertArrayEquals(i0, ic.asIntArray());
        // appends go past n, never into the caller's slack, and keep what was there
        dc.append(1.5);
        lc.append(5L);
        ic.append(5);
        assertEquals(1.5, dc.getDouble(n));
        assertEquals(5L, lc.getLong(n));
        assertEquals(5, ic.getInt(n));
        assertEquals(n + 1, dc.size());
        if (n > 0) {
          assertEquals(d0[n - 1], dc.getDouble(n - 1));
        }
      }
    }
  }

  @Test
  void wrappedColumnsBehaveLikeTablesawsOwnInTablesAndCopies() {
    double[] d = {1, Double.NaN, 3};
    long[] l = {1, Long.MIN_VALUE, 3};
    int[] i = {1, Integer.MIN_VALUE, 3};
    Table t = Table.create("t", Wrap.doubles("d", d.clone()), Wrap.longs("l", l.clone()),
        Wrap.ints("i", i.clone()));
    Table u = Table.create("t", DoubleColumn.create("d", d), LongColumn.create("l", l),
        IntColumn.create("i", i));
    assertEquals(u.toString(), t.toString());
    assertEquals(1, t.doubleColumn("d").countMissing());
    assertEquals(1, t.longColumn("l").countMissing());
    assertEquals(1, t.intColumn("i").countMissing());
    Table c = t.copy();
    c.doubleColumn("d").set(0, 42.0);
    assertEquals(1.0, t.doubleColumn("d").getDouble(0)); // a copy does not share the array
    assertEquals(u.sortOn("d").toString(), t.sortOn("d").toString());
  }
}
