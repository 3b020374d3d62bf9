package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * An aggregation over a merge joins only the columns it reads (projection pushdown), and gives
 * what the same aggregation gives over the merge computed whole.
 */
class NarrowingTest {
  static final ThreadedScheduler THREADS = Schedulers.threads(2);

  @AfterAll
  static void stop() {
    THREADS.close();
  }

  @TempDir Path dir;

  /** The same aggregation over the merge computed whole (no narrowing), as a reference. */
  static Table whole(Frame merged, Agg... aggs) {
    Table m = merged.compute(THREADS);
    return Frame.fromTable(m, 3).agg(aggs).compute(Schedulers.sync());
  }

  static void assertClose(Table expected, Table actual, String what) {
    assertEquals(expected.columnNames(), actual.columnNames(), what);
    assertEquals(expected.rowCount(), actual.rowCount(), what);
    for (int c = 0; c < expected.columnCount(); c++) {
      Column<?> e = expected.column(c);
      Column<?> a = actual.column(c);
      for (int i = 0; i < e.size(); i++) {
        if (e.get(i) instanceof Double d) {
          double g = (Double) a.get(i);
          assertTrue(Double.isNaN(d) ? Double.isNaN(g)
              : Math.abs(d - g) <= 1e-9 * Math.max(1, Math.abs(d)),
              what + ": " + e.name() + " " + d + " vs " + g);
        } else {
          assertEquals(e.get(i), a.get(i), what + ": " + e.name());
        }
      }
    }
  }

  @Test
  void aggregatesOverMergesAgreeWithTheWholeMergeOnEveryJoinAndChunking() throws Exception {
    Table t = TestData.random(733, 11, 0.1);
    Path file = TestData.writeCsv(t, dir.resolve("t.csv"));
    for (long blocksize : new long[] {0, 700, 5000}) {
      Frame df = Frame.readCsv(file.toString(), CsvOptions.defaults().blocksize(blocksize));
      // x and k on both sides: the result has x_x, k_x, x_y, k_y
      Frame left = df.select("id", "name", "x", "k");
      Frame right = df.filter(Expr.col("id").mod(3).eq(0)).select("id", "x", "k", "day");
      for (JoinType how : JoinType.values()) {
        for (int bmax : new int[] {0, 1}) {
          Frame m = left.merge(right, how, List.of("id"), bmax);
          String what = how + " blocksize " + blocksize + " broadcastMax " + bmax;
          Agg[][] cases = {
            {Agg.count("id"), Agg.sum("x_x"), Agg.sum("x_y")},
            {Agg.sum("x_y")}, // keeps x on both sides, so the suffixes stay
            {Agg.size()},
            {Agg.count("name"), Agg.max("k_y"), Agg.min("day")},
          };
          for (Agg[] aggs : cases) {
            assertClose(whole(m, aggs), m.agg(aggs).compute(THREADS), what);
          }
        }
      }
    }
  }

  @Test
  void narrowedMergesLeaveOutTheColumnsNoOneReads() throws Exception {
    Table t = TestData.random(200, 5, 0.0);
    Frame df = Frame.readCsv(TestData.writeCsv(t, dir.resolve("n.csv")).toString());
    Frame m = df.select("id", "name", "x").merge(df.select("id", "k"), "id");
    Frame narrowed = m.narrowed(List.of("id", "x"));
    assertEquals(List.of("id", "x"), narrowed.schema().names());
    assertEquals(m.npartitions(), narrowed.npartitions());
    assertTrue(m.narrowed(m.schema().names()) == m, "nothing to drop: the same frame");
    assertEquals(200L, ((Number) m.agg(Agg.count("x")).compute(THREADS).column(0).get(0))
        .longValue());
    // a chain over the merge is not rebuilt: it may read any column
    Frame chained = m.filter(Expr.col("k").ge(0));
    assertTrue(chained.narrowed(List.of("id")) == chained);
  }

  @Test
  void aColumnThatCannotBeParsedFailsOnlyWhenSomethingReadsIt() throws Exception {
    Path f = dir.resolve("bad.csv");
    StringBuilder csv = new StringBuilder("id,junk,x\n");
    Random r = new Random(3);
    double sum = 0;
    for (int i = 0; i < 500; i++) {
      double x = r.nextInt(1000) / 8.0;
      sum += i % 2 == 0 ? x : 0;
      csv.append(i).append(",word").append(i).append(',').append(x).append('\n');
    }
    Files.writeString(f, csv);
    // junk is declared LONG but holds words: reading it fails
    Frame df = Frame.readCsv(f.toString(),
        CsvOptions.defaults().blocksize(1500).type("junk", ColumnType.LONG));
    Frame m = df.select("id", "junk", "x")
        .merge(df.filter(Expr.col("id").mod(2).eq(0)).select("id"), JoinType.INNER,
            List.of("id"), 0);
    assertThrows(TaskFailedException.class, () -> m.compute(THREADS));
    Table s = m.agg(Agg.sum("x"), Agg.count("id")).compute(THREADS);
    assertEquals(sum, (Double) s.column(0).get(0), 1e-9);
    assertEquals(250L, ((Number) s.column(1).get(0)).longValue());
  }

  @Test
  void mergesOfMergesNarrowAllTheWayDown() throws Exception {
    Table t = TestData.random(400, 9, 0.05);
    Frame df = Frame.readCsv(TestData.writeCsv(t, dir.resolve("m.csv")).toString(),
        CsvOptions.defaults().blocksize(2000));
    Frame a = df.select("id", "name", "x");
    Frame b = df.filter(Expr.col("id").mod(2).eq(0)).select("id", "k");
    Frame c = df.filter(Expr.col("id").mod(5).eq(0)).select("id", "day", "ok");
    Frame abc = a.merge(b, JoinType.LEFT, List.of("id"), 0)
        .merge(c, JoinType.INNER, List.of("id"), 0);
    Agg[] aggs = {Agg.sum("x"), Agg.count("k"), Agg.size()};
    assertClose(whole(abc, aggs), abc.agg(aggs).compute(THREADS), "a ⋈ b ⋈ c");
    Frame n = abc.narrowed(List.of("x", "k"));
    assertEquals(List.of("x", "k"), n.schema().names());
    assertClose(whole(abc.select("x", "k"), Agg.sum("x"), Agg.count("k")),
        whole(n, Agg.sum("x"), Agg.count("k")), "narrowed whole");
    // groupby aggregations narrow too
    Table g = abc.groupby("name").agg(Agg.sum("x")).compute(THREADS);
    Table gw = Frame.fromTable(abc.compute(THREADS), 2).groupby("name").agg(Agg.sum("x"))
        .compute(Schedulers.sync());
    assertEquals(TestData.sortedRows(gw).size(), TestData.sortedRows(g).size());
    assertClose(gw.sortAscendingOn("name"), g.sortAscendingOn("name"), "groupby");
  }
}
