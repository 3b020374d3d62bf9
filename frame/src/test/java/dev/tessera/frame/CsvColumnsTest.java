package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
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
