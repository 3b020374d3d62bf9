package dev.tessera.bench;

import dev.tessera.frame.CsvOptions;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.ProcessScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * W12 dataframe_set_index: {@code readCsv(data/csv/*).setIndex("x")} (quantile boundaries,
 * then a range shuffle); one compute of each partition's (rows, min x, max x, sorted?). The
 * whole of it is timed, the boundaries' sample included. Checked: the row count equals the
 * files' line count, every partition is sorted, and each partition's smallest x is at least
 * the previous one's largest. Extra figures: Mrows_per_s, and on worker JVMs the results moved
 * between processes and their bytes.
 */
public final class W12 implements Workload {
  @Override
  public String name(Params p) {
    return "dataframe_set_index";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("data", "bench-data");
    d.put("blocksize_mb", "64");
    d.put("scheduler", "threads");
    return d;
  }

  /** (rows, min x, max x, 1 if sorted else 0) of one partition. */
  static double[] summary(Table t) {
    DoubleColumn x = t.doubleColumn("x");
    boolean sorted = true;
    double min = Double.NaN;
    double max = Double.NaN;
    for (int i = 0; i < x.size(); i++) {
      double v = x.getDouble(i);
      if (i == 0) {
        min = v;
      } else if (v < max) {
        sorted = false;
      }
      max = i == 0 ? v : Math.max(max, v);
    }
    return new double[] {t.rowCount(), min, max, sorted ? 1 : 0};
  }
  /** The rows of all partitions, whether each is sorted, and whether they follow each other. */
  record Order(long rows, boolean sorted, boolean ordered) {}

  /** {@link Order} of the partitions' {@link #summary} lines. */
  static Order order(List<double[]> parts) {
    long n = 0;
    boolean sorted = true;
    boolean ordered = true;
    double prevMax = Double.NEGATIVE_INFINITY;
    for (double[] s : parts) {
      n += (long) s[0];
      sorted &= s[3] == 1;
      if (s[0] > 0) { // an empty partition has no bounds
        ordered &= s[1] >= prevMax;
        prevMax = s[2];
      }
    }
    return new Order(n, sorted, ordered);
  }


  @Override
  public Trial prepare(Params p) throws Exception {
    List<Path> files = W7.csvFiles(p.get("data"));
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    String glob = Path.of(p.get("data"), "csv").toString() + "/*.csv";
    CsvOptions options = W7.options(p);
    return new Trial() {
      long transfers0;
      long bytes0;
      long relayed0;
      long runs;
      long rows;

      @Override
      public Object run() {
        if (scheduler instanceof ProcessScheduler ps && runs++ == 0) {
          transfers0 = ps.transfers();
          bytes0 = ps.transferredBytes();
          relayed0 = ps.relayedBytes();
        }
        try (var scope = Tessera.useScheduler(scheduler)) { // for a sample computed at call time
          Frame indexed = Frame.readCsv(glob, options).setIndex("x");
          List<Delayed<double[]>> parts = new ArrayList<>();
          for (Delayed<Table> d : indexed.toDelayed()) {
            parts.add(Delayed.call(W12::summary, d));
          }
          return Delayed.list(parts).compute(scheduler);
        }
      }

      @Override
      public Map<String, Object> check(Object result) throws Exception {
        @SuppressWarnings("unchecked")
        List<double[]> parts = (List<double[]>) result;
        long expected = 0;
        for (Path f : files) {
          try (var lines = Files.lines(f)) {
            expected += lines.count() - 1;
          }
        }
        Order o = order(parts);
        rows = o.rows();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", o.rows() == expected && o.sorted() && o.ordered());
        c.put("rows", o.rows());
        c.put("partitions", parts.size());
        c.put("all_sorted", o.sorted());
        c.put("in_order", o.ordered());
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Mrows_per_s", rows / 1e6 / median);
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
