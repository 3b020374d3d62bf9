package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** pivotTable against cell-by-cell aggregation of the table. */
class PivotTest {
  @Test
  void sumMeanCountLikeDirectAggregation() {
    for (int rows : new int[] {1, 40, 600}) {
      Table t = TestData.random(rows, 151 + rows, 0.1);
      // name x k -> values of x
      Map<String, Map<Long, List<Double>>> cells = new TreeMap<>();
      for (int i = 0; i < rows; i++) {
        if (t.stringColumn("name").isMissing(i) || t.longColumn("k").isMissing(i)) {
          continue;
        }
        List<Double> xs = cells.computeIfAbsent(t.stringColumn("name").get(i),
            n -> new TreeMap<>()).computeIfAbsent(t.longColumn("k").get(i),
            k -> new ArrayList<>());
        if (!t.doubleColumn("x").isMissing(i)) {
          xs.add(t.doubleColumn("x").get(i));
        }
      }
      List<Long> ks = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        if (!t.longColumn("k").isMissing(i) && !ks.contains(t.longColumn("k").get(i))) {
          ks.add(t.longColumn("k").get(i));
        }
      }
      ks.sort(null);
      for (int parts : new int[] {1, 3, 50}) {
        Frame f = Frame.fromTable(t, parts);
        for (String agg : List.of("sum", "mean", "count", "max")) {
          Table p = f.pivotTable("name", "k", "x", agg).compute(Schedulers.sync());
          assertEquals("name", p.columnNames().get(0));
          assertEquals(ks.size() + 1, p.columnCount());
          assertEquals(new ArrayList<>(cells.keySet()), p.stringColumn("name").asList());
          for (int r = 0; r < p.rowCount(); r++) {
            Map<Long, List<Double>> row = cells.get(p.stringColumn("name").get(r));
            for (Long k : ks) {
              List<Double> xs = row.get(k);
              var c = p.column(String.valueOf(k));
              if (xs == null || xs.isEmpty() && !agg.equals("count")) {
                assertTrue(c.isMissing(r) || agg.equals("sum")
                    && ((Number) c.get(r)).doubleValue() == 0, agg + " " + k + ": " + c.get(r));
                continue;
              }
              double want = switch (agg) {
                case "sum" -> xs.stream().mapToDouble(d -> d).sum();
                case "mean" -> xs.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
                case "count" -> xs.size();
                default -> xs.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
              };
              assertEquals(want, ((Number) c.get(r)).doubleValue(), 1e-9,
                  agg + " row " + r + " k " + k);
            }
          }
        }
      }
    }
  }

  @Test
  void typesAndBadInput() {
    Frame f = Frame.fromTable(TestData.random(50, 1, 0), 3);
    assertEquals(ColumnType.LONG, f.pivotTable("name", "ok", "x", "count").schema()
        .type("true"));
    assertThrows(GraphException.class, () -> f.pivotTable("name", "k", "x", "median"));
    assertThrows(GraphException.class, () -> f.pivotTable("name", "nope", "x", "sum"));
  }
}
