package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorTest {
  static final Scheduler SYNC = Schedulers.sync();

  static int explodeOn7(int x) {
    if (x == 7) {
      throw new ArithmeticException("seven");
    }
    return x;
  }

  @Test
  void userFunctionFailureNamesKeyPartitionAndElement() {
    // partitions [0..4], [5..9]: 7 is element 2 of partition 1
    Bag<Integer> b = Bag.fromCollection(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 2)
        .map(x -> x + 0).map(ErrorTest::explodeOn7);
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> b.compute(SYNC));
    assertEquals(b.outputKeys().get(1), e.key());
    BagElementException be = (BagElementException) e.getCause();
    assertEquals(1, be.partition());
    assertEquals(2, be.element());
    assertEquals(b.name(), be.bag());
    assertTrue(be.getCause() instanceof ArithmeticException);
    assertTrue(be.getMessage().contains("map function failed on element 2 of partition 1")
        && be.getMessage().contains(b.name()), be.getMessage());
    // the same inside a reduction's fused per-partition task
    TaskFailedException r = assertThrows(TaskFailedException.class,
        () -> b.sum().compute(SYNC));
    assertEquals(2, ((BagElementException) r.getCause()).element());
  }

  @Test
  void elementIndexCountsSourceElementsAfterFilters() {
    Bag<Integer> b = Bag.fromCollection(List.of(10, 11, 12, 13), 1)
        .filter(x -> x % 2 == 1).map(x -> 100 / (x - 13));
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> b.compute(SYNC));
    BagElementException be = (BagElementException) e.getCause();
    assertEquals(3, be.element());
    assertTrue(be.getCause() instanceof ArithmeticException);
  }

  @Test
  @SuppressWarnings("divzero") // the fold fails on purpose
  void otherUserFunctionsAreNamed() {
    Bag<Integer> b = Bag.fromCollection(List.of(1, 2, 3), 1);
    TaskFailedException fold = assertThrows(TaskFailedException.class, () -> b.fold(0,
        (a, x) -> x == 3 ? a / 0 : a + x, Integer::sum).compute(SYNC));
    assertTrue(fold.getCause().getMessage().startsWith("fold binop failed on element 2"),
        fold.getCause().getMessage());
    TaskFailedException filter = assertThrows(TaskFailedException.class,
        () -> b.filter(x -> x == 2 ? null : true).compute(SYNC));
    assertTrue(filter.getCause().getMessage().contains("element 1"));
    TaskFailedException mp = assertThrows(TaskFailedException.class,
        () -> b.mapPartitions(p -> {
          throw new IllegalStateException("boom");
        }).compute(SYNC));
    assertTrue(mp.getCause().getMessage().contains("mapPartitions function failed on partition 0"),
        mp.getCause().getMessage());
    TaskFailedException pl = assertThrows(TaskFailedException.class,
        () -> b.pluck("x").compute(SYNC));
    assertTrue(pl.getCause().getCause().getMessage().contains("cannot pluck"));
  }

  @Test
  void zipWithDifferentLengthsFoundAtRunTime() {
    Bag<Integer> a = Bag.fromCollection(List.of(1, 2, 3, 4), 2);
    Bag<Integer> b = a.filter(x -> x != 2);
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> a.zip(b).compute(SYNC));
    assertTrue(e.getCause().getMessage().contains("partition 0 has 2 elements on the left"),
        e.getCause().getMessage());
  }

  @Test
  void badArgumentsFailAtBuildTime() {
    Bag<Integer> b = Bag.fromCollection(List.of(1), 1);
    assertThrows(GraphException.class, () -> Bag.fromCollection(List.of(1), 0));
    assertThrows(GraphException.class, () -> Bag.fromCollectionBySize(List.of(1), 0));
    assertThrows(GraphException.class, () -> Bag.fromPartitions(List.of()));
    assertThrows(GraphException.class, () -> b.repartition(0));
    assertThrows(GraphException.class, () -> b.splitEvery(1));
    assertThrows(GraphException.class, () -> b.groupby(x -> x, 0));
    assertThrows(GraphException.class, () -> b.topk(-1, x -> x));
    GraphException c = assertThrows(GraphException.class,
        () -> b.topk(1, (x, y) -> Integer.compare(x, y)));
    assertTrue(c.getMessage().contains("Serializable"));
    // Serializable in type, but it captures a method reference that does not serialize: it
    // would fail only on reaching a worker JVM, so it fails here, naming the fix
    Bag<Map.Entry<String, Long>> counts = Bag.fromCollection(List.of("a", "b", "a"), 2)
        .frequencies();
    GraphException m = assertThrows(GraphException.class,
        () -> counts.topk(1, java.util.Comparator.comparing(Map.Entry::getValue)));
    assertTrue(m.getMessage().contains("topk(k, e -> e.getValue())"), m.getMessage());
    assertEquals(List.of(Map.entry("a", 2L)), counts.topk(1, Map.Entry::getValue).compute());
    assertThrows(GraphException.class, () -> Bag.concat(List.of()));
  }

  @Test
  void sameExpressionGetsSameKeys() {
    Bag<Integer> a = Bag.fromCollection(List.of(1, 2, 3), 2).map(ErrorTest::explodeOn7);
    Bag<Integer> b = Bag.fromCollection(List.of(1, 2, 3), 2).map(ErrorTest::explodeOn7);
    assertEquals(a.outputKeys(), b.outputKeys());
    assertEquals(a.sum().key(), b.sum().key());
    Bag<Integer> s = a.splitEvery(2);
    assertSame(s.getClass(), Bag.class);
  }
}
