package dev.tessera.bench;

import dev.tessera.frame.Agg;
import dev.tessera.frame.CsvOptions;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Scheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * W7 dataframe_groupby: read every CSV under {@code data/csv/}, {@code groupby(name).agg(x:
 * sum, y: mean)}. Checked against a direct streaming computation (a line reader and
 * {@code Double.parseDouble}); {@code out=FILE} writes {@code name,x_sum,y_mean}. Extra
 * figures: MB_per_s, Mrows_per_s, and the floor: one thread's raw parse rate of this reader
 * (one whole file, every column, one partition, sync scheduler).
 */
public final class W7 implements Workload {
  @Override
  public String name(Params p) {
    return "dataframe_groupby";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("data", "bench-data");
    d.put("out", "");
    d.put("blocksize_mb", "64");
    d.put("scheduler", "threads");
    return d;
  }

  static List<Path> csvFiles(String data) throws IOException {
    try (Stream<Path> s = Files.list(Path.of(data, "csv"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
  }

  static long bytes(List<Path> files) throws IOException {
    long b = 0;
    for (Path f : files) {
      b += Files.size(f);
    }
    return b;
  }

  static CsvOptions options(Params p) {
    return CsvOptions.defaults().blocksize((long) p.getInt("blocksize_mb") << 20);
  }

  @Override
  public Trial prepare(Params p) throws Exception {
    List<Path> files = csvFiles(p.get("data"));
    long bytes = bytes(files);
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    String glob = Path.of(p.get("data"), "csv").toString() + "/*.csv";
    CsvOptions options = options(p);
    return new Trial() {
      long rows;

      @Override
      public Object run() {
        Table t = Frame.readCsv(glob, options).groupby("name")
            .agg(Agg.sum("x"), Agg.mean("y")).compute(scheduler);
        return t;
      }

      @Override
      public Map<String, Object> check(Object result) throws Exception {
        Table t = (Table) result;
        Map<String, double[]> direct = new TreeMap<>(); // name -> sum x, sum y, count
        for (Path f : files) {
          try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              String[] v = line.split(",");
              double[] a = direct.computeIfAbsent(v[1], k -> new double[3]);
              a[0] += Double.parseDouble(v[2]);
              a[1] += Double.parseDouble(v[3]);
              a[2]++;
            }
          }
        }
        boolean ok = t.rowCount() == direct.size();
        double maxRel = 0;
        long n = 0;
        for (int i = 0; i < t.rowCount() && ok; i++) {
          double[] a = direct.get(t.stringColumn("name").get(i));
          if (a == null) {
            ok = false;
            break;
          }
          n += (long) a[2];
          maxRel = Math.max(maxRel, Math.abs(t.doubleColumn("x_sum").get(i) - a[0])
              / Math.max(1, Math.abs(a[0])));
          maxRel = Math.max(maxRel, Math.abs(t.doubleColumn("y_mean").get(i) - a[1] / a[2])
              / Math.max(1e-300, Math.abs(a[1] / a[2])));
        }
        rows = n;
        ok = ok && maxRel < 1e-9;
        String out = p.get("out");
        if (!out.isEmpty()) {
          StringBuilder sb = new StringBuilder("name,x_sum,y_mean\n");
          for (int i = 0; i < t.rowCount(); i++) {
            sb.append(t.stringColumn("name").get(i)).append(',')
                .append(t.doubleColumn("x_sum").get(i)).append(',')
                .append(t.doubleColumn("y_mean").get(i)).append('\n');
          }
          Files.writeString(Path.of(out), sb);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", ok);
        c.put("groups", t.rowCount());
        c.put("rows", n);
        c.put("max_relative_error", maxRel);
        c.put("checked_against", "a line-by-line Java computation over the same files");
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("MB_per_s", bytes / 1e6 / median);
        e.put("Mrows_per_s", rows / 1e6 / median);
        e.putAll(W1.movedBytes(scheduler, all.size() + 1));
        e.put("partitions", Frame.readCsv(glob, options).npartitions());
        e.put("floor_parse_MB_per_s_1thread", parseFloor(files.get(0)));
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }

  /**
   * One thread's raw parse rate in MB/s: one whole file read into a table, every column, as
   * one partition on the sync scheduler; the median of 5.
   */
  static double parseFloor(Path file) {
    List<Double> rates = new ArrayList<>();
    try {
      long size = Files.size(file);
      for (int r = 0; r < 5; r++) {
        long t0 = System.nanoTime();
        Frame.readCsv(file.toString(), CsvOptions.defaults().blocksize(0))
            .compute(dev.tessera.schedulers.Schedulers.sync());
        rates.add(size / 1e6 / ((System.nanoTime() - t0) / 1e9));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Bench.median(rates);
  }
}
