package dev.tessera.frame;

import static dev.tessera.frame.Expr.col;

import dev.tessera.schedulers.ProcessesAndThreads;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Frames give the same results on worker processes as on the threaded scheduler. */
class ProcessesTest {
  @RegisterExtension static final ProcessesAndThreads BOTH = new ProcessesAndThreads();
  @TempDir static Path dir;

  private static void same(Frame f, boolean ordered) {
    BOTH.assertSame((e, a) -> TestData.assertSameTable((Table) e, (Table) a, ordered), f);
  }

  @Test
  void csvPipelineGroupbyJoinAndSort() throws Exception {
    Table t = TestData.random(400, 17, 0.1);
    Path csv = TestData.writeCsv(t, dir.resolve("t.csv"));
    Frame f = Frame.readCsv(csv.toString(), CsvOptions.defaults().blocksize(2_000));
    Frame rows = f.filter(col("x").gt(0)).assign("y", col("x").times(2).plus(col("k")));
    same(rows, true);
    same(f.groupby("name").agg(Agg.sum("x"), Agg.mean("x"), Agg.count("k"), Agg.nunique("k")),
        false);
    Frame small = Frame.fromTable(TestData.random(30, 3, 0.0), 1).select("name", "k")
        .rename("k", "k2").dropDuplicates("name");
    same(f.merge(small, JoinType.INNER, java.util.List.of("name")), false);
    same(f.sortValues("x"), true);
    same(f.repartition(3).valueCounts("name"), false);
  }
}
