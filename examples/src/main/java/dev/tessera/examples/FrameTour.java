package dev.tessera.examples;

import dev.tessera.frame.Agg;
import dev.tessera.frame.CsvOptions;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The tour's frame stop: a lazy frame over CSV files, a filter, a computed column, a grouped
 * aggregation and a broadcast join, each partition a Tablesaw table.
 */
public final class FrameTour {
  private FrameTour() {}

  /** Writes four small CSV files, then queries them as one partitioned frame. */
  public static void run() {
    System.out.println();
    System.out.println("Frames: partitioned Tablesaw tables, read lazily from CSV");
    Path dir = writeSales();
    Frame sales = Frame.readCsv(dir + "/*.csv", CsvOptions.defaults().blocksize(64 << 10));
    System.out.println("   readCsv: " + sales.npartitions() + " partitions, meta known before"
        + " reading: " + sales.dtypes());
    Frame big = sales.filter(Expr.col("qty").ge(3))
        .assign("amount", Expr.col("price").times(Expr.col("qty")))
        .assign("month", Expr.col("day").month());
    Table byStore = big.groupby("store").agg(Agg.sum("amount"), Agg.mean("price"),
        Agg.size().as("orders")).compute();
    System.out.println("   orders of 3 or more, by store (one task per partition, then a"
        + " tree of combines):");
    System.out.println(indent(byStore.print()));
    Table cities = Table.create("cities", StringColumn.create("store", "north", "south", "east"),
        StringColumn.create("city", "Oslo", "Seville", "Tokyo"));
    Frame joined = big.merge(Frame.fromTable(cities, 1), "store");
    Table top = joined.groupby("city", "month").agg(Agg.sum("amount"))
        .sortValues("amount_sum", false).head(3);
    System.out.println("   joined with a one-partition table (broadcast), top 3 city-months:");
    System.out.println(indent(top.print()));
    System.out.printf("   rows read: %d, mean price %.2f%n", sales.len().compute(),
        sales.mean("price").compute());
  }

  private static String indent(String s) {
    return "     " + s.replace("\n", "\n     ");
  }

  private static Path writeSales() {
    try {
      Path dir = Files.createTempDirectory("tessera-frame-tour");
      String[] stores = {"north", "south", "east"};
      SplittableRandom rnd = new SplittableRandom(3);
      for (int f = 0; f < 4; f++) {
        Path p = dir.resolve("sales-" + f + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
          w.write("store,day,price,qty\n");
          for (int i = 0; i < 5000; i++) {
            w.write(stores[rnd.nextInt(3)] + "," + LocalDate.of(2025, 1, 1)
                .plusDays(rnd.nextInt(180)) + "," + (1 + rnd.nextInt(9900) / 100.0) + ","
                + (1 + rnd.nextInt(5)) + "\n");
          }
        }
        p.toFile().deleteOnExit();
      }
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs this stop alone.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run();
  }
}
