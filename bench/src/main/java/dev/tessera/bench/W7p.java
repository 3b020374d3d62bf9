package dev.tessera.bench;

import dev.tessera.frame.Agg;
import dev.tessera.frame.Frame;
import dev.tessera.frame.ParquetOptions;
import dev.tessera.graph.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * W7p dataframe_groupby_parquet: W7 on Parquet files written from the same CSV data
 * ({@code bench/run gen-parquet data=DIR} writes {@code DIR/parquet/part-0000N.parquet}, one
 * file per CSV file, Snappy): {@code readParquet(data/parquet).groupby(name).agg(x: sum, y:
 * mean)}, one partition per row group. Checked exactly as W7 (against a line-by-line
 * computation over the CSV files); {@code out=FILE} writes the same CSV. Extra figures:
 * MB_per_s on the CSV bytes (the same data as W7's, so the two figures compare), parquet_MB_per_s
 * on the Parquet bytes, Mrows_per_s, and the floor: one thread reading one whole Parquet file,
 * every column, on the sync scheduler.
 */
public final class W7p implements Workload {
  @Override
  public String name(Params p) {
    return "dataframe_groupby_parquet";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("data", "bench-data");
    d.put("out", "");
    d.put("scheduler", "threads");
    return d;
  }

  static List<Path> parquetFiles(String data) throws IOException {
    Path dir = Path.of(data, "parquet");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("W7p: no " + dir + "; write it first with bench/run"
          + " gen-parquet data=" + data);
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  /** {@code bench/run gen-parquet data=DIR}: every CSV of W7 to one Parquet file. */
  static void gen(Map<String, String> p) throws IOException {
    String data = p.getOrDefault("data", "bench-data");
    List<Path> csv = W7.csvFiles(data);
    Path out = Path.of(data, "parquet");
    Frame.readCsv(Path.of(data, "csv") + "/*.csv", dev.tessera.frame.CsvOptions.defaults()
        .blocksize(0)).toParquet(out);
    System.err.println("[gen-parquet] wrote " + csv.size() + " Parquet files under "
        + out.toAbsolutePath() + " (" + W7.bytes(parquetFiles(data)) + " bytes)");
  }

  @Override
  public Trial prepare(Params p) throws Exception {
    List<Path> files = parquetFiles(p.get("data"));
    long pqBytes = W7.bytes(files);
    long csvBytes = W7.bytes(W7.csvFiles(p.get("data")));
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    String dir = Path.of(p.get("data"), "parquet").toString();
    Map<String, String> w7 = new LinkedHashMap<>(new W7().defaults());
    w7.put("data", p.get("data"));
    w7.put("out", p.get("out"));
    w7.put("scheduler", "sync"); // W7's trial is used only for its check
    Trial csvCheck = new W7().prepare(new Params(w7));
    return new Trial() {
      long rows;

      @Override
      public Object run() {
        return Frame.readParquet(dir).groupby("name").agg(Agg.sum("x"), Agg.mean("y"))
            .compute(scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) throws Exception {
        Map<String, Object> c = csvCheck.check(result);
        rows = ((Number) c.get("rows")).longValue();
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("MB_per_s", csvBytes / 1e6 / median);
        e.put("parquet_MB_per_s", pqBytes / 1e6 / median);
        e.put("Mrows_per_s", rows / 1e6 / median);
        e.put("parquet_bytes", pqBytes);
        e.put("partitions", Frame.readParquet(dir).npartitions());
        e.put("floor_read_MB_per_s_1thread", readFloor(files.get(0)));
        return e;
      }

      @Override
      public void close() throws Exception {
        csvCheck.close();
        W1.release(scheduler);
      }
    };
  }

  /**
   * One thread's raw read rate of one whole Parquet file, every column, one partition, sync
   * scheduler, in Parquet bytes per second; the median of 5.
   */
  static double readFloor(Path file) {
    List<Double> rates = new ArrayList<>();
    try {
      long size = Files.size(file);
      for (int r = 0; r < 5; r++) {
        long t0 = System.nanoTime();
        Table t = Frame.readParquet(file.toString(), ParquetOptions.defaults().blocksize(0))
            .compute(dev.tessera.schedulers.Schedulers.sync());
        rates.add(size / 1e6 / ((System.nanoTime() - t0) / 1e9));
        if (t.rowCount() == 0) {
          throw new IllegalStateException(file + " has no rows");
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Bench.median(rates);
  }
}
