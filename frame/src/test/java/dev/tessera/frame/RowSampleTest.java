package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * A sort of a CSV read takes its boundaries from drawn rows (only those parsed) and its
 * divisions from every row: the result equals the direct sort and the divisions are exact,
 * for files split into blocks or read whole, with CRLF, blank lines, missing values, and with
 * quotes (where drawing is refused and the split is read whole).
 */
class RowSampleTest {
  private static final Scheduler THREADS = Schedulers.threads(2);
  @TempDir Path dir;

  /** Writes {@code files} CSVs of id,name,x; returns every x written (NaN: missing). */
  private List<Double> write(int files, int rows, String newline, boolean quotes)
      throws IOException {
    Random r = new Random(files * 1000L + rows);
    List<Double> xs = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      StringBuilder sb = new StringBuilder("id,name,x").append(newline);
      for (int i = 0; i < rows; i++) {
        if (i % 97 == 5) {
          sb.append(newline); // a blank line
        }
        double x = r.nextInt(25) == 0 ? Double.NaN : r.nextGaussian() * (f + 1);
        xs.add(x);
        String name = quotes && i % 50 == 0 ? "\"a,\"\"b\"\"\"" : "n" + r.nextInt(30);
        sb.append(f * rows + i).append(',').append(name).append(',')
            .append(Double.isNaN(x) ? "" : Double.toString(x)).append(newline);
      }
      Files.writeString(dir.resolve("p" + f + ".csv"), sb, StandardCharsets.UTF_8);
    }
    return xs;
  }

  private void assertSortedAsDirect(List<Double> xs, CsvOptions options) {
    Frame f = Frame.readCsv(dir + "/*.csv", options);
    Frame idx = f.setIndex("x");
    List<Table> parts = Delayed.list(idx.toDelayed()).compute(THREADS);
    double[] want = xs.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue)
        .sorted().toArray();
    List<Double> got = new ArrayList<>();
    long missing = 0;
    for (Table p : parts) {
      DoubleColumn x = p.doubleColumn("x");
      for (int i = 0; i < x.size(); i++) {
        if (x.isMissing(i)) {
          missing++;
        } else {
          got.add(x.getDouble(i));
        }
      }
    }
    assertEquals(xs.size() - want.length, missing);
    assertEquals(want.length, got.size());
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got.get(i), 0.0, "row " + i);
    }
    List<Object> div = idx.divisions().orElseThrow();
    assertEquals(want[0], (Double) div.get(0), 0.0, "divisions start at the smallest value");
    assertEquals(want[want.length - 1], (Double) div.get(div.size() - 1), 0.0);
    for (int p = 0; p < parts.size(); p++) {
      DoubleColumn x = parts.get(p).doubleColumn("x");
      for (int i = 0; i < x.size(); i++) {
        if (!x.isMissing(i)) {
          double v = x.getDouble(i);
          assertTrue(v >= (Double) div.get(p) && v <= (Double) div.get(p + 1),
              "partition " + p + " holds " + v + " outside " + div);
        }
      }
    }
    // the drawn boundaries balance the partitions about as a full sample would
    if (want.length >= 20_000) {
      int largest = parts.stream().mapToInt(Table::rowCount).max().orElseThrow();
      assertTrue(largest < 2.0 * xs.size() / parts.size(), "a partition of " + largest
          + " rows of " + xs.size() + " in " + parts.size());
    }
  }

  @Test
  void sortsOfWholeFilesAndOfBlocksEqualTheDirectSort() throws IOException {
    List<Double> xs = write(3, 20_000, "\n", false);
    assertSortedAsDirect(xs, CsvOptions.defaults());
    assertSortedAsDirect(xs, CsvOptions.defaults().blocksize(100_000)); // ~6 blocks a file
  }

  @Test
  void crlfBlankLinesAndTinyFiles() throws IOException {
    List<Double> xs = write(2, 3, "\r\n", false);
    assertSortedAsDirect(xs, CsvOptions.defaults());
    Files.writeString(dir.resolve("p2.csv"), "id,name,x\r\n"); // a file with no rows
    assertSortedAsDirect(xs, CsvOptions.defaults());
  }

  @Test
  void quotesMakeTheSplitReadWhole() throws IOException {
    List<Double> xs = write(2, 5_000, "\n", true);
    assertSortedAsDirect(xs, CsvOptions.defaults());
    Frame f = Frame.readCsv(dir + "/*.csv");
    Source.Csv csv = (Source.Csv) f.source();
    boolean[] wanted = {false, false, true};
    CsvReader.Drawn d = CsvReader.drawRows(csv.splits().get(0), csv.format(), csv.schema(),
        wanted, csv.why(), 10);
    assertTrue(d.whole(), "a quote: no drawing, the split parsed whole");
    assertEquals(CsvReader.read(csv.splits().get(0), csv.format(), csv.schema(), wanted,
        csv.why()).rowCount(), d.rows().rowCount());
  }

  @Test
  void drawnRowsAreRowsOfTheSplitAndTheCountIsTheSplits() throws IOException {
    List<Double> xs = write(1, 10_000, "\n", false);
    Frame f = Frame.readCsv(dir + "/*.csv", CsvOptions.defaults().blocksize(60_000));
    Source.Csv csv = (Source.Csv) f.source();
    boolean[] wanted = {true, false, true};
    long rows = 0;
    for (CsvSplit s : csv.splits()) {
      Table all = CsvReader.read(s, csv.format(), csv.schema(), wanted, csv.why());
      CsvReader.Drawn d = CsvReader.drawRows(s, csv.format(), csv.schema(), wanted, csv.why(),
          500);
      assertNotNull(d);
      assertTrue(!d.whole(), "no quote: drawn");
      int drawn = d.rows().rowCount(); // a drawn blank line is no row
      assertTrue(drawn <= 500 && drawn >= 480, drawn + " rows of 500 draws");
      long[] ids = all.longColumn("id").asLongArray();
      Arrays.sort(ids);
      for (long id : d.rows().longColumn("id").asLongArray()) {
        assertTrue(Arrays.binarySearch(ids, id) >= 0, "drawn id " + id + " not in " + s);
      }
      // blank lines count as rows here: at most one in 97 more
      assertTrue(d.splitRows() >= all.rowCount() && d.splitRows() <= all.rowCount() * 1.02 + 2,
          d.splitRows() + " vs " + all.rowCount());
      rows += all.rowCount();
    }
    assertEquals(xs.size(), rows);
  }
}
