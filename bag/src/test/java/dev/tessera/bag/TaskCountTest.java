package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** How many tasks a reduction runs, what its layers are called, and that its value is right. */
class TaskCountTest {
  /** The tasks compute() runs for {@code c}: its optimized graph, culled to its outputs. */
  static int planned(Lazy<?> c) {
    TaskGraph g = c.optimize(c.graph(), c.outputKeys());
    return ExecutionPlan.of(g, c.outputKeys()).size();
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
  void aScalarReductionIsChunksPlusOneAggregate() {
    var sum = Bag.range(100, 4).sum();
    assertEquals(5, planned(sum));   // four chunks and the aggregate; no wrapper tasks
    assertEquals(4950L, sum.compute(Schedulers.sync()));
    assertEquals("sum", operationOf(sum, sum.key()));
    assertEquals("sum", Key.of(sum.key().name()).prefix());
  }

  @Test
  void manyPartitionsCombineInLevelsOfSplitEvery() {
    // 40 partials -> 10 combines -> 3 combines -> the aggregate
    var b = Bag.range(1000, 40).splitEvery(4);
    var mean = b.mean();
    assertEquals(40 + 10 + 3 + 1, planned(mean));
    assertEquals(499.5, mean.compute(Schedulers.sync()), 1e-12);
    var std = b.std(1);
    double m = 499.5;
    double ss = LongStream.range(0, 1000).mapToDouble(x -> (x - m) * (x - m)).sum();
    assertEquals(Math.sqrt(ss / 999), std.compute(Schedulers.sync()), 1e-9);
    assertEquals(999L, b.max().compute(Schedulers.sync()));
  }

  @Test
  void reductionsToBagsAndWritesAddNoWrapperTasks() {
    Bag<Long> mod = Bag.range(30, 3).map(x -> x % 4);
    Bag<Map.Entry<Long, Long>> freq = mod.frequencies();
    assertEquals(3 + 1, planned(freq));
    Map<Long, Long> expected = LongStream.range(0, 30).boxed()
        .collect(Collectors.groupingBy(x -> x % 4, TreeMap::new, Collectors.counting()));
    Map<Long, Long> got = new TreeMap<>();
    for (Map.Entry<Long, Long> e : freq.compute(Schedulers.sync())) {
      got.put(e.getKey(), e.getValue());
    }
    assertEquals(expected, got);
    assertEquals(List.of(0L, 1L, 2L), Bag.range(3, 2).take(3, Schedulers.sync()));
  }
}
