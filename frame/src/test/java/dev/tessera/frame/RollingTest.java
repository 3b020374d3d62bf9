package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** rolling(w) against a naive window-by-window computation on the whole column. */
class RollingTest {
  static double naive(String stat, double[] x, int i, int w) {
    if (i < w - 1) {
      return Double.NaN;
    }
    int present = 0;
    double s = 0;
    double mn = Double.POSITIVE_INFINITY;
    double mx = Double.NEGATIVE_INFINITY;
    for (int j = i - w + 1; j <= i; j++) {
      if (!Double.isNaN(x[j])) {
        present++;
        s += x[j];
        mn = Math.min(mn, x[j]);
        mx = Math.max(mx, x[j]);
      }
    }
    if (stat.equals("count")) {
      return present;
    }
    if (present < w) {
      return Double.NaN;
    }
    double mean = s / w;
    double ss = 0;
    for (int j = i - w + 1; j <= i; j++) {
      ss += (x[j] - mean) * (x[j] - mean);
    }
    return switch (stat) {
      case "sum" -> s;
      case "mean" -> mean;
      case "min" -> mn;
      case "max" -> mx;
      default -> w < 2 ? Double.NaN : Math.sqrt(ss / (w - 1));
    };
  }

  static Frame call(Rolling r, String stat, String... cols) {
    return switch (stat) {
      case "sum" -> r.sum(cols);
      case "mean" -> r.mean(cols);
      case "min" -> r.min(cols);
      case "max" -> r.max(cols);
      case "std" -> r.std(cols);
      default -> r.count(cols);
    };
  }

  @Test
  void everyStatisticAcrossPartitionBoundaries() {
    for (int rows : new int[] {0, 1, 6, 250}) {
      Table t = TestData.random(rows, 111 + rows, 0.05);
      double[] x = Rolling.values(t, List.of("x"))[0];
      double[] k = Rolling.values(t, List.of("k"))[0];
      // 40 partitions of 250 rows: shorter than some windows; 7 > 6 rows: empty partitions
      for (int parts : new int[] {1, 2, 7, 40}) {
        Frame f = Frame.fromTable(t, parts);
        for (int w : new int[] {1, 2, 5, 13}) {
          for (String stat : List.of("sum", "mean", "min", "max", "std", "count")) {
            Frame r = call(f.rolling(w), stat, "x", "k");
            assertEquals(ColumnType.DOUBLE, r.schema().type("k"));
            assertEquals(parts, r.npartitions());
            Table got = r.compute(Schedulers.sync());
            assertEquals(rows, got.rowCount());
            assertEquals(t.columnNames(), got.columnNames());
            for (int i = 0; i < rows; i++) {
              check(naive(stat, x, i, w), got.doubleColumn("x").getDouble(i),
                  stat + " w=" + w + " parts=" + parts + " row " + i);
              check(naive(stat, k, i, w), got.doubleColumn("k").getDouble(i), stat + " k");
            }
            assertEquals(t.stringColumn("name").asList(), got.stringColumn("name").asList());
          }
        }
      }
    }
  }

  static void check(double want, double got, String what) {
    if (Double.isNaN(want)) {
      assertTrue(Double.isNaN(got), what + ": want missing, got " + got);
    } else {
      assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), what);
    }
  }

  @Test
  void badInputFailsAtBuildTime() {
    Frame f = Frame.fromTable(TestData.random(5, 1, 0), 2);
    assertThrows(GraphException.class, () -> f.rolling(0));
    assertThrows(GraphException.class, () -> f.rolling(2).sum("name"));
    assertThrows(GraphException.class, () -> f.rolling(2).mean("nope"));
  }
}
