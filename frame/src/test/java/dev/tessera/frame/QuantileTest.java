package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** quantile against sorting the present values and interpolating, as pandas does. */
class QuantileTest {
  static double direct(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    double p = q * (sorted.size() - 1);
    int lo = (int) Math.floor(p);
    int hi = (int) Math.ceil(p);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (p - lo);
  }

  @Test
  void exactOnSeveralPartitionings() {
    double[] qs = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1};
    for (int rows : new int[] {0, 1, 2, 31, 2000}) {
      Table t = TestData.random(rows, 121 + rows, 0.1);
      for (String col : List.of("x", "k")) { // k: many ties
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
          if (!t.column(col).isMissing(i)) {
            values.add(((Number) t.column(col).get(i)).doubleValue());
          }
        }
        Collections.sort(values);
        for (int parts : new int[] {1, 3, 9, 40}) {
          List<Double> got = Frame.fromTable(t, parts).quantile(col, qs)
              .compute(Schedulers.sync());
          for (int i = 0; i < qs.length; i++) {
            double want = direct(values, qs[i]);
            if (Double.isNaN(want)) {
              assertTrue(Double.isNaN(got.get(i)));
            } else {
              assertEquals(want, got.get(i), 1e-12 * Math.max(1, Math.abs(want)),
                  col + " q=" + qs[i] + " rows=" + rows + " parts=" + parts);
            }
          }
        }
      }
    }
  }

  @Test
  void badInput() {
    Frame f = Frame.fromTable(TestData.random(5, 1, 0), 2);
    assertThrows(GraphException.class, () -> f.quantile("name", 0.5));
    assertThrows(GraphException.class, () -> f.quantile("x", 1.5));
    assertThrows(GraphException.class, () -> f.quantile("x"));
  }
}
