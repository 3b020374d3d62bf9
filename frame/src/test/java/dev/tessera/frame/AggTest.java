package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tech.tablesaw.aggregate.AggregateFunctions.count;
import static tech.tablesaw.aggregate.AggregateFunctions.max;
import static tech.tablesaw.aggregate.AggregateFunctions.mean;
import static tech.tablesaw.aggregate.AggregateFunctions.min;
import static tech.tablesaw.aggregate.AggregateFunctions.stdDev;
import static tech.tablesaw.aggregate.AggregateFunctions.sum;
import static tech.tablesaw.aggregate.AggregateFunctions.variance;

import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

class AggTest {
  static final Table T = TestData.random(307, 7, 0.12);
  @TempDir static Path dir;

  static final Agg[] ALL = {Agg.sum("x"), Agg.mean("x"), Agg.count("x"), Agg.min("x"),
      Agg.max("x"), Agg.std("x"), Agg.var("x"), Agg.first("x"), Agg.last("day"),
      Agg.nunique("k"), Agg.min("day"), Agg.max("name"), Agg.size(), Agg.first("name")};

  static List<Frame> frames() throws IOException {
    List<Frame> out = FrameOpsTest.framesIn(T, dir);
    return out;
  }

  /** The groupby computed directly: rows grouped in a map, each aggregation by a loop. */
  static Table expected(Table t, List<String> keys, Agg... aggs) {
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < t.rowCount(); i++) {
      List<Object> key = new ArrayList<>();
      boolean missing = false;
      for (String k : keys) {
        missing |= t.column(k).isMissing(i);
        key.add(t.column(k).get(i));
      }
      if (!missing) {
        groups.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
      }
    }
    if (keys.isEmpty() && groups.isEmpty()) {
      groups.put(List.of(), List.of());
    }
    Table out = Table.create("e");
    for (int j = 0; j < keys.size(); j++) {
      @SuppressWarnings("unchecked")
      Column<Object> c = (Column<Object>) t.column(keys.get(j)).type().create(keys.get(j));
      for (List<Object> k : groups.keySet()) {
        c.appendObj(k.get(j));
      }
      out.addColumns(c);
    }
    Schema s = Schema.of(t);
    for (Agg a : aggs) {
      @SuppressWarnings("unchecked")
      Column<Object> c = (Column<Object>) a.resultType(s).create(a.name());
      for (List<Integer> rows : groups.values()) {
        List<Object> v = new ArrayList<>();
        for (int i : rows) {
          if (a.column() != null && !t.column(a.column()).isMissing(i)) {
            v.add(t.column(a.column()).get(i));
          }
        }
        Object r = direct(a, v, rows.size());
        if (r == null) {
          c.appendMissing();
        } else {
          c.appendObj(r);
        }
      }
      out.addColumns(c);
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object direct(Agg a, List<Object> v, int rows) {
    double sum = 0;
    for (Object o : v) {
      if (o instanceof Number n) {
        sum += n.doubleValue();
      }
    }
    int n = v.size();
    double mean = sum / n;
    double ss = 0;
    for (Object o : v) {
      if (o instanceof Number x) {
        ss += (x.doubleValue() - mean) * (x.doubleValue() - mean);
      }
    }
    List<Comparable> sorted = new ArrayList<>();
    for (Object o : v) {
      sorted.add((Comparable) o);
    }
    sorted.sort(null);
    boolean numeric = !v.isEmpty() && v.get(0) instanceof Number;
    switch (a.kind()) {
      case SUM: return sum;
      case MEAN: return n == 0 ? Double.NaN : mean;
      case COUNT: return (long) n;
      case SIZE: return (long) rows;
      case STD: return n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
      case VAR: return n < 2 ? Double.NaN : ss / (n - 1);
      case MIN: return n == 0 ? null : numeric ? ((Number) sorted.get(0)).doubleValue()
          : sorted.get(0);
      case MAX: return n == 0 ? null : numeric ? ((Number) sorted.get(n - 1)).doubleValue()
          : sorted.get(n - 1);
      case FIRST: return n == 0 ? null : v.get(0);
      case LAST: return n == 0 ? null : v.get(n - 1);
      default: return (long) new HashSet<>(v).size();
    }
  }

  @Test
  void groupbyOneAndTwoKeysEveryAggregation() throws IOException {
    Table e1 = expected(T, List.of("name"), ALL);
    Table e2 = expected(T, List.of("name", "k"), ALL);
    for (Frame f : frames()) {
      TestData.assertSameTable(e1, f.groupby("name").agg(ALL).compute(), false);
      TestData.assertSameTable(e2, f.groupby("name", "k").agg(ALL).compute(Schedulers.sync()),
          false);
      Frame split = f.groupby("name", "k").splitOut(3).splitEvery(2).agg(ALL);
      assertEquals(3, split.npartitions());
      TestData.assertSameTable(e2, split.compute(), false);
    }
  }

  @Test
  void groupbyAgreesWithTablesawSummarize() throws IOException {
    Table ts = T.summarize("x", sum, mean, count, min, max, stdDev, variance).by("name");
    // Tablesaw groups missing names under "" and counts missing x in count: compare the
    // groups with a name, and count against present values
    ts = ts.where(ts.stringColumn("name").isNotMissing());
    for (Frame f : frames().subList(0, 3)) {
      Table got = f.groupby("name").agg(Agg.sum("x"), Agg.mean("x"), Agg.min("x"),
          Agg.max("x"), Agg.std("x"), Agg.var("x")).compute();
      got = got.sortAscendingOn("name");
      Table exp = ts.sortAscendingOn("name");
      for (String[] pair : new String[][] {{"x_sum", "Sum [x]"}, {"x_mean", "Mean [x]"},
          {"x_min", "Min [x]"}, {"x_max", "Max [x]"}, {"x_std", "Std. Deviation [x]"},
          {"x_var", "Variance [x]"}}) {
        for (int i = 0; i < got.rowCount(); i++) {
          assertEquals(exp.doubleColumn(pair[1]).get(i), got.doubleColumn(pair[0]).get(i),
              1e-9, pair[0]);
        }
      }
    }
  }

  @Test
  void wholeFrameReductions() throws IOException {
    var x = T.doubleColumn("x");
    for (Frame f : frames()) {
      assertEquals(x.sum(), f.sum("x").compute(), 1e-9);
      assertEquals(x.mean(), f.mean("x").compute(), 1e-9);
      assertEquals(x.standardDeviation(), f.std("x").compute(), 1e-9);
      assertEquals(x.variance(), f.var("x").compute(), 1e-9);
      assertEquals(x.min(), f.min("x").compute(), 0);
      assertEquals(x.max(), f.max("x").compute(), 0);
      assertEquals((long) (x.size() - x.countMissing()), f.count("x").compute());
      assertEquals((long) T.longColumn("k").removeMissing().countUnique(),
          f.nunique("k").compute());
      TestData.assertSameTable(expected(T, List.of(), ALL), f.agg(ALL).compute(), true);
      // an empty selection still gives one row
      Table none = f.filter(Expr.col("x").gt(1e9)).agg(Agg.sum("x"), Agg.size()).compute();
      assertEquals(0.0, none.doubleColumn("x_sum").get(0));
      assertEquals(0L, none.longColumn("size").get(0));
    }
  }

  @Test
  void valueCountsDescribeDropDuplicates() throws IOException {
    Table counts = T.where(T.stringColumn("name").isNotMissing()).countBy("name");
    Table dedup = T.selectColumns("name", "k").dropDuplicateRows();
    for (Frame f : frames()) {
      Table vc = f.valueCounts("name").compute();
      assertEquals(counts.rowCount(), vc.rowCount());
      for (int i = 0; i < vc.rowCount(); i++) {
        String n = vc.stringColumn("name").get(i);
        int j = counts.stringColumn("name").indexOf(n);
        assertEquals(counts.intColumn("Count").get(j).longValue(), vc.longColumn("count").get(i));
        if (i > 0) {
          assertTrue(vc.longColumn("count").get(i - 1) >= vc.longColumn("count").get(i));
        }
      }
      Table d = f.describe().compute();
      assertEquals(List.of("stat", "id", "x", "k"), d.columnNames());
      assertEquals(T.doubleColumn("x").mean(), d.doubleColumn("x").get(1), 1e-9);
      assertEquals(T.longColumn("k").standardDeviation(), d.doubleColumn("k").get(2), 1e-9);
      Table got = f.select("name", "k").dropDuplicates().compute();
      TestData.assertSameTable(dedup, got, true); // first occurrences, in order
      Table byName = f.dropDuplicates("name").compute();
      assertEquals(T.stringColumn("name").countUnique(), byName.rowCount());
    }
  }

  @Test
  void badAggregationsFailAtBuildTime() {
    Frame f = Frame.fromTable(T, 2);
    GraphException e = assertThrows(GraphException.class, () -> f.groupby("nope"));
    assertTrue(e.getMessage().contains("no column 'nope'"), e.getMessage());
    e = assertThrows(GraphException.class, () -> f.groupby("name").agg(Agg.sum("day")));
    assertTrue(e.getMessage().contains("numeric"), e.getMessage());
    assertThrows(GraphException.class, () -> f.groupby("name").agg(Agg.sum("missing")));
    assertThrows(GraphException.class, () -> f.groupby("name").agg(Agg.sum("x"),
        Agg.sum("x")));
    assertEquals(ColumnType.LOCAL_DATE, f.groupby("name").agg(Agg.first("day"))
        .dtypes().get("day_first"));
  }
}
