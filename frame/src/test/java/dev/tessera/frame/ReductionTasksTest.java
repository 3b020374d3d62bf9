package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/** A frame's scalar reduction is its chunk tasks and one aggregate task, named after it. */
class ReductionTasksTest {
  static int planned(Lazy<?> c) {
    return ExecutionPlan.of(c.optimize(c.graph(), c.outputKeys()), c.outputKeys()).size();
  }

  static String operationOf(Lazy<?> c, Key k) {
    for (Layer l : c.graph().layers()) {
      if (l.tasks().containsKey(k)) {
        return l.operation();
      }
    }
    throw new AssertionError(k + " is in no layer");
  }

  @Test
  void scalarReductionsAddOnlyTheirAggregateTask() {
    Table t = TestData.random(300, 5, 0.1);
    DoubleColumn x = t.doubleColumn("x");
    for (int parts : new int[] {1, 4, 20}) {
      Frame f = Frame.fromTable(t, parts);
      // per partition: its table and its chunk; 20 partials take a level of 3 combines
      int expected = 2 * parts + (parts > 8 ? 3 : 0) + 1;
      Delayed<Double> sum = f.sum("x");
      assertEquals(expected, planned(sum), "partitions: " + parts);
      assertEquals(x.sum(), sum.compute(Schedulers.sync()), 1e-9);
      assertEquals("sum", operationOf(sum, sum.key()));
      Delayed<Double> mean = f.mean("x");
      assertEquals(x.mean(), mean.compute(Schedulers.sync()), 1e-9);
      assertEquals(x.standardDeviation(), f.std("x").compute(Schedulers.sync()), 1e-9);
      Delayed<Long> len = f.len();
      assertEquals(expected, planned(len));
      assertEquals(300L, len.compute(Schedulers.sync()));
      assertEquals("len", operationOf(len, len.key()));
      Table d = f.describe().compute(Schedulers.sync());
      assertEquals(x.mean(), d.doubleColumn("x").get(1), 1e-9);
      assertEquals((double) (x.size() - x.countMissing()), d.doubleColumn("x").get(0), 0);
    }
  }

  @Test
  void groupedAggregationsFollowTheNamingScheme() {
    Frame f = Frame.fromTable(TestData.random(200, 6, 0.0), 12);
    Frame g = f.groupby("name").agg(Agg.sum("x"));
    List<String> ops = g.graph().layers().stream().map(Layer::operation).toList();
    assertTrue(ops.contains("groupby-agg-chunk"), ops.toString());
    assertTrue(ops.contains("groupby-agg-combine"), ops.toString());
    assertEquals("groupby-agg", operationOf(g, g.outputKeys().get(0)));
    Frame d = f.dropDuplicates("name");
    assertEquals("drop-duplicates", operationOf(d, d.outputKeys().get(0)));
  }
}
