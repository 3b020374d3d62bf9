package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

class FrameOpsTest {
  static final Table T = TestData.random(211, 42, 0.1);
  static ThreadedScheduler threads;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    threads = Schedulers.threads(2);
  }

  @AfterAll
  static void stop() {
    threads.close();
  }

  /** The same table as frames of many partitionings, including empty and one-row parts. */
  static List<Frame> frames(Table t) throws IOException {
    return framesIn(t, dir);
  }

  static List<Frame> framesIn(Table t, Path dir) throws IOException {
    List<Frame> out = new ArrayList<>();
    for (int n : new int[] {1, 3, 7, Math.max(1, t.rowCount()), t.rowCount() + 5}) {
      out.add(Frame.fromTable(t, n));
    }
    Path f = TestData.writeCsv(t, dir.resolve("t" + t.rowCount() + "-" + t.hashCode() + ".csv"));
    out.add(Frame.readCsv(f.toString(), CsvOptions.defaults().blocksize(500)));
    return out;
  }

  @Test
  void partitioningsKeepEveryRow() throws IOException {
    for (Frame f : frames(T)) {
      TestData.assertSameTable(T, f.compute(Schedulers.sync()), true);
      TestData.assertSameTable(T, f.compute(threads), true);
      assertEquals((long) T.rowCount(), f.len().compute());
      assertEquals(Schema.of(T).asMap(), f.dtypes());
    }
    assertEquals(T.rowCount() + 5, Frame.fromTable(T, T.rowCount() + 5).npartitions());
  }

  @Test
  void selectDropRename() throws IOException {
    for (Frame f : frames(T)) {
      TestData.assertSameTable(T.selectColumns("x", "id"), f.select("x", "id").compute(), true);
      TestData.assertSameTable(T.copy().removeColumns("name", "ok"),
          f.drop("name", "ok").compute(), true);
      Table renamed = T.copy();
      renamed.column("x").setName("value");
      TestData.assertSameTable(renamed, f.rename("x", "value").compute(), true);
      // a chain, then a reduction that needs only some columns
      Frame chain = f.rename("x", "v").drop("ok").select("v", "k");
      TestData.assertSameTable(Table.create("e", T.doubleColumn("x").copy().setName("v"),
          T.longColumn("k")), chain.compute(), true);
      assertEquals(T.doubleColumn("x").sum(), chain.sum("v").compute(), 1e-9);
    }
  }

  @Test
  void assignComputedColumns() throws IOException {
    Table e = T.copy();
    DoubleColumn x = T.doubleColumn("x");
    LongColumn k = T.longColumn("k");
    e.addColumns(x.multiply(2).add(k).setName("x2k"));
    LongColumn kk = LongColumn.create("kk");
    for (int i = 0; i < T.rowCount(); i++) {
      kk.append(k.isMissing(i) ? null : k.get(i) * k.get(i) + 1);
    }
    e.addColumns(kk);
    LongColumn year = LongColumn.create("year");
    LongColumn len = LongColumn.create("len");
    tech.tablesaw.api.StringColumn up = tech.tablesaw.api.StringColumn.create("up");
    tech.tablesaw.api.BooleanColumn big = tech.tablesaw.api.BooleanColumn.create("big");
    tech.tablesaw.api.DateColumn later = tech.tablesaw.api.DateColumn.create("later");
    for (int i = 0; i < T.rowCount(); i++) {
      year.append(T.dateColumn("day").isMissing(i) ? null
          : (long) T.dateColumn("day").get(i).getYear());
      String n = T.stringColumn("name").get(i);
      len.append(T.stringColumn("name").isMissing(i) ? null : (long) n.length());
      up.append(n.toUpperCase());
      big.append(!x.isMissing(i) && x.get(i) > 1 && !k.isMissing(i) && k.get(i) >= 0);
      later.append(T.dateColumn("day").isMissing(i) ? null
          : T.dateColumn("day").get(i).plusDays(30));
    }
    e.addColumns(year, len, up, big, later);
    for (Frame f : frames(T)) {
      Frame a = f.assign("x2k", Expr.col("x").times(2).plus(Expr.col("k")))
          .assign("kk", Expr.col("k").times(Expr.col("k")).plus(1))
          .assign("year", Expr.col("day").year())
          .assign("len", Expr.col("name").length())
          .assign("up", Expr.col("name").upper())
          .assign("big", Expr.col("x").gt(1).and(Expr.col("k").ge(0)))
          .assign("later", Expr.col("day").plusDays(30));
      assertEquals(ColumnType.DOUBLE, a.dtypes().get("x2k"));
      assertEquals(ColumnType.LONG, a.dtypes().get("kk"));
      TestData.assertSameTable(e, a.compute(), true);
    }
  }

  @Test
  void filterByBooleanExpressions() throws IOException {
    Table e1 = T.where(T.doubleColumn("x").isGreaterThan(2.0));
    // Tablesaw's isBefore is true for a missing date; a comparison with a missing value is
    // false here (like pandas), so the direct computation leaves missing dates out
    Table e2 = T.where(T.stringColumn("name").startsWith("b")
        .or(T.dateColumn("day").isBefore(LocalDate.of(2025, 3, 1))
            .andNot(T.dateColumn("day").isMissing())));
    Table e3 = T.where(T.longColumn("k").isNotEqualTo(0).andNot(T.longColumn("k").isMissing())
        .and(T.booleanColumn("ok").isTrue()));
    for (Frame f : frames(T)) {
      TestData.assertSameTable(e1, f.filter(Expr.col("x").gt(2.0)).compute(), true);
      TestData.assertSameTable(e2, f.filter(Expr.col("name").startsWith("b")
          .or(Expr.col("day").lt(LocalDate.of(2025, 3, 1)))).compute(), true);
      TestData.assertSameTable(e3, f.filter(Expr.col("k").ne(0).and(Expr.col("ok").eq(true)))
          .compute(threads), true);
      // filter on a column that is then dropped: the reduction still reads it
      assertEquals(e1.doubleColumn("x").mean(),
          f.filter(Expr.col("x").gt(2.0)).select("x").mean("x").compute(), 1e-9);
      assertEquals((long) e1.rowCount(), f.filter(Expr.col("x").gt(2.0)).len().compute());
    }
  }

  @Test
  void mapPartitionsHeadAndDelayedPartitions() throws IOException {
    Schema meta = Schema.of("id", ColumnType.LONG, "x", ColumnType.DOUBLE);
    for (Frame f : frames(T)) {
      Frame m = f.mapPartitions(t -> t.selectColumns("id", "x").dropRowsWithMissingValues(), meta);
      TestData.assertSameTable(T.selectColumns("id", "x").dropRowsWithMissingValues(),
          m.compute(), true);
      TestData.assertSameTable(T.inRange(0, 5), f.head(5), true);
      TestData.assertSameTable(T, f.head(10_000), true);
    }
    List<Delayed<Table>> parts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      parts.add(Delayed.call(FrameOpsTest::part, Delayed.value(i)));
    }
    Frame d = Frame.fromDelayed(parts);
    assertEquals(4, d.npartitions());
    TestData.assertSameTable(T, d.compute(), true);
    Frame wrongMeta = Frame.fromDelayed(parts, meta);
    TaskFailedException e = assertThrows(TaskFailedException.class, wrongMeta::compute);
    assertTrue(e.getCause().getMessage().contains("meta"), e.getCause().getMessage());
  }

  static Table part(int i) {
    int n = T.rowCount();
    return T.inRange(n * i / 4, n * (i + 1) / 4);
  }

  @Test
  void headComputesOnlyThePartitionsItNeeds() {
    AtomicInteger calls = COUNTER;
    calls.set(0);
    Frame f = Frame.fromTable(T, 10).mapPartitions(FrameOpsTest::counted);
    assertEquals(3, f.head(3).rowCount());
    assertEquals(1, calls.get(), "only the first partition");
    calls.set(0);
    assertEquals(30, f.head(30).rowCount());
    assertEquals(3, calls.get(), "1, then 2 more");
  }

  static final AtomicInteger COUNTER = new AtomicInteger();

  static Table counted(Table t) {
    COUNTER.incrementAndGet();
    return t;
  }

  @Test
  void badColumnsAndTypesFailAtBuildTime() {
    Frame f = Frame.fromTable(T, 3);
    GraphException e = assertThrows(GraphException.class, () -> f.select("nope"));
    assertTrue(e.getMessage().contains("no column 'nope'"), e.getMessage());
    assertThrows(GraphException.class, () -> f.filter(Expr.col("x").plus(1)));
    e = assertThrows(GraphException.class, () -> f.assign("z", Expr.col("name").plus(1)));
    assertTrue(e.getMessage().contains("needs numbers"), e.getMessage());
    assertThrows(GraphException.class, () -> f.filter(Expr.col("day").gt(3)));
    assertThrows(GraphException.class, () -> f.rename(Map.of("x", "id")));
    assertThrows(GraphException.class, () -> f.assign("y", Expr.col("name").year()));
    assertThrows(GraphException.class, () -> f.select());
    assertThrows(GraphException.class, () -> f.drop(T.columnNames().toArray(new String[0])));
  }

  @Test
  void everyPartitionHasExactlyTheMeta() throws IOException {
    for (Frame f : frames(T)) {
      for (Frame g : List.of(f.drop("name"), f.filter(Expr.col("x").gt(0)).select("k", "id"),
          f.rename("x", "z").drop("ok").assign("w", Expr.col("z").times(2)),
          f.groupby("name").agg(Agg.mean("x")), f.repartition(2),
          f.drop("ok").sortValues("x"), f.drop("ok").dropDuplicates("name"),
          f.drop("day").merge(f.select("id", "k"), JoinType.LEFT, List.of("id"), 0))) {
        List<Object> parts = new Result<List<Object>>(g.graph(), g.outputKeys(),
            xs -> xs).compute();
        for (Object p : parts) {
          assertEquals(g.schema(), Schema.of((Table) p), g.toString());
        }
      }
    }
  }

  @Test
  void persistKeepsPartitions() throws IOException {
    Frame f = Frame.fromTable(T, 4).filter(Expr.col("x").gt(0));
    Frame p = f.persist(Schedulers.sync());
    assertEquals(f.npartitions(), p.npartitions());
    assertEquals(f.schema(), p.schema());
    TestData.assertSameTable(f.compute(), p.compute(), true);
    assertTrue(p.graph().size() <= 4, "persisted: only the held partitions");
  }
}
