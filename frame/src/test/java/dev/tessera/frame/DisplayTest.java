package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayTest {
  @Test
  void significantDigitsLikePandas() {
    assertEquals("785301", Display.significant(785301.1099999998, 6));
    assertEquals("785301.11", Display.significant(785301.1099999998, 8));
    assertEquals("0.123457", Display.significant(0.1234567891, 6));
    assertEquals("-2.5", Display.significant(-2.5, 6));
    assertEquals("3.0", Display.significant(3.0, 6));
    assertEquals("0.0", Display.significant(0.0, 6));
    assertEquals("100000.0", Display.significant(100000.0, 6));
    assertEquals("1.23457e+06", Display.significant(1234567.0, 6));
    assertEquals("1e+06", Display.significant(1e6, 6));
    assertEquals("1.5e-07", Display.significant(1.5e-7, 6));
    assertEquals("0.0001", Display.significant(1e-4, 6));
    assertEquals("1.23457e+100", Display.significant(1.234567e100, 6));
    assertEquals("NaN", Display.significant(Double.NaN, 6));
    assertEquals("0.1", Display.significant(0.1, 17).substring(0, 3));
    assertEquals("0.10000000000000001", Display.significant(0.1, 17));
  }

  @Test
  void computedTablesPrintWithTheDisplayPrecision() {
    Table t = Table.create("t", StringColumn.create("name", "a", "b", "c"),
        DoubleColumn.create("x", 785301.1099999998, 1.0 / 3, Double.NaN),
        IntColumn.create("n", 123456789, 2, 3));
    for (int parts : new int[] {1, 2}) {
      Table got = Frame.fromTable(t, parts).compute(Schedulers.sync());
      String printed = got.print();
      assertTrue(printed.contains("785301 "), printed);
      assertTrue(printed.contains("0.333333 "), printed);
      assertTrue(printed.contains("123456789"), printed); // integers untouched
      assertTrue(!printed.contains("1099999998"), printed);
      assertEquals(785301.1099999998, got.doubleColumn("x").get(0)); // values not rounded
    }
    String head = Frame.fromTable(t, 2).head(1).print();
    assertTrue(head.contains("785301 ") && !head.contains("0999"), head);
  }

  @Test
  void precisionIsConfigurable() {
    int before = Display.precision();
    try {
      Display.setPrecision(3);
      Table t = Table.create("t", DoubleColumn.create("x", 2.0 / 3));
      assertTrue(Display.format(t).print().contains("0.667"), t.print());
      assertTrue(!t.print().contains("0.6667"), t.print());
      assertThrows(IllegalArgumentException.class, () -> Display.setPrecision(0));
    } finally {
      Display.setPrecision(before);
    }
  }
}
