package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Property test: random data in random partitionings (many empty partitions, single elements,
 * one big partition), random split_every, one chain of operations, every answer compared with
 * Java streams on the unpartitioned data.
 */
class RandomPartitioningTest {
  static final Scheduler SYNC = Schedulers.sync();

  static List<List<Integer>> randomPartitions(List<Integer> data, Random r) {
    int parts = 1 + r.nextInt(12);
    List<Integer> cuts = new ArrayList<>();
    for (int i = 0; i < parts - 1; i++) {
      cuts.add(r.nextInt(data.size() + 1));
    }
    Collections.sort(cuts);
    List<List<Integer>> out = new ArrayList<>();
    int from = 0;
    for (int c : cuts) {
      out.add(data.subList(from, c));
      from = c;
    }
    out.add(data.subList(from, data.size()));
    return out;
  }

  @Test
  void randomPartitioningsAgreeWithStreams() {
    for (int seed = 0; seed < 40; seed++) {
      Random r = new Random(seed);
      List<Integer> data = Partitionings.ints(r.nextInt(60), seed);
      Bag<Integer> bag = Bag.fromPartitions(randomPartitions(data, r))
          .splitEvery(2 + r.nextInt(4));
      String where = "seed " + seed;

      Bag<Integer> chain = bag.map(x -> x * 3 + 1).filter(x -> x % 2 == 0)
          .flatMap(x -> Collections.nCopies(Math.floorMod(x, 3), x));
      List<Integer> expected = data.stream().map(x -> x * 3 + 1).filter(x -> x % 2 == 0)
          .flatMap(x -> Collections.nCopies(Math.floorMod(x, 3), x).stream())
          .collect(Collectors.toList());
      assertEquals(expected, chain.compute(SYNC), where);
      assertEquals((long) expected.size(), chain.count().compute(SYNC), where);
      assertEquals(expected.stream().mapToLong(x -> x).sum(), chain.sum().compute(SYNC), where);
      assertEquals(expected.stream().distinct().collect(Collectors.toList()),
          chain.distinct().compute(SYNC), where);
      Map<Integer, Long> freq = new HashMap<>();
      chain.frequencies().compute(SYNC).forEach(e -> freq.put(e.getKey(), e.getValue()));
      assertEquals(expected.stream().collect(Collectors.groupingBy(Function.identity(),
          Collectors.counting())), freq, where);
      int k = r.nextInt(6);
      assertEquals(expected.stream().sorted(Comparator.reverseOrder()).limit(k)
          .collect(Collectors.toList()), chain.topk(k, x -> x).compute(SYNC), where);
      int n = 1 + r.nextInt(15);
      assertEquals(expected, chain.repartition(n).compute(SYNC), where);
      assertEquals(expected.subList(0, Math.min(k, expected.size())), chain.take(k, SYNC),
          where);
      Map<Integer, List<Integer>> groups = new HashMap<>();
      chain.groupby(x -> Math.floorMod(x, 5), n).compute(SYNC)
          .forEach(e -> groups.put(e.getKey(), e.getValue()));
      assertEquals(expected.stream().collect(Collectors.groupingBy(x -> Math.floorMod(x, 5))),
          groups, where);
      if (!expected.isEmpty()) {
        double mean = expected.stream().mapToDouble(x -> x).average().getAsDouble();
        assertEquals(mean, chain.mean().compute(SYNC), 1e-9, where);
        double var = expected.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum()
            / expected.size();
        assertEquals(Math.sqrt(var), chain.std().compute(SYNC), 1e-9, where);
      }
    }
  }
}
