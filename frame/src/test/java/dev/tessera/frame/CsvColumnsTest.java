package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.columns.dates.PackedLocalDate;

/** The CSV reader's own parsers agree with java.time and with the missing-value list. */
class CsvColumnsTest {
  @Test
  void datesParseExactlyWhenJavaTimeDoes() {
    for (int y : new int[] {1900, 1999, 2000, 2023, 2024, 2100, 2400}) {
      for (int m = 1; m <= 12; m++) {
        for (int d = 0; d <= 32; d++) {
          String s = String.format("%04d-%02d-%02d", y, m, d);
          byte[] b = ("," + s).getBytes(StandardCharsets.UTF_8);
          int want;
          try {
            want = PackedLocalDate.pack(LocalDate.of(y, m, d));
          } catch (DateTimeException e) {
            want = Integer.MIN_VALUE;
          }
          assertEquals(want, CsvColumns.parseDate(b, 1, s.length()), s);
        }
      }
    }
  }

  @Test
  void longsParseAsLongParseLongDoesUpToTheMissingMarker() {
    java.util.Random r = new java.util.Random(3);
    List<String> cases = new java.util.ArrayList<>(List.of("0", "-0", "+5", "7", "-12",
        "999999999999999999", "-999999999999999999", "9223372036854775807",
        "-9223372036854775807", "1000000000000000000", "9223372036854775808",
        "-9223372036854775808", "99999999999999999999", "", "-", "+", "12a", "1 2", "0x1"));
    for (int i = 0; i < 2000; i++) {
      cases.add(Long.toString(r.nextLong() >> r.nextInt(64)));
    }
    for (String s : cases) {
      long want;
      try {
        want = Long.parseLong(s);
      } catch (NumberFormatException e) {
        want = Long.MIN_VALUE;
      }
      byte[] b = ("," + s + ",").getBytes(StandardCharsets.UTF_8);
      // Long.MIN_VALUE is Tablesaw's missing LONG: refused like a value that does not parse
      assertEquals(want, CsvColumns.parseLong(b, 1, s.length()), s);
    }
  }

  @Test
  void missingValuesMatchWholeFieldsOnly() {
    CsvFormat f = new CsvFormat(',', java.util.List.of("a"), PandasNa.DEFAULT);
    for (String s : PandasNa.DEFAULT) {
      byte[] b = ("x" + s + "y").getBytes(StandardCharsets.UTF_8);
      assertEquals(true, f.isMissing(b, 1, b.length - 2), s);
      if (!s.isEmpty()) { // the same bytes with one more, one less, or one changed
        assertEquals(false, f.isMissing(b, 1, b.length - 1), s + "y");
        assertEquals(false, f.isMissing(b, 0, b.length - 2), "x" + s);
        byte[] c = b.clone();
        c[b.length - 2] ^= 0x20;
        assertEquals(PandasNa.DEFAULT.contains(new String(c, 1, c.length - 2,
            StandardCharsets.UTF_8)), f.isMissing(c, 1, c.length - 2), s + " changed");
      }
    }
    byte[] b = "0.5,name,12".getBytes(StandardCharsets.UTF_8);
    assertEquals(false, f.isMissing(b, 0, 3));
    assertEquals(false, f.isMissing(b, 4, 4));
    assertEquals(false, new CsvFormat(',', java.util.List.of("a"), java.util.Set.of("-"))
        .isMissing(b, 0, 0));
  }
}
