package dev.tessera.bench;

import dev.tessera.frame.Agg;
import dev.tessera.frame.CsvOptions;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import dev.tessera.frame.JoinType;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessScheduler;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * W11 dataframe_merge: {@code df = readCsv(data/csv/*)}; {@code left = df[id, name, x]};
 * {@code right = df[id % 3 == 0][id, y]}; an inner merge on {@code id} as a hash shuffle of
 * both sides (no broadcast); one compute of (row count, sum x, sum y). Checked against a
 * direct line-by-line computation: ids are unique, so the join keeps the rows whose id is a
 * multiple of 3. Extra figures: Mrows_per_s (joined rows), and on worker JVMs the results
 * moved between processes and their bytes.
 */
public final class W11 implements Workload {
  @Override
  public String name(Params p) {
    return "dataframe_merge";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("data", "bench-data");
    d.put("blocksize_mb", "64");
    d.put("scheduler", "threads");
    return d;
  }

  static Frame query(String glob, CsvOptions options) {
    Frame df = Frame.readCsv(glob, options);
    Frame left = df.select("id", "name", "x");
    Frame right = df.filter(Expr.col("id").mod(3).eq(0)).select("id", "y");
    return left.merge(right, JoinType.INNER, List.of("id"), 0)
        .agg(Agg.count("id"), Agg.sum("x"), Agg.sum("y"));
  }

  @Override
  public Trial prepare(Params p) throws Exception {
    List<Path> files = W7.csvFiles(p.get("data"));
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    String glob = Path.of(p.get("data"), "csv").toString() + "/*.csv";
    CsvOptions options = W7.options(p);
    return new Trial() {
      long rows;
      long transfers0;
      long bytes0;
      long relayed0;
      long runs;

      @Override
      public Object run() {
        if (scheduler instanceof ProcessScheduler ps && runs++ == 0) {
          transfers0 = ps.transfers(); // after the warm-up: count the timed runs only
          bytes0 = ps.transferredBytes();
          relayed0 = ps.relayedBytes();
        }
        return query(glob, options).compute(scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) throws Exception {
        Table t = (Table) result;
        long n = 0;
        double sx = 0;
        double sy = 0;
        for (Path f : files) {
          try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              String[] v = line.split(",");
              if (Long.parseLong(v[0]) % 3 == 0) {
                n++;
                sx += Double.parseDouble(v[2]);
                sy += Double.parseDouble(v[3]);
              }
            }
          }
        }
        rows = n;
        long got = ((Number) t.column(0).get(0)).longValue();
        double gx = ((Number) t.column(1).get(0)).doubleValue();
        double gy = ((Number) t.column(2).get(0)).doubleValue();
        boolean ok = got == n && Math.abs(gx - sx) <= 1e-9 * Math.max(1, sx)
            && Math.abs(gy - sy) <= 1e-9 * Math.max(1, sy);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", ok);
        c.put("rows", got);
        c.put("x_sum", gx);
        c.put("y_sum", gy);
        c.put("checked_against", "a line-by-line Java computation over the same files");
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Mrows_per_s", rows / 1e6 / median);
        e.put("partitions", Frame.readCsv(glob, options).npartitions());
        e.put("spilled_MB_this_jvm", dev.tessera.frame.ShuffleMemory.spilledBytes() / 1e6);
        e.put("shuffle_budget_MB", dev.tessera.frame.ShuffleMemory.budget() / 1e6);
        if (scheduler instanceof ProcessScheduler ps) {
          e.put("transfers_per_run", (ps.transfers() - transfers0) / (double) all.size());
          e.put("MB_moved_per_run", (ps.transferredBytes() - bytes0) / 1e6 / all.size());
          // of those, the bytes that went through this JVM (the rest: worker to worker)
          e.put("MB_through_parent_per_run", (ps.relayedBytes() - relayed0) / 1e6 / all.size());
        }
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
