package dev.tessera.examples.tutorials;

import dev.tessera.frame.Agg;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tech.tablesaw.api.Table;

/**
 * Seed 004 ("dask.dataframe (Pandas)"), the dataframe example it links: a table of {@code id,
 * name, x, y} rows like {@code dask.datasets.timeseries()}, written as CSV files with a fixed
 * seed (no data ship with the example), read as one frame, filtered and grouped:
 * {@code df[df.y > 0].groupby("name").x.agg(["count", "mean", "std"])}. Checked against a plain
 * Java loop over the same files (the serial pandas line) and timed on the default scheduler and
 * on 2 worker JVMs.
 *
 * <p>Run: {@code ./examples/run CsvGroupby [files=4] [rows=250000] [out=target/examples]}
 * (writes {@code out/timeseries/part-N.csv}).
 */
public final class CsvGroupby {
  private CsvGroupby() {}

  /** The names of {@code dask.datasets.timeseries()}. */
  static final String[] NAMES = {"Alice", "Bob", "Charlie", "Dan", "Edith", "Frank", "George",
      "Hannah", "Ingrid", "Jerry", "Kevin", "Laura", "Michael", "Norbert", "Oliver", "Patricia",
      "Quinn", "Ray", "Sarah", "Tim", "Ursula", "Victor", "Wendy", "Xavier", "Yvonne", "Zelda"};

  /** One group of the answer. */
  record Group(String name, long count, double mean, double std) {}

  /** Writes {@code files} CSV files of {@code rows} rows each into {@code dir}; returns it. */
  static Path writeData(Path dir, int files, int rows) {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "part-*.csv")) {
        for (Path p : old) {
          Files.delete(p); // a longer earlier run must not leave extra files in the glob
        }
      }
      SplittableRandom random = new SplittableRandom(2000);
      for (int f = 0; f < files; f++) {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("part-" + f + ".csv"))) {
          w.write("id,name,x,y\n");
          for (int i = 0; i < rows; i++) {
            w.write(Integer.toString(950 + random.nextInt(100)));
            w.write(',');
            w.write(NAMES[random.nextInt(NAMES.length)]);
            w.write(',');
            w.write(Double.toString(random.nextDouble(-1, 1)));
            w.write(',');
            w.write(Double.toString(random.nextDouble(-1, 1)));
            w.write('\n');
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The frame: {@code df[df.y > 0].groupby("name").x.agg(["count", "mean", "std"])}. */
  static Frame query(Path dir) {
    Frame df = Frame.readCsv(dir.resolve("part-*.csv").toString());   // dd.read_csv(...)
    return df.filter(Expr.col("y").gt(0))                        // df[df.y > 0]
        .groupby("name")                                         // .groupby("name")
        .agg(Agg.count("x"), Agg.mean("x"), Agg.std("x"));       // .x.agg([...])
  }

  static List<Group> groups(Table t) {
    List<Group> out = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      out.add(new Group(t.stringColumn("name").get(i),
          ((Number) t.column("x_count").get(i)).longValue(),
          ((Number) t.column("x_mean").get(i)).doubleValue(),
          ((Number) t.column("x_std").get(i)).doubleValue()));
    }
    return out;
  }

  /** The serial computation: read every line, keep x where y > 0, two-pass mean and std. */
  static List<Group> serial(Path dir, int files) {
    TreeMap<String, List<Double>> xs = new TreeMap<>();
    for (int f = 0; f < files; f++) {
      try (BufferedReader r = Files.newBufferedReader(dir.resolve("part-" + f + ".csv"))) {
        r.readLine();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String[] v = line.split(",");
          if (Double.parseDouble(v[3]) > 0) {
            xs.computeIfAbsent(v[1], k -> new ArrayList<>()).add(Double.parseDouble(v[2]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Group> out = new ArrayList<>();
    xs.forEach((name, values) -> {
      double mean = 0;
      for (double x : values) {
        mean += x;
      }
      mean /= values.size();
      double ss = 0;
      for (double x : values) {
        ss += (x - mean) * (x - mean);
      }
      out.add(new Group(name, values.size(), mean, Math.sqrt(ss / (values.size() - 1))));
    });
    return out;
  }

  /** Writes the data, runs the frame on {@code scheduler}, checks it against the serial loop. */
  static List<Group> run(Path out, int files, int rows, Scheduler scheduler) {
    Path dir = writeData(out.resolve("timeseries"), files, rows);
    List<Group> frame = groups(query(dir).compute(scheduler));
    List<Group> serial = serial(dir, files);
    boolean same = frame.size() == serial.size();
    double worst = 0;
    for (int i = 0; same && i < frame.size(); i++) {
      Group a = frame.get(i);
      Group b = serial.get(i);
      same = a.name().equals(b.name()) && a.count() == b.count();
      worst = Math.max(worst, Math.max(Math.abs(a.mean() - b.mean()) / Math.abs(b.mean()),
          Math.abs(a.std() - b.std()) / b.std()));
    }
    Stopwatch.check("the frame's groups equal the serial loop's", same && worst < 1e-9,
        serial.size() + " names, counts exact, mean and std within relative "
        + String.format(Locale.ROOT, "%.1e", worst));
    return frame;
  }

  /**
   * Runs the example, then times it.
   *
   * @param args optional {@code files=4}, {@code rows=250000}, {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int files = a.integer("files", 4);
    int rows = a.integer("rows", 250_000);
    Path out = a.out();
    System.out.printf(Locale.ROOT, "CsvGroupby (seed 004): df[df.y > 0].groupby('name').x over"
        + " %d CSV files of %,d rows%n", files, rows);
    Scheduler threads = Tessera.scheduler();
    List<Group> g = run(out, files, rows, threads);
    for (Group x : g.subList(0, Math.min(3, g.size()))) {
      System.out.printf(Locale.ROOT, "  %-8s count %,d, mean %+.5f, std %.5f%n", x.name(),
          x.count(), x.mean(), x.std());
    }
    System.out.println("  ... " + g.size() + " names; data in " + out.resolve("timeseries"));
    Path dir = out.resolve("timeseries");
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      double serial = Stopwatch.median(3, () -> serial(dir, files));
      double t = Stopwatch.median(3, () -> query(dir).compute(threads));
      double j = Stopwatch.median(3, () -> query(dir).compute(jvms));
      Stopwatch.report("read_csv, filter, groupby", serial, "threads", t, "2 worker JVMs", j);
    }
  }
}
