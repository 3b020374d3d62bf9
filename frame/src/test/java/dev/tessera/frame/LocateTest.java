package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** loc and iloc against selecting the same rows of the table directly. */
class LocateTest {
  @Test
  void ilocLikeARangeOfTheTable() {
    for (int rows : new int[] {0, 1, 3, 200}) {
      Table t = TestData.random(rows, 131 + rows, 0.1);
      for (int parts : new int[] {1, 4, 9}) {
        Frame f = Frame.fromTable(t, parts);
        for (long[] r : new long[][] {{0, 0}, {0, 1}, {1, 3}, {0, rows}, {rows / 2, rows + 5},
            {rows + 1, rows + 9}, {7, 150}}) {
          int from = (int) Math.min(r[0], rows);
          int to = (int) Math.min(r[1], rows);
          Frame got = f.iloc(r[0], r[1]);
          TestData.assertSameTable(t.inRange(from, Math.max(from, to)),
              got.compute(Schedulers.sync()), true);
          assertTrue(got.npartitions() <= parts);
        }
      }
    }
    assertThrows(GraphException.class, () -> Frame.fromTable(TestData.random(3, 1, 0), 1)
        .iloc(2, 1));
  }

  @Test
  void locReadsOnlyThePartitionsThatHoldTheKeys() {
    Table t = TestData.random(1000, 141, 0.0);
    Frame byId = Frame.fromTable(t, 8).setIndex("id");
    assertEquals(8, byId.npartitions());
    for (long[] r : new long[][] {{100, 120}, {0, 0}, {999, 999}, {-5, 3}, {500, 499},
        {2000, 3000}}) {
      Frame got = byId.loc(r[0], r[1]);
      Table direct = t.where(t.longColumn("id").isBetweenInclusive(r[0], r[1]));
      TestData.assertSameTable(direct, got.compute(), false);
      assertTrue(got.npartitions() <= 2, r[0] + ".." + r[1] + ": " + got.npartitions());
    }
    TestData.assertSameTable(t.where(t.longColumn("id").isEqualTo(42)), byId.loc(42L)
        .compute(), false);
    Frame byName = Frame.fromTable(TestData.random(300, 142, 0.0), 5).setIndex("name");
    Table n = byName.compute();
    TestData.assertSameTable(n.where(n.stringColumn("name").isEqualTo("cy")),
        byName.loc("cy").compute(), false);
    assertThrows(GraphException.class, () -> Frame.fromTable(t, 2).loc(1));
    assertThrows(GraphException.class, () -> byId.loc("a"));
  }
}
