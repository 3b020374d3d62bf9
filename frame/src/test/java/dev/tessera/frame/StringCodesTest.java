package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.NullDictionaryMap;

/**
 * Columns built from dictionary codes hold the same values as Tablesaw's own value-by-value
 * copies, whatever the source's dictionary (byte, short or int keys), and stay usable:
 * counts, unique values and later appends (up to Tablesaw's promotion to wider keys).
 */
class StringCodesTest {
  /** A column of {@code n} values drawn from {@code distinct} names, about 1 in 10 missing. */
  private static StringColumn column(int n, int distinct, long seed) {
    Random r = new Random(seed);
    StringColumn c = StringColumn.create("s");
    for (int i = 0; i < n; i++) {
      if (r.nextInt(10) == 0) {
        c.appendMissing();
      } else {
        c.append("v" + r.nextInt(distinct));
      }
    }
    return c;
  }

  private static void assertSameValues(StringColumn want, StringColumn got) {
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), "row " + i);
      assertEquals(want.isMissing(i), got.isMissing(i), "row " + i);
    }
    assertEquals(want.countUnique(), got.countUnique());
    assertEquals(want.countMissing(), got.countMissing());
    assertEquals(want.unique().asSet(), got.unique().asSet());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 200, 300, 70_000})
  void takeMatchesTablesawsCopy(int distinct) {
    StringColumn c = column(150_000, distinct, distinct);
    Random r = new Random(7);
    for (int n : new int[] {0, 1, 17, 150_000}) {
      int[] rows = new int[n];
      StringColumn want = StringColumn.create("t");
      for (int i = 0; i < n; i++) {
        rows[i] = r.nextInt(20) == 0 ? -1 : r.nextInt(c.size());
        if (rows[i] < 0) {
          want.appendMissing();
        } else {
          want.append(c.get(rows[i]));
        }
      }
      StringColumn got = StringCodes.take(c, rows, n, "t");
      assertEquals("t", got.name());
      assertSameValues(want, got);
    }
  }

  @Test
  void concatMatchesAppend() {
    List<StringColumn> parts = new ArrayList<>();
    StringColumn want = StringColumn.create("s");
    // a small dictionary, an empty part, a large one, one value, all missing
    int[][] shapes = {{1000, 5}, {0, 1}, {80_000, 70_000}, {1, 1}, {0, 0}};
    for (int p = 0; p < shapes.length; p++) {
      StringColumn part = shapes[p][1] == 0 ? StringColumn.create("s", 3)
          : column(shapes[p][0], shapes[p][1], p);
      parts.add(part);
      want.append(part);
    }
    assertSameValues(want, StringCodes.concat(parts, "s"));
  }

  @Test
  void builtColumnsTakeNewValuesAndPromote() {
    StringCodes codes = new StringCodes();
    int n = 65_000 - 2;
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = codes.code("w" + i);
    }
    StringColumn col = codes.column("w", c, n);
    col.append("w0").append("new").appendMissing();
    for (int i = 0; i < 5000; i++) { // past the short keys: Tablesaw widens the dictionary
      col.append("more" + i);
    }
    assertEquals(n + 5003, col.size());
    assertEquals("w0", col.get(n));
    assertEquals("new", col.get(n + 1));
    assertTrue(col.isMissing(n + 2));
    assertEquals("more4999", col.get(col.size() - 1));
    assertEquals(2, col.countOccurrences("w0"));
    col.set(0, "w1");
    assertEquals(2, col.countOccurrences("w1"));
    assertEquals(0, col.countOccurrences("w0") - 1);
  }

  @Test
  void encodedColumnsDecodeToTheSameValues() {
    for (int distinct : new int[] {1, 300, 70_000}) {
      StringColumn c = column(100_000, distinct, 11);
      StringCodes.Encoded e = StringCodes.encode(c);
      assertTrue(e.values().length <= distinct);
      assertSameValues(c, StringCodes.decode("s", e));
    }
    StringCodes.Encoded bad = new StringCodes.Encoded(new String[] {"a"}, new int[] {0, 1});
    IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> StringCodes.decode("s", bad));
    assertTrue(x.getMessage().contains("column s: code 1"), x.getMessage());
  }

  @Test
  void textualColumnsAreLeftToTablesaw() {
    StringColumn text = StringColumn.createInternal("x", new NullDictionaryMap(column(10, 3, 1)
        .getDictionary()));
    assertNull(StringCodes.take(text, new int[] {0}, 1, "x"));
    assertNull(StringCodes.concat(List.of(text), "x"));
  }
}
