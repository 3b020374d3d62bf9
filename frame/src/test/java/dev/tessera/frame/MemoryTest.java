package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * A groupby over CSV data larger than the JVM heap: a forked JVM with {@code -Xmx32m} reads
 * about 52 MB of CSV (1.6 million rows) in 1 MB blocks and aggregates it; only the partial aggregates are kept.
 */
class MemoryTest {
  static final int ROWS = 1_600_000;
  static final int FILES = 2;

  @TempDir Path dir;

  @Test
  void groupbyLargerThanTheHeapCompletes() throws Exception {
    long bytes = 0;
    double[] expected = new double[10];
    for (int f = 0; f < FILES; f++) {
      Path p = dir.resolve("part-" + f + ".csv");
      SplittableRandom r = new SplittableRandom(f);
      try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
        w.write("id,name,x\n");
        for (int i = 0; i < ROWS / FILES; i++) {
          int g = r.nextInt(10);
          double x = r.nextDouble();
          expected[g] += x;
          w.write(i + ",name" + g + "," + x + "\n");
        }
      }
      bytes += Files.size(p);
    }
    assertTrue(bytes > 48_000_000, "more data than the forked heap: " + bytes);
    Path out = dir.resolve("result.txt");
    String log = fork(dir.toString(), out.toString(), "groupby");
    assertTrue(log.startsWith("exit 0"), log);
    // the control: the same data as one table does not fit in that heap
    String all = fork(dir.toString(), out.toString(), "compute");
    assertTrue(all.contains("OutOfMemoryError"), all);
    List<String> lines = Files.readAllLines(out);
    assertEquals(10, lines.size(), log);
    for (String line : lines) {
      String[] v = line.split(",");
      int g = Integer.parseInt(v[0].substring(4));
      assertEquals(expected[g], Double.parseDouble(v[1]), 1e-6 * expected[g]);
    }
  }

  private String fork(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m",
        "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
        MemoryTest.class.getName()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("log-" + args[2] + ".txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    try {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the forked JVM finished");
    } finally {
      p.destroyForcibly();
    }
    return "exit " + p.exitValue() + "\n" + Files.readString(log);
  }

  /**
   * The forked JVM: groups the CSV files of a directory by name, summing x, and writes one
   * {@code name,sum} line per group.
   *
   * @param args the directory, the output file, and {@code groupby} (the aggregation) or
   *     {@code compute} (the whole data as one table, the control)
   * @throws IOException if the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    try (ThreadedScheduler s = Schedulers.threads(2)) {
      Frame f = Frame.readCsv(args[0] + "/*.csv", CsvOptions.defaults().blocksize(1 << 20));
      if (args[2].equals("compute")) {
        System.out.println("rows " + f.compute(s).rowCount());
        return;
      }
      Table t = f.groupby("name").agg(Agg.sum("x")).compute(s);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < t.rowCount(); i++) {
        sb.append(t.stringColumn("name").get(i)).append(',')
            .append(t.doubleColumn("x_sum").get(i)).append('\n');
      }
      Files.writeString(Path.of(args[1]), sb);
      System.out.println("max heap " + Runtime.getRuntime().maxMemory() + ", partitions "
          + f.npartitions());
    }
  }
}
