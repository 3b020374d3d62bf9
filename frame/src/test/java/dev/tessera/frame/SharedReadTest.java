package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.core.Task;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The two sides of a merge over one readCsv read each partition once. */
class SharedReadTest {
  static final dev.tessera.schedulers.ThreadedScheduler THREADS = Schedulers.threads(2);

  @AfterAll
  static void stop() {
    THREADS.close();
  }

  @TempDir Path dir;

  static long csvReads(Frame f) {
    long n = 0;
    for (Task t : f.graph().tasks().values()) {
      if (t.function() instanceof Source.PartitionTask p && p.loader() instanceof Source.CsvLoader
          || t.function() instanceof SharedRead.Fused u && u.loader() instanceof Source.CsvLoader) {
        n++;
      }
    }
    return n;
  }

  @Test
  void bothSidesOfAMergeShareOneReadAndAgreeWithTheDirectJoin() throws Exception {
    Table t = TestData.random(311, 3, 0.15); // missing keys; 7 names: skewed keys
    Path file = TestData.writeCsv(t, dir.resolve("t.csv"));
    Table direct = Frame.readCsv(file.toString(), CsvOptions.defaults().blocksize(0))
        .compute(Schedulers.sync());
    for (long blocksize : new long[] {0, 900, 4000}) {
      Frame df = Frame.readCsv(file.toString(), CsvOptions.defaults().blocksize(blocksize));
      Frame left = df.select("id", "name", "x");
      Frame right = df.filter(Expr.col("k").ge(0)).select("name", "k");
      Table l = direct.selectColumns("id", "name", "x");
      Table r = direct.where(direct.longColumn("k").isGreaterThanOrEqualTo(0))
          .selectColumns("name", "k");
      for (JoinType how : JoinType.values()) {
        for (int bmax : new int[] {0, 1}) {
          Frame m = left.merge(right, how, List.of("name"), bmax);
          assertEquals(df.npartitions(), csvReads(m), "one read per partition");
          assertEquals(ReshapeTest.expectedJoin(l, r, List.of("name"), how),
              TestData.sortedRows(m.compute(THREADS)),
              how + " blocksize " + blocksize + " broadcastMax " + bmax);
        }
      }
    }
  }

  @Test
  void framesOverDifferentFilesAreNotShared() throws Exception {
    Table t = TestData.random(50, 4, 0.0);
    Path a = TestData.writeCsv(t, dir.resolve("a.csv"));
    Path b = TestData.writeCsv(t, dir.resolve("b.csv"));
    Frame m = Frame.readCsv(a.toString()).select("id", "x")
        .merge(Frame.readCsv(b.toString()).select("id", "k"), JoinType.INNER, List.of("id"), 0);
    assertEquals(2, csvReads(m));
    Table got = m.compute(Schedulers.sync());
    assertEquals(50, got.rowCount());
    assertTrue(got.columnNames().containsAll(List.of("id", "x", "k")));
  }
}
