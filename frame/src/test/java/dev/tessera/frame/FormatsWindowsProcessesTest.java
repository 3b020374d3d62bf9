package dev.tessera.frame;

import dev.tessera.schedulers.ProcessesAndThreads;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Parquet, JSON lines, windows, scans, quantiles and pivots give the same results on worker
 * processes as on the threaded scheduler (their task functions travel).
 */
class FormatsWindowsProcessesTest {
  @RegisterExtension static final ProcessesAndThreads BOTH = new ProcessesAndThreads();
  @TempDir static Path dir;

  private static void same(Frame f, boolean ordered) {
    BOTH.assertSame((e, a) -> TestData.assertSameTable((Table) e, (Table) a, ordered), f);
  }

  @Test
  void newOperationsOnWorkerProcesses() {
    Table t = TestData.random(300, 19, 0.1);
    Frame base = Frame.fromTable(t, 4);
    base.toParquet(dir.resolve("pq"), ParquetOptions.defaults().rowGroupBytes(2048));
    base.toJson(dir.resolve("json"));
    Frame pq = Frame.readParquet(dir.resolve("pq").toString(), ParquetOptions.defaults()
        .filter(ParquetFilter.of("id", ">=", 50)));
    same(pq.groupby("name").agg(Agg.sum("x")), false);
    same(Frame.readJson(dir.resolve("json").toString()), true);
    same(pq.rolling(5).std("x"), true);
    same(pq.cumsum("x", "k").cumcount("row"), true);
    same(pq.nlargest(7, "x"), true);
    same(pq.pivotTable("name", "k", "x", "mean"), true);
    BOTH.assertSame((e, a) -> org.junit.jupiter.api.Assertions.assertEquals(e, a),
        pq.quantile("x", 0.1, 0.5, 0.9));
  }
}
