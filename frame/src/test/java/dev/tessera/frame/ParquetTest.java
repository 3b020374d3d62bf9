package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Task;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ParquetTest {
  @TempDir Path dir;

  @Test
  void roundTripsEveryCodecAndPartitioningIncludingEmptyPartitions() {
    Table t = TestData.random(700, 11, 0.1);
    int run = 0;
    for (int parts : new int[] {1, 3, 7}) {
      for (ParquetCodec codec : ParquetCodec.values()) {
        Path out = dir.resolve("rt" + run++);
        List<String> files = Frame.fromTable(t, parts).toParquet(out,
            ParquetOptions.defaults().codec(codec));
        assertEquals(parts, files.size());
        Frame back = Frame.readParquet(out.toString());
        assertEquals(Schema.of(t), back.schema());
        assertEquals(parts, back.npartitions(), "one row group per file");
        TestData.assertSameTable(t, back.compute(Schedulers.sync()), true);
      }
    }
    // more partitions than rows: empty files are written and read back as no rows
    Table few = TestData.random(2, 12, 0.0);
    Path out = dir.resolve("few");
    Frame.fromTable(few, 5).toParquet(out);
    try (var s = Files.list(out)) {
      assertEquals(5, s.count());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    TestData.assertSameTable(few, Frame.readParquet(out.toString()).compute(), true);
    Table none = TestData.random(0, 13, 0.0);
    Path empty = dir.resolve("empty");
    Frame.fromTable(none, 1).toParquet(empty);
    Frame e = Frame.readParquet(empty.toString());
    assertEquals(1, e.npartitions());
    TestData.assertSameTable(none, e.compute(), true);
  }

  @Test
  void partitionsPerRowGroupPerFileOrBySize() {
    Table t = TestData.random(5000, 21, 0.05);
    Path out = dir.resolve("rg");
    Frame.fromTable(t, 2).toParquet(out, ParquetOptions.defaults().rowGroupBytes(4096));
    Frame perGroup = Frame.readParquet(out.toString());
    Frame perFile = Frame.readParquet(out + "/*.parquet", ParquetOptions.defaults()
        .blocksize(0));
    Frame merged = Frame.readParquet(out.toString(), ParquetOptions.defaults()
        .blocksize(20_000));
    assertTrue(perGroup.npartitions() > 4, "small row groups: " + perGroup.npartitions());
    assertEquals(2, perFile.npartitions());
    assertTrue(merged.npartitions() > 2 && merged.npartitions() < perGroup.npartitions(),
        perGroup.npartitions() + " > " + merged.npartitions());
    for (Frame f : List.of(perGroup, perFile, merged)) {
      TestData.assertSameTable(t, f.compute(), true);
      // an operation on top: the same as Tablesaw on the whole table
      Table direct = t.where(t.doubleColumn("x").isGreaterThan(1.0));
      TestData.assertSameTable(direct, f.filter(Expr.col("x").gt(1.0)).compute(), true);
    }
  }

  @Test
  void readsOnlyTheColumnsTheGraphUses() {
    Table t = TestData.random(300, 31, 0.1);
    Path out = dir.resolve("proj");
    Frame.fromTable(t, 3).toParquet(out);
    Frame f = Frame.readParquet(out.toString());
    Frame sums = f.groupby("name").agg(Agg.sum("x"));
    List<List<String>> read = new ArrayList<>();
    for (Task task : sums.graph().tasks().values()) {
      if (task.function() instanceof Source.PartitionTask p
          && p.loader() instanceof ParquetSource.ParquetLoader l) {
        read.add(l.read());
      }
    }
    assertEquals(3, read.size());
    for (List<String> r : read) {
      assertEquals(List.of("name", "x"), r);
    }
    Table named = t.where(t.stringColumn("name").isNotMissing());
    Table direct = named.summarize("x", tech.tablesaw.aggregate.AggregateFunctions.sum)
        .by("name").sortOn("name");
    Table got = sums.compute();
    assertEquals(direct.stringColumn(0).asList(), got.stringColumn("name").asList());
    for (int i = 0; i < got.rowCount(); i++) {
      assertEquals(direct.doubleColumn(1).get(i), got.doubleColumn(1).get(i), 1e-9);
    }
    // columns(...) chooses the frame's columns and their order
    Frame two = Frame.readParquet(out.toString(), ParquetOptions.defaults().columns("x", "id"));
    assertEquals(List.of("x", "id"), two.columns());
    TestData.assertSameTable(t.selectColumns("x", "id"), two.compute(), true);
  }

  @Test
  void filtersSkipRowGroupsByStatisticsAndKeepExactlyTheMatchingRows() {
    Table t = TestData.random(4000, 41, 0.1); // id ascending: selective statistics
    Path out = dir.resolve("filt");
    Frame.fromTable(t, 4).toParquet(out, ParquetOptions.defaults().rowGroupBytes(4096));
    int all = Frame.readParquet(out.toString()).npartitions();
    LocalDate d = LocalDate.of(2025, 6, 1);
    Object[][] cases = {
        {ParquetFilter.of("id", "<", 100), Expr.col("id").lt(100)},
        {ParquetFilter.of("id", "<=", 100), Expr.col("id").le(100)},
        {ParquetFilter.of("id", ">", 3900.5), Expr.col("id").gt(3900.5)},
        {ParquetFilter.of("id", ">=", 3999), Expr.col("id").ge(3999)},
        {ParquetFilter.of("id", "==", 1234), Expr.col("id").eq(1234)},
        {ParquetFilter.of("id", "=", -5), Expr.col("id").eq(-5)},
        {ParquetFilter.of("id", "!=", 7), Expr.col("id").ne(7)},
        {ParquetFilter.of("id", "in", List.of(3, 2500, 9999)),
            Expr.col("id").eq(3).or(Expr.col("id").eq(2500)).or(Expr.col("id").eq(9999))},
        {ParquetFilter.of("k", "not in", List.of(0, 1)),
            Expr.col("k").ne(0).and(Expr.col("k").ne(1))},
        {ParquetFilter.of("name", "==", "bob"), Expr.col("name").eq("bob")},
        {ParquetFilter.of("name", ">=", "ed"), Expr.col("name").ge("ed")},
        {ParquetFilter.of("x", ">", 15.0), Expr.col("x").gt(15.0)},
        {ParquetFilter.of("day", "<", d), Expr.col("day").lt(d)},
        {ParquetFilter.of("ok", "==", true), Expr.col("ok").eq(true)},
    };
    for (Object[] c : cases) {
      ParquetFilter pf = (ParquetFilter) c[0];
      Frame f = Frame.readParquet(out.toString(), ParquetOptions.defaults().filter(pf));
      Table direct = t.where(((Expr) c[1]).select(t));
      TestData.assertSameTable(direct, f.compute(Schedulers.sync()), true);
      if (pf.column().equals("id") && !pf.op().equals("!=")) {
        assertTrue(f.npartitions() < all, pf + ": " + f.npartitions() + " of " + all);
      }
    }
    // OR of ANDs, on a column the frame does not hold
    ParquetOptions dnf = ParquetOptions.defaults().columns("name", "x")
        .filter(ParquetFilter.of("id", "<", 50), ParquetFilter.of("x", ">", 0))
        .filter(ParquetFilter.of("id", ">=", 3950));
    Frame f = Frame.readParquet(out.toString(), dnf);
    assertEquals(List.of("name", "x"), f.columns());
    Expr cond = Expr.col("id").lt(50).and(Expr.col("x").gt(0)).or(Expr.col("id").ge(3950));
    TestData.assertSameTable(t.where(cond.select(t)).selectColumns("name", "x"), f.compute(),
        true);
    assertTrue(f.npartitions() <= 3, "two ends of the file: " + f.npartitions());
    // a filter that rules out everything still gives a frame of one empty partition
    Frame nothing = Frame.readParquet(out.toString(), ParquetOptions.defaults()
        .filter(ParquetFilter.of("id", ">", 1_000_000)));
    assertEquals(1, nothing.npartitions());
    assertEquals(0, nothing.compute().rowCount());
  }

  @Test
  void badInputFailsAtBuildTimeWithTheFix() throws IOException {
    Path out = dir.resolve("bad");
    Frame.fromTable(TestData.random(10, 51, 0.0), 1).toParquet(out);
    GraphException noFile = assertThrows(GraphException.class,
        () -> Frame.readParquet(dir.resolve("nope/*.parquet").toString()));
    assertTrue(noFile.getMessage().startsWith("readParquet: no file matches"),
        noFile.getMessage());
    GraphException col = assertThrows(GraphException.class, () -> Frame.readParquet(
        out.toString(), ParquetOptions.defaults().filter(ParquetFilter.of("nmae", "==", "a"))));
    assertTrue(col.getMessage().contains("no column 'nmae'"), col.getMessage());
    assertThrows(GraphException.class, () -> Frame.readParquet(out.toString(),
        ParquetOptions.defaults().filter(ParquetFilter.of("name", ">", 3))));
    assertThrows(IllegalArgumentException.class, () -> ParquetFilter.of("x", "~", 1));
    assertThrows(IllegalArgumentException.class, () -> ParquetFilter.of("x", "in", 1));
    Files.writeString(dir.resolve("bad/notes.parquet"), "not parquet at all");
    GraphException notPq = assertThrows(GraphException.class,
        () -> Frame.readParquet(out.toString()));
    assertTrue(notPq.getMessage().contains("notes.parquet")
        && notPq.getMessage().contains("not a readable Parquet file"), notPq.getMessage());
    Path other = dir.resolve("other");
    Frame.fromTable(TestData.random(10, 52, 0.0).selectColumns("id", "x"), 1).toParquet(other);
    Files.copy(other.resolve("part-00000.parquet"), dir.resolve("mixed-1.parquet"));
    Files.copy(out.resolve("part-00000.parquet"), dir.resolve("mixed-0.parquet"));
    GraphException mixed = assertThrows(GraphException.class,
        () -> Frame.readParquet(dir.resolve("mixed-*.parquet").toString()));
    assertTrue(mixed.getMessage().contains("every file must have the same columns"),
        mixed.getMessage());
  }
}
