package dev.tessera.bench;

import dev.tessera.frame.CsvOptions;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Scheduler;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W7b dataframe_filter_mean: read the CSVs of W7, the mean of {@code y} where
 * {@code x > 0.5}. Checked against a direct streaming computation; {@code out=FILE} writes the
 * number. Extra figures: MB_per_s, and the same one-thread parse floor as W7.
 */
public final class W7b implements Workload {
  @Override
  public String name(Params p) {
    return "dataframe_filter_mean";
  }

  @Override
  public Map<String, String> defaults() {
    return new W7().defaults();
  }

  @Override
  public Trial prepare(Params p) throws Exception {
    List<Path> files = W7.csvFiles(p.get("data"));
    long bytes = W7.bytes(files);
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    String glob = Path.of(p.get("data"), "csv").toString() + "/*.csv";
    CsvOptions options = W7.options(p);
    return new Trial() {
      @Override
      public Object run() {
        return Frame.readCsv(glob, options).filter(Expr.col("x").gt(0.5)).mean("y")
            .compute(scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) throws Exception {
        double sum = 0;
        long n = 0;
        for (Path f : files) {
          try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              int a = line.indexOf(',', line.indexOf(',') + 1);
              int b = line.indexOf(',', a + 1);
              int c = line.indexOf(',', b + 1);
              if (Double.parseDouble(line.substring(a + 1, b)) > 0.5) {
                sum += Double.parseDouble(line.substring(b + 1, c));
                n++;
              }
            }
          }
        }
        double direct = sum / n;
        double got = (Double) result;
        String out = p.get("out");
        if (!out.isEmpty()) {
          Files.writeString(Path.of(out), got + "\n");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        double rel = Math.abs(got - direct) / Math.abs(direct);
        c.put("ok", rel < 1e-9);
        c.put("mean", got);
        c.put("direct", direct);
        c.put("rows_selected", n);
        c.put("relative_error", rel);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("MB_per_s", bytes / 1e6 / median);
        e.put("partitions", Frame.readCsv(glob, options).npartitions());
        e.put("floor_parse_MB_per_s_1thread", W7.parseFloor(files.get(0)));
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
