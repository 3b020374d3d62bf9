package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * CSV files as pandas 1.5 writes and reads them (src/test/resources/fixtures, made by
 * make_fixtures.py there): infinities, the default missing values, one-column frames, the
 * index column, date-times finer than a millisecond, and values that are Tablesaw's
 * missing-value markers.
 */
class PandasCsvTest {
  @TempDir Path dir;

  static String fixture(String name) throws Exception {
    return Path.of(PandasCsvTest.class.getResource("/fixtures/" + name).toURI()).toString();
  }

  static String failure(Frame f) {
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> f.compute(Schedulers.sync()));
    assertTrue(e.getCause() instanceof FrameException, e.toString());
    return e.getCause().getMessage();
  }

  @Test
  void infinitiesAreReadAndWrittenAsPandasDoes() throws Exception {
    Frame f = Frame.readCsv(fixture("inf.csv"));
    assertEquals(ColumnType.DOUBLE, f.dtypes().get("x"), "inf in the sample keeps DOUBLE");
    DoubleColumn x = f.compute(Schedulers.sync()).doubleColumn("x");
    assertEquals(1.5, x.get(0));
    assertEquals(Double.POSITIVE_INFINITY, x.get(1));
    assertEquals(Double.NEGATIVE_INFINITY, x.get(2));
    assertTrue(x.isMissing(3));
    // every spelling pandas reads
    Path g = dir.resolve("spellings.csv");
    Files.writeString(g, "x\nInf\n-INF\n+inf\nInfinity\n-infinity\n2\n");
    double[] got = Frame.readCsv(g.toString()).compute().doubleColumn("x").asDoubleArray();
    assertEquals(List.of(1.0, -1.0, 1.0, 1.0, -1.0), List.of(Math.signum(got[0]),
        Math.signum(got[1]), Math.signum(got[2]), Math.signum(got[3]), Math.signum(got[4])));
    assertTrue(Double.isInfinite(got[0]) && Double.isInfinite(got[4]));
    // written back as pandas writes them
    Path out = dir.resolve("out.csv");
    f.toCsvFile(out);
    assertEquals(Files.readString(Path.of(fixture("inf.csv"))), Files.readString(out));
  }

  @Test
  void pandasDefaultMissingValuesAreMissing() throws Exception {
    Table t = Frame.readCsv(fixture("na_values.csv")).compute(Schedulers.sync());
    List<String> pandas = Files.readAllLines(Path.of(fixture("na_values_pandas.csv")));
    assertEquals(ColumnType.DOUBLE, t.column("x").type());
    for (int i = 0; i < t.rowCount(); i++) {
      String[] isna = pandas.get(i + 1).split(",");
      String row = "row " + i + " ('" + Files.readAllLines(Path.of(fixture("na_values.csv")))
          .get(i + 1) + "')";
      if (t.longColumn("i").get(i) == 19) {
        // None: missing in pandas 2 (and here); pandas 1.5 read it as a string
        assertTrue(t.column("x").isMissing(i) && t.column("s").isMissing(i), row);
        continue;
      }
      assertEquals(isna[1].equals("1"), t.column("x").isMissing(i), row);
      assertEquals(isna[2].equals("1"), t.column("s").isMissing(i), row);
    }
    // the documented set is pandas' set (plus None)
    Set<String> pandasSet = Set.copyOf(Files.readAllLines(Path.of(fixture("na_values_set.txt"))));
    assertTrue(CsvOptions.defaults().missingValues().containsAll(pandasSet));
    assertEquals(pandasSet.size() + 2, CsvOptions.defaults().missingValues().size(),
        "pandas' set, \"\" and None");
    // replacing the set: NA is a string again
    Table own = Frame.readCsv(fixture("na_values.csv"), CsvOptions.defaults()
        .missingValues("", "n/a").type("x", ColumnType.STRING)).compute();
    assertEquals("NA", own.stringColumn("s").get(11));
    assertTrue(own.stringColumn("s").isMissing(14));
  }

  @Test
  void oneColumnFramesKeepTheirMissingRows() throws Exception {
    Frame f = Frame.readCsv(fixture("single_column.csv"));
    Table t = f.compute(Schedulers.sync());
    assertEquals(4, t.rowCount());
    assertTrue(t.doubleColumn("x").isMissing(1) && t.doubleColumn("x").isMissing(3));
    Path out = dir.resolve("one.csv");
    f.repartition(2).toCsvFile(out);
    assertEquals(Files.readString(Path.of(fixture("single_column.csv"))), Files.readString(out),
        "what pandas writes");
    Frame s = Frame.readCsv(fixture("single_column_str.csv"));
    Path outS = dir.resolve("one-str.csv");
    s.toCsvFile(outS);
    assertEquals(Files.readString(Path.of(fixture("single_column_str.csv"))),
        Files.readString(outS));
    Table back = Frame.readCsv(outS.toString()).compute();
    assertEquals(3, back.rowCount());
    assertTrue(back.stringColumn("s").isMissing(1));
    // several columns: missing values stay empty fields, as pandas writes them
    Table two = Table.create("t", DoubleColumn.create("a", 1.0, Double.NaN),
        StringColumn.create("b", "x", null));
    Path outT = dir.resolve("two.csv");
    Frame.fromTable(two, 1).toCsvFile(outT);
    assertEquals("a,b\n1.0,x\n,\n", Files.readString(outT));
  }

  @Test
  void theIndexColumnOfToCsvIsUnnamed0() throws Exception {
    Frame f = Frame.readCsv(fixture("with_index.csv"));
    assertEquals(List.of("Unnamed: 0", "a", "b"), f.columns());
    Table t = f.compute(Schedulers.sync());
    assertEquals(2, t.longColumn("Unnamed: 0").get(2));
    assertEquals(30, t.longColumn("a").get(2));
    // repeated names become a.1, a.2 as in pandas (which gives a, a.2, a.1 here)
    Path g = dir.resolve("dupes.csv");
    Files.writeString(g, "a,a,a.1,,b\n1,2,3,4,5\n");
    assertEquals(List.of("a", "a.2", "a.1", "Unnamed: 3", "b"),
        Frame.readCsv(g.toString()).columns());
  }

  @Test
  void dateTimesFinerThanAMillisecondAreKeptOrRefusedNeverCut() throws Exception {
    // milliseconds fit Tablesaw's LOCAL_DATE_TIME
    Frame ms = Frame.readCsv(fixture("datetime_ms.csv"));
    assertEquals(ColumnType.LOCAL_DATE_TIME, ms.dtypes().get("t"));
    assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000),
        ms.compute().dateTimeColumn("t").get(0));
    // finer: inferred as STRING, every digit kept
    for (String file : List.of("datetime_us.csv", "datetime_ns.csv")) {
      Frame f = Frame.readCsv(fixture(file));
      assertEquals(ColumnType.STRING, f.dtypes().get("t"), file);
      List<String> lines = Files.readAllLines(Path.of(fixture(file)));
      assertEquals(lines.get(1).split(",")[1], f.compute().stringColumn("t").get(0));
      // asked for LOCAL_DATE_TIME: refused, naming the column and the fix
      String m = failure(Frame.readCsv(fixture(file), CsvOptions.defaults()
          .type("t", ColumnType.LOCAL_DATE_TIME)));
      assertTrue(m.contains(file + ", line 2, column 't'") && m.contains("finer than a"
          + " millisecond") && m.contains("ColumnType.STRING"), m);
    }
  }

  @Test
  void tablesawsMissingMarkersAreDataNeverSilentlyMissing() throws Exception {
    // inferred: both whole-number columns stay LONG; -2^31 fits a LONG
    Frame f = Frame.readCsv(fixture("sentinels.csv"));
    assertEquals(ColumnType.LONG, f.dtypes().get("i32"));
    assertEquals(ColumnType.LONG, f.dtypes().get("i64"));
    Table i32 = f.select("i32").compute();
    assertEquals(-2147483648L, i32.longColumn("i32").get(0));
    assertFalse(i32.longColumn("i32").isMissing(0));
    // -2^63 is Tablesaw's missing LONG: refused, naming it and the fix
    String m = failure(f.select("i64"));
    assertTrue(m.contains("column 'i64'") && m.contains("-9223372036854775808")
        && m.contains("mark missing values") && m.contains("ColumnType.STRING"), m);
    Table s = Frame.readCsv(fixture("sentinels.csv"), CsvOptions.defaults()
        .type("i64", ColumnType.STRING)).compute();
    assertEquals("-9223372036854775808", s.stringColumn("i64").get(0));
    // INTEGER given: -2^31 is its marker
    m = failure(Frame.readCsv(fixture("sentinels.csv"), CsvOptions.defaults()
        .type("i32", ColumnType.INTEGER)).select("i32"));
    assertTrue(m.contains("'-2147483648' is a valid INTEGER") && m.contains("ColumnType.LONG"),
        m);
    // SHORT (through Tablesaw's own parser): -32768 is its marker
    Path g = dir.resolve("short.csv");
    Files.writeString(g, "v\n-32768\n5\n");
    m = failure(Frame.readCsv(g.toString(), CsvOptions.defaults().type("v", ColumnType.SHORT)));
    assertTrue(m.contains("'-32768' is a valid SHORT"), m);
    Files.writeString(g, "v\n-32767\n5\n");
    Table ok = Frame.readCsv(g.toString(), CsvOptions.defaults().type("v", ColumnType.SHORT))
        .compute();
    assertEquals(-32767, (int) ok.shortColumn("v").get(0));
  }

  @Test
  void parseErrorsSayWhereTheTypeCameFromAndSuggestOneThatParses() throws Exception {
    StringBuilder sb = new StringBuilder("n,x\n");
    for (int i = 0; i < 2000; i++) {
      sb.append(i).append(',').append(i).append('\n');
    }
    sb.append("2000,59001.0\n");
    Path f = dir.resolve("late-double.csv");
    Files.writeString(f, sb, StandardCharsets.UTF_8);
    CsvOptions small = CsvOptions.defaults().sampleBytes(1000);
    String inferred = failure(Frame.readCsv(f.toString(), small));
    assertTrue(inferred.contains("'59001.0' does not parse as LONG (types are inferred")
        && inferred.contains("CsvOptions.type(\"x\", ColumnType.DOUBLE)"), inferred);
    String given = failure(Frame.readCsv(f.toString(), CsvOptions.defaults()
        .type("x", ColumnType.LONG)));
    assertTrue(given.contains("'59001.0' does not parse as LONG, the type given with"
        + " CsvOptions.type") && !given.contains("inferred")
        && given.contains("ColumnType.DOUBLE"), given);
    // the suggestion works
    assertEquals(59001.0, Frame.readCsv(f.toString(), small.type("x", ColumnType.DOUBLE))
        .max("x").compute());
    Path g = dir.resolve("word.csv");
    Files.writeString(g, "x\n1.5\nabc\n");
    String word = failure(Frame.readCsv(g.toString(), CsvOptions.defaults()
        .type("x", ColumnType.DOUBLE)));
    assertTrue(word.contains("ColumnType.STRING"), word);
    Path h = dir.resolve("big.csv");
    Files.writeString(h, "x\n1\n3000000000\n");
    String big = failure(Frame.readCsv(h.toString(), CsvOptions.defaults()
        .type("x", ColumnType.INTEGER)));
    assertTrue(big.contains("does not parse as INTEGER") && big.contains("ColumnType.LONG"),
        big);
  }

  @Test
  void statisticsOfNoRowsAreNaN() throws Exception {
    Frame f = Frame.readCsv(fixture("inf.csv"));
    Frame none = f.filter(Expr.col("id").gt(100));
    assertTrue(Double.isNaN(none.mean("x").compute()));
    assertTrue(Double.isNaN(none.min("x").compute()));
    assertTrue(Double.isNaN(none.max("x").compute()));
    assertTrue(Double.isNaN(none.std("x").compute()));
    assertTrue(Double.isNaN(none.var("x").compute()));
    assertEquals(0.0, none.sum("x").compute());
    assertEquals(0L, none.count("x").compute());
    // the README's line: a double, no NullPointerException
    double m = f.filter(Expr.col("id").gt(100)).mean("id").compute();
    assertTrue(Double.isNaN(m));
    // only missing values: the same
    assertTrue(Double.isNaN(f.filter(Expr.col("id").eq(4)).mean("x").compute()));
    GraphException e = assertThrows(GraphException.class,
        () -> Frame.readCsv(fixture("with_index.csv")).min("b"));
    assertTrue(e.getMessage().contains("'b' is STRING") && e.getMessage()
        .contains("Agg.min(\"b\")"), e.getMessage());
  }
}
