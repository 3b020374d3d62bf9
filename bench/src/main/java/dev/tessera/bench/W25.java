package dev.tessera.bench;

import dev.tessera.frame.Frame;
import dev.tessera.frame.Schema;
import dev.tessera.frame.ShuffleMemory;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * W25 dataframe_set_index_out_of_core: W12's {@code setIndex("x")} over generated data of
 * 1.5 times this machine's physical RAM (by default), in a fixed memory budget. Each partition
 * ({@code partition_rows} rows of {@code id} long, the row number, and {@code x} double,
 * uniform in [0, 1) with a seed per partition) is made by {@link Frame#fromMap} inside the
 * tasks that need it, so the sort's sample and its split each generate it again instead of
 * holding it; the range shuffle keeps its pieces within {@link ShuffleMemory#budget()} and
 * spills the rest. One compute of each partition's (rows, min x, max x, sorted?, sum of id)
 * is timed. Checked: the row count, every partition sorted and in order, and the sum of the
 * ids (each row once). One run without a warm-up by default (a full-size run takes many
 * minutes); extra figures: data_GB, Mrows_per_s, spilled_MB, the budget, peak_rss_MB (this
 * JVM's VmHWM at the end, so the whole run).
 */
public final class W25 implements Workload {
  /** Bytes of one row in memory: a long and a double. */
  static final int ROW_BYTES = 16;

  /** The generated partitions' columns. */
  static final Schema META = Schema.of("id", ColumnType.LONG, "x", ColumnType.DOUBLE);

  @Override
  public String name(Params p) {
    return "dataframe_set_index_out_of_core";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rows", "auto"); // 1.5 x MemTotal / 16 bytes
    d.put("partition_rows", String.valueOf(1 << 24)); // 256 MiB
    d.put("seed", "25");
    d.put("budget", "default");
    d.put("scheduler", "threads");
    d.put("warmup", "false");
    return d;
  }

  @Override
  public boolean warmUp(Params p) {
    return Boolean.parseBoolean(p.get("warmup"));
  }

  @Override
  public int defaultRepeats() {
    return 1;
  }

  /** The rows of one partition: from row {@code first}, {@code rows} of them. */
  record Slice(long seed, long first, int rows) implements Serializable {}

  /** Makes one partition: its ids, and its x drawn from a generator seeded by its position. */
  static Table generate(Slice s) {
    long[] id = new long[s.rows()];
    double[] x = new double[s.rows()];
    SplittableRandom r = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + s.first());
    for (int i = 0; i < id.length; i++) {
      id[i] = s.first() + i;
      x[i] = r.nextDouble();
    }
    return Table.create("w25", LongColumn.create("id", id), DoubleColumn.create("x", x));
  }

  /** The slices of {@code rows} rows in partitions of {@code per} (the last one shorter). */
  static List<Slice> slices(long seed, long rows, int per) {
    List<Slice> out = new ArrayList<>();
    for (long first = 0; first < rows || out.isEmpty(); first += per) {
      out.add(new Slice(seed, first, (int) Math.min(per, rows - first)));
    }
    return out;
  }

  /** (rows, min x, max x, 1 if sorted else 0, sum of id) of one partition: W12's and a sum. */
  static double[] summary(Table t) {
    double[] s = W12.summary(t);
    long ids = 0;
    LongColumn id = t.longColumn("id");
    for (int i = 0; i < id.size(); i++) {
      ids += id.getLong(i);
    }
    return new double[] {s[0], s[1], s[2], s[3], Double.longBitsToDouble(ids)};
  }

  /** 1.5 times the physical RAM, in rows, from /proc/meminfo. */
  static long defaultRows() {
    return (long) (1.5 * Machine.memTotalBytes() / ROW_BYTES);
  }

  @Override
  public Trial prepare(Params p) {
    long rows = p.get("rows").equals("auto") ? defaultRows() : Long.parseLong(p.get("rows"));
    int per = p.getInt("partition_rows");
    if (rows < 0 || per < 1) {
      throw new IllegalArgumentException("need rows >= 0 and partition_rows >= 1");
    }
    long seed = Long.parseLong(p.get("seed"));
    if (!p.get("budget").equals("default")) {
      ShuffleMemory.setBudget(Long.parseLong(p.get("budget")));
    }
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    List<Slice> slices = slices(seed, rows, per);
    long spilled0 = ShuffleMemory.spilledBytes();
    long files0 = ShuffleMemory.spilledFiles();
    String load0 = Machine.loadAverage();
    System.err.printf("[bench] W25: %,d rows (%.3f GB) in %d partitions, shuffle budget %.0f MB,"
        + " heap %.0f MB%n", rows, rows * (double) ROW_BYTES / 1e9, slices.size(),
        ShuffleMemory.budget() / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
    return new Trial() {
      int runs;

      @Override
      public Object run() {
        runs++;
        try (var scope = Tessera.useScheduler(scheduler)) {
          Frame indexed = Frame.fromMap(W25::generate, slices, META).setIndex("x");
          List<Delayed<double[]>> parts = new ArrayList<>();
          for (Delayed<Table> d : indexed.toDelayed()) {
            parts.add(Delayed.call(W25::summary, d));
          }
          return Delayed.list(parts).compute(scheduler);
        }
      }

      @Override
      public Map<String, Object> check(Object result) {
        @SuppressWarnings("unchecked")
        List<double[]> parts = (List<double[]>) result;
        W12.Order o = W12.order(parts);
        long ids = 0;
        for (double[] s : parts) {
          ids += Double.doubleToRawLongBits(s[4]);
        }
        // the ids are 0 .. rows - 1: their sum (mod 2^64, as the partitions add it) is closed
        long expectedIds = rows % 2 == 0 ? (rows / 2) * (rows - 1) : rows * ((rows - 1) / 2);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", o.rows() == rows && o.sorted() && o.ordered() && ids == expectedIds);
        c.put("rows", o.rows());
        c.put("partitions", parts.size());
        c.put("all_sorted", o.sorted());
        c.put("in_order", o.ordered());
        c.put("id_sum_right", ids == expectedIds);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("data_GB", rows * (double) ROW_BYTES / 1e9);
        e.put("Mrows_per_s", rows / 1e6 / median);
        e.put("runs", runs);
        e.put("spilled_MB", (ShuffleMemory.spilledBytes() - spilled0) / 1e6 / runs);
        e.put("spill_files", (ShuffleMemory.spilledFiles() - files0) / (double) runs);
        e.put("shuffle_budget_MB", ShuffleMemory.budget() / 1e6);
        e.put("heap_max_MB", Runtime.getRuntime().maxMemory() / 1e6);
        e.put("peak_rss_MB", Machine.peakRssBytes() / 1e6);
        e.put("mem_total_MB", Machine.memTotalBytes() / 1e6);
        e.put("load_average_before", load0);
        e.put("load_average_after", Machine.loadAverage());
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
        ShuffleMemory.resetBudget();
      }
    };
  }
}
