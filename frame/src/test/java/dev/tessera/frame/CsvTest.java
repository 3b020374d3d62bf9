package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

class CsvTest {
  @TempDir Path dir;

  static final ColumnType[] TYPES = {ColumnType.LONG, ColumnType.STRING, ColumnType.DOUBLE,
      ColumnType.LONG, ColumnType.LOCAL_DATE, ColumnType.BOOLEAN};

  @Test
  void readsOneFileOnManyBlocksizesLikeTablesaw() throws IOException {
    Table t = TestData.random(500, 1, 0.1);
    Path f = TestData.writeCsv(t, dir.resolve("a.csv"));
    Table tablesaw = Table.read().usingOptions(CsvReadOptions.builder(f.toFile())
        .columnTypes(TYPES).missingValueIndicator("").build());
    for (long bs : new long[] {0, 37, 100, 1000, 4096, 1 << 20}) {
      Frame fr = Frame.readCsv(f.toString(), CsvOptions.defaults().blocksize(bs));
      assertEquals(Schema.of(t), fr.schema(), "inferred types");
      Table got = fr.compute(Schedulers.sync());
      TestData.assertSameTable(t, got, true);
      TestData.assertSameTable(tablesaw, got, true);
      if (bs == 37) {
        assertTrue(fr.npartitions() > 100, "tiny blocks: many partitions, many empty");
      }
    }
  }

  @Test
  void readsGlobDirectoryAndGzip() throws IOException {
    Table a = TestData.random(300, 2, 0.05);
    Table b = TestData.random(1, 3, 0.0);
    Table c = TestData.random(0, 4, 0.0);
    TestData.writeCsv(a, dir.resolve("d/part-0.csv"));
    TestData.writeCsv(b, dir.resolve("d/part-1.csv"));
    TestData.writeCsv(c, dir.resolve("d/part-2.csv"));
    Files.writeString(dir.resolve("d/.hidden"), "junk");
    Table all = a.copy().append(b).append(c);
    CsvOptions o = CsvOptions.defaults().blocksize(2000);
    Frame viaDir = Frame.readCsv(dir.resolve("d").toString(), o);
    Frame viaGlob = Frame.readCsv(dir.resolve("d").toString() + "/part-*.csv", o);
    TestData.assertSameTable(all, viaDir.compute(Schedulers.sync()), true);
    TestData.assertSameTable(all, viaGlob.compute(), true);
    // gzip: one partition per file
    for (int i = 0; i < 3; i++) {
      byte[] bytes = Files.readAllBytes(dir.resolve("d/part-" + i + ".csv"));
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(
          dir.resolve("g/p" + i + ".csv.gz").getParent() == null ? null
          : Files.createDirectories(dir.resolve("g")).resolve("p" + i + ".csv.gz")))) {
        out.write(bytes);
      }
    }
    Frame gz = Frame.readCsv(dir.resolve("g/*.csv.gz").toString(), o);
    assertEquals(3, gz.npartitions());
    TestData.assertSameTable(all, gz.compute(), true);
  }

  @Test
  void explicitTypesAndMissingValues() throws IOException {
    Path f = dir.resolve("m.csv");
    Files.writeString(f, "a,b,c\n1,NA,x\n,2.5,\n3,,z\r\n");
    Frame fr = Frame.readCsv(f.toString(), CsvOptions.defaults().type("a", ColumnType.DOUBLE));
    assertEquals(ColumnType.DOUBLE, fr.dtypes().get("a"));
    assertEquals(ColumnType.DOUBLE, fr.dtypes().get("b"));
    assertEquals(ColumnType.STRING, fr.dtypes().get("c"));
    Table t = fr.compute();
    assertEquals(3, t.rowCount());
    assertTrue(t.doubleColumn("a").isMissing(1));
    assertTrue(t.doubleColumn("b").isMissing(0));
    assertTrue(t.doubleColumn("b").isMissing(2));
    assertEquals("z", t.stringColumn("c").get(2));
    assertTrue(t.stringColumn("c").isMissing(1));
  }

  @Test
  void quotedFieldsWithSeparatorsQuotesAndLineBreaks() throws IOException {
    Path f = dir.resolve("q.csv");
    Files.writeString(f, "id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n",
        StandardCharsets.UTF_8);
    Table t = Frame.readCsv(f.toString(), CsvOptions.defaults().blocksize(0)).compute();
    assertEquals(4, t.rowCount());
    assertEquals("a,b", t.stringColumn("text").get(0));
    assertEquals("say \"hi\"", t.stringColumn("text").get(1));
    assertEquals("two\nlines", t.stringColumn("text").get(2));
    // split into blocks, the line break inside quotes is refused with a clear message
    Frame split = Frame.readCsv(f.toString(), CsvOptions.defaults().blocksize(8));
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> split.compute(Schedulers.sync()));
    assertTrue(e.getCause().getMessage().contains("line break"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("blocksize(0)"), e.getCause().getMessage());
  }

  @Test
  void fieldEndScansEightBytesAtATimeLikeOneAtATime() {
    java.util.Random r = new java.util.Random(3);
    byte[] alphabet = {'a', ',', ';', '\n', (byte) 0xc3, (byte) 0xa9, 0, '"', '\r', 0x7f};
    for (int trial = 0; trial < 2000; trial++) {
      byte[] b = new byte[r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = r.nextInt(4) == 0 ? alphabet[r.nextInt(alphabet.length)] : (byte) ('a' + i % 26);
      }
      byte sep = r.nextBoolean() ? (byte) ',' : (byte) ';';
      int from = b.length == 0 ? 0 : r.nextInt(b.length);
      int expected = from;
      while (expected < b.length && b[expected] != sep && b[expected] != '\n') {
        expected++;
      }
      assertEquals(expected, CsvBytes.fieldEnd(b, from, b.length, 0x0101010101010101L * sep));
    }
  }

  @Test
  void stringColumnsBuiltFromCodesBehaveLikeTablesawsOwn() throws IOException {
    Path f = dir.resolve("s.csv");
    StringBuilder sb = new StringBuilder("s,n\n");
    java.util.Random r = new java.util.Random(8);
    tech.tablesaw.api.StringColumn expected = tech.tablesaw.api.StringColumn.create("s");
    for (int i = 0; i < 3000; i++) {
      String v = r.nextInt(10) == 0 ? "" : "v" + r.nextInt(i < 1500 ? 40 : 700);
      sb.append(v).append(',').append(i).append('\n');
      expected.append(v);
    }
    sb.append("\"caf\u00e9, \"\"x\"\"\",1\n");
    expected.append("caf\u00e9, \"x\"");
    Files.writeString(f, sb, StandardCharsets.UTF_8);
    tech.tablesaw.api.StringColumn got = Frame.readCsv(f.toString()).compute()
        .stringColumn("s");
    assertEquals(expected.asList(), got.asList());
    assertEquals(expected.countUnique(), got.countUnique());
    assertEquals(expected.countMissing(), got.countMissing());
    assertEquals(expected.countOccurrences("v3"), got.countOccurrences("v3"));
    assertEquals(expected.isEqualTo("v7").size(), got.isEqualTo("v7").size());
    tech.tablesaw.api.StringColumn es = expected.copy();
    es.sortAscending();
    tech.tablesaw.api.StringColumn gs = got.copy();
    gs.sortAscending();
    assertEquals(es.asList(), gs.asList());
    assertEquals(expected.unique().size(), got.unique().size());
    // appending values old and new, as concatenating partitions does
    got.append("v3").append("brand new").appendMissing();
    expected.append("v3").append("brand new").appendMissing();
    assertEquals(expected.asList(), got.asList());
    assertEquals(expected.countUnique(), got.countUnique());
    assertEquals(expected.countOccurrences("brand new"), got.countOccurrences("brand new"));
    got.set(0, "changed");
    expected.set(0, "changed");
    assertEquals(expected.asList(), got.asList());
    assertEquals(expected.countByCategory().rowCount(), got.countByCategory().rowCount());
  }

  @Test
  void byteOrderMarkAndNoFinalLineBreak() throws IOException {
    Path f = dir.resolve("bom.csv");
    Files.write(f, ("\ufeffa,b\n1,x\n2,y").getBytes(StandardCharsets.UTF_8));
    Frame fr = Frame.readCsv(f.toString());
    assertEquals(java.util.List.of("a", "b"), fr.columns());
    Table t = fr.compute();
    assertEquals(2, t.rowCount());
    assertEquals("y", t.stringColumn("b").get(1));
  }

  @Test
  void missingFileAndEmptyGlobFailAtBuildTime() {
    GraphException e = assertThrows(GraphException.class,
        () -> Frame.readCsv(dir.resolve("nope.csv").toString()));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    GraphException g = assertThrows(GraphException.class,
        () -> Frame.readCsv(dir.resolve("*.csv").toString()));
    assertTrue(g.getMessage().contains("no file matches"), g.getMessage());
  }

  @Test
  void differentHeadersFailAtBuildTime() throws IOException {
    Files.writeString(dir.resolve("h1.csv"), "a,b\n1,2\n");
    Files.writeString(dir.resolve("h2.csv"), "a,c\n1,2\n");
    GraphException e = assertThrows(GraphException.class,
        () -> Frame.readCsv(dir.resolve("h*.csv").toString()));
    assertTrue(e.getMessage().contains("h2.csv") && e.getMessage().contains("[a, c]"),
        e.getMessage());
  }

  @Test
  void wrongFieldCountsNameFileAndLine() throws IOException {
    StringBuilder sb = new StringBuilder("a,b\n");
    for (int i = 0; i < 200; i++) {
      sb.append(i).append(',').append(i).append('\n');
    }
    String good = sb.toString();
    Path many = dir.resolve("many.csv");
    Files.writeString(many, good + "7,8,9\n");
    Path few = dir.resolve("few.csv");
    Files.writeString(few, good + "5,6\n7\n");
    for (long bs : new long[] {0, 300}) {
      CsvOptions o = CsvOptions.defaults().blocksize(bs);
      // found when the sample is read (build time) or when the partition is read
      String m = failure(() -> Frame.readCsv(many.toString(), o).compute(Schedulers.sync()));
      assertTrue(m.contains("many.csv, line 202") && m.contains("more than the 2 fields"), m);
      m = failure(() -> Frame.readCsv(few.toString(), o.sampleBytes(100))
          .compute(Schedulers.sync()));
      assertTrue(m.contains("few.csv, line 203") && m.contains("has 1 field"), m);
    }
  }

  /** The message of a FrameException thrown directly or as the cause of a failed task. */
  static String failure(org.junit.jupiter.api.function.Executable run) {
    Throwable t = assertThrows(RuntimeException.class, run);
    if (t instanceof TaskFailedException) {
      t = t.getCause();
    }
    assertTrue(t instanceof FrameException, t.toString());
    return t.getMessage();
  }

  @Test
  void valueThatDoesNotParseNamesFileLineAndColumn() throws IOException {
    StringBuilder sb = new StringBuilder("n,x\n");
    for (int i = 0; i < 5000; i++) {
      sb.append(i).append(',').append(i * 0.5).append('\n');
    }
    sb.append("5000,oops\n");
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, sb);
    CsvOptions o = CsvOptions.defaults().blocksize(10_000).sampleBytes(1000);
    Frame fr = Frame.readCsv(f.toString(), o);
    assertEquals(ColumnType.DOUBLE, fr.dtypes().get("x"));
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> fr.compute(Schedulers.sync()));
    String m = e.getCause().getMessage();
    assertTrue(m.contains("bad.csv, line 5002, column 'x'") && m.contains("'oops'")
        && m.contains("DOUBLE"), m);
    // the fix the message suggests works
    Table t = Frame.readCsv(f.toString(), o.type("x", ColumnType.STRING)).compute();
    assertEquals("oops", t.stringColumn("x").get(5000));
  }
}
