package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Task;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReduceTest {
  static final Scheduler SYNC = Schedulers.sync();
  static final List<Integer> DATA = Partitionings.ints(101, 3);

  @Test
  void countSumMinMaxMatchStreams() {
    for (Bag<Integer> b : Partitionings.of(DATA)) {
      for (Bag<Integer> bag : List.of(b, b.splitEvery(2))) {
        assertEquals((long) DATA.size(), bag.count().compute(SYNC));
        assertEquals(DATA.stream().mapToLong(x -> x).sum(), bag.sum().compute(SYNC));
        assertEquals(DATA.stream().min(Integer::compare).get(), bag.min().compute(SYNC));
        assertEquals(DATA.stream().max(Integer::compare).get(), bag.max().compute(SYNC));
      }
    }
    List<Double> reals = new Random(5).doubles(77).boxed().collect(Collectors.toList());
    for (Bag<Double> b : Partitionings.of(reals)) {
      assertEquals(reals.stream().mapToDouble(x -> x).sum(),
          b.sum().compute(SYNC).doubleValue(), 1e-9);
    }
  }

  @Test
  void emptyBags() {
    Bag<Integer> empty = Bag.fromCollection(List.<Integer>of(), 3);
    assertEquals(0L, empty.count().compute(SYNC));
    assertEquals(0L, empty.sum().compute(SYNC));
    assertTrue(Double.isNaN(empty.mean().compute(SYNC)));
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> empty.min().compute(SYNC));
    assertTrue(e.getCause() instanceof NoSuchElementException, e.toString());
    assertFalse(empty.any(x -> true).compute(SYNC));
    assertTrue(empty.all(x -> false).compute(SYNC));
    assertEquals(List.of(), empty.topk(3, x -> x).compute(SYNC));
  }

  @Test
  void meanAndStdAreStable() {
    // a large offset: the naive sum-of-squares formula loses every digit here
    Random r = new Random(9);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      xs.add(1e9 + r.nextGaussian());
    }
    double mean = xs.stream().mapToDouble(x -> x).average().getAsDouble();
    double m2 = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    for (Bag<Double> b : Partitionings.of(xs)) {
      assertEquals(mean, b.mean().compute(SYNC), 1e-6);
      assertEquals(Math.sqrt(m2 / xs.size()), b.std().compute(SYNC), 1e-6);
      assertEquals(Math.sqrt(m2 / (xs.size() - 1)), b.splitEvery(3).std(1).compute(SYNC), 1e-6);
    }
  }

  @Test
  void foldAndReduction() {
    for (Bag<Integer> b : Partitionings.of(DATA)) {
      assertEquals(DATA.stream().mapToLong(x -> (long) x * x).sum(),
          b.fold(0L, (acc, x) -> acc + (long) x * x, Long::sum).compute(SYNC));
      // an order-sensitive fold: string concatenation keeps bag order
      String joined = DATA.stream().map(String::valueOf).collect(Collectors.joining(","));
      assertEquals(joined, b.splitEvery(2).fold("", (acc, x) -> acc.isEmpty() ? "" + x
          : acc + "," + x, (l, rr) -> l.isEmpty() ? rr : rr.isEmpty() ? l : l + "," + rr)
          .compute(SYNC));
      assertEquals(DATA.stream().max(Integer::compare).get(), b.reduction(
          p -> p.stream().max(Integer::compare).orElse(Integer.MIN_VALUE),
          ms -> ms.stream().max(Integer::compare).get()).compute(SYNC));
    }
  }

  @Test
  void frequenciesTopkAnyAll() {
    List<String> words = Partitionings.words(500, 4);
    Map<String, Long> expected = words.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    // a comparator that serializes: what it captures must too (a lambda cast to Serializable)
    Comparator<Map.Entry<String, Long>> byCountThenWord =
        (Comparator<Map.Entry<String, Long>> & java.io.Serializable) (x, y) -> {
          int c = Long.compare(x.getValue(), y.getValue());
          return c != 0 ? c : y.getKey().compareTo(x.getKey());
        };
    List<Map.Entry<String, Long>> top3 = expected.entrySet().stream()
        .sorted(byCountThenWord.reversed()).limit(3).collect(Collectors.toList());
    for (Bag<String> b : Partitionings.of(words)) {
      Bag<Map.Entry<String, Long>> f = b.splitEvery(3).frequencies();
      assertEquals(1, f.npartitions());
      Map<String, Long> got = new HashMap<>();
      f.compute(SYNC).forEach(e -> got.put(e.getKey(), e.getValue()));
      assertEquals(expected, got);
      assertEquals(top3, f.topk(3, byCountThenWord).compute(SYNC));
      assertTrue(b.any(w -> w.equals("日本")).compute(SYNC));
      assertFalse(b.any(w -> w.equals("nope")).compute(SYNC));
      assertTrue(b.all(w -> w.length() < 6).compute(SYNC));
      assertFalse(b.all(w -> !w.isEmpty()).compute(SYNC));
    }
    List<Integer> top5 = DATA.stream().sorted(Comparator.reverseOrder()).limit(5)
        .collect(Collectors.toList());
    for (Bag<Integer> b : Partitionings.of(DATA)) {
      assertEquals(top5, b.topk(5, x -> x).compute(SYNC));
      assertEquals(top5, b.nlargest(5, x -> x).compute(SYNC));
      assertEquals(DATA.stream().sorted().limit(2).collect(Collectors.toList()),
          b.topk(2, x -> -x).compute(SYNC));
    }
  }

  @Test
  void noTaskReceivesAllPartitions() {
    Bag<Integer> b = Bag.fromCollectionBySize(DATA, 3).splitEvery(4); // 34 partitions
    for (Delayed<?> d : List.of(b.sum(), b.count(), b.std(), b.topk(3, x -> x))) {
      int maxDeps = 0;
      for (Task t : d.graph().tasks().values()) {
        maxDeps = Math.max(maxDeps, t.dependencyCount());
      }
      assertTrue(maxDeps <= 4, "a task of " + d + " has " + maxDeps + " inputs");
    }
    assertEquals(DATA.stream().mapToLong(x -> x).sum(), b.sum().compute(SYNC));
  }

  @Test
  void differentTreesComputedTogether() {
    // a reduction whose value shows the tree's shape
    Bag<Integer> b = Bag.fromCollectionBySize(DATA, 2);
    List<Delayed<String>> trees = new ArrayList<>();
    for (int k : new int[] {2, 5, 8}) {
      trees.add(b.splitEvery(k).reduction(p -> String.valueOf(p.size()),
          parts -> "(" + String.join(",", parts) + ")"));
    }
    List<Object> separately = new ArrayList<>();
    for (Delayed<String> t : trees) {
      separately.add(t.compute(SYNC));
    }
    assertEquals(3, new java.util.HashSet<>(separately).size());
    assertEquals(separately, dev.tessera.graph.Tessera.compute(List.copyOf(trees), SYNC));
  }

  @Test
  void takeComputesOnlyWhatItNeeds() {
    // partitions 0..2 hold 0..29; anything from 30 on throws, so reaching it would fail
    Bag<Long> b = Bag.range(100, 10).map(x -> {
      if (x >= 30) {
        throw new IllegalStateException("partition beyond what take needs was computed");
      }
      return x;
    });
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), b.take(5, SYNC));
    assertEquals(25, b.take(25, SYNC).size());
    assertEquals(List.of(7L), Bag.fromPartitions(List.of(List.<Long>of(), List.of(7L)))
        .take(3, SYNC));
  }

  @Test
  void foldbyAndGroupbyMatchStreams() {
    List<String> words = Partitionings.words(300, 6);
    Map<Integer, Long> lengthsCount = words.stream()
        .collect(Collectors.groupingBy(String::length, LinkedHashMap::new,
            Collectors.counting()));
    Map<Integer, List<String>> groups = words.stream()
        .collect(Collectors.groupingBy(String::length));
    for (Bag<String> b : Partitionings.of(words)) {
      List<Map.Entry<Integer, Long>> fb = b.splitEvery(2)
          .foldby(String::length, (Long acc, String w) -> acc + 1, 0L, Long::sum).compute(SYNC);
      assertEquals(new ArrayList<>(lengthsCount.entrySet()), new ArrayList<>(
          fb.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
              (x, y) -> x, LinkedHashMap::new)).entrySet()));
      for (int n : new int[] {1, 3}) {
        Bag<Map.Entry<Integer, List<String>>> g = b.groupby(String::length, n);
        assertEquals(n, g.npartitions());
        Map<Integer, List<String>> got = new HashMap<>();
        for (Map.Entry<Integer, List<String>> e : g.compute(SYNC)) {
          assertEquals(null, got.put(e.getKey(), e.getValue()), "key twice: " + e.getKey());
        }
        assertEquals(groups, got);
      }
    }
  }
}
