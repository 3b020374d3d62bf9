package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import dev.tessera.schedulers.ProcessOptions;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.SpillArea;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Bag#groupby} within a memory budget: pieces spill to files and are read back in order,
 * the groups equal a direct {@code groupingBy} on every partitioning (each group in bag order),
 * on one thread, on threads and on worker JVMs, and no file is left behind after success or
 * failure.
 */
class GroupbySpillTest {
  static final ThreadedScheduler THREADS = Schedulers.threads(2);

  @AfterAll
  static void stop() {
    THREADS.close();
  }

  @TempDir Path dir;
  Path spill;

  @BeforeEach
  void spillHere() throws IOException {
    spill = Files.createDirectories(dir.resolve("spill"));
    BagShuffleMemory.setSpillDirectory(spill);
  }

  @AfterEach
  void defaults() {
    BagShuffleMemory.resetBudget();
    BagShuffleMemory.setSpillDirectory(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** The spill files under the spill directory now. */
  long files() throws IOException {
    try (Stream<Path> s = Files.walk(spill)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  /** An element: serializable, with a field that shows the order within a group. */
  record Item(int id, String tag) implements Serializable {}

  static List<Item> items(int n) {
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Item(i, "t" + (i * 7919 % 13)));
    }
    return out;
  }

  static Integer keyOf(Item x) {
    return x.id() % 7 == 3 ? null : x.id() * 31 % 11; // a null key too
  }

  /** The direct computation: groups in bag order. */
  static Map<Integer, List<Item>> expected(List<Item> data) {
    Map<Integer, List<Item>> m = new LinkedHashMap<>();
    for (Item x : data) {
      m.computeIfAbsent(keyOf(x), k -> new ArrayList<>()).add(x);
    }
    return m;
  }

  /** The groups of a groupby's result, checking that each key is in exactly one entry. */
  static <K, V> Map<K, List<V>> groups(List<Map.Entry<K, List<V>>> result) {
    Map<K, List<V>> m = new LinkedHashMap<>();
    for (Map.Entry<K, List<V>> e : result) {
      assertFalse(m.containsKey(e.getKey()), "key " + e.getKey() + " in two entries");
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }

  static List<Bag<Item>> partitionings(List<Item> data) {
    return Partitionings.of(data);
  }

  @Test
  void groupsEqualTheDirectComputationWithinATinyBudgetAndLeaveNoFile() throws IOException {
    for (int n : new int[] {0, 1, 40}) {
      List<Item> data = items(n);
      Map<Integer, List<Item>> expected = expected(data);
      for (long budget : new long[] {0, 3_000, -1}) {
        if (budget < 0) {
          BagShuffleMemory.resetBudget();
        } else {
          BagShuffleMemory.setBudget(budget);
        }
        long bytes = BagShuffleMemory.spilledBytes();
        long spilledFiles = BagShuffleMemory.spilledFiles();
        for (Bag<Item> b : partitionings(data)) {
          for (int out : new int[] {1, 3, n + 5}) {
            for (Scheduler s : List.of(Schedulers.sync(), THREADS)) {
              String where = n + " items, budget " + budget + ", " + b.npartitions()
                  + " partitions into " + out + " on " + s;
              assertEquals(expected, groups(b.groupby(GroupbySpillTest::keyOf, out).compute(s)),
                  where);
              assertEquals(0, files(), "spill files left: " + where);
            }
          }
        }
        assertEquals(0, BagShuffleMemory.heldBytes(), "bytes still held, budget " + budget);
        long written = BagShuffleMemory.spilledBytes() - bytes;
        long made = BagShuffleMemory.spilledFiles() - spilledFiles;
        if (n > 0 && budget == 0) {
          assertTrue(written > 0 && made > 0, written + " bytes in " + made + " files spilled");
        }
        if (budget < 0) {
          assertEquals(0, written, "the default budget spills nothing this small");
        }
      }
    }
  }

  @Test
  void aBudgetBetweenPiecesKeepsSomeAndSpillsTheRest() throws IOException {
    List<Item> data = items(3000);
    Bag<Item> b = Bag.fromCollection(data, 6);
    BagShuffleMemory.setBudget(0);
    long before = BagShuffleMemory.spilledBytes();
    b.groupby(GroupbySpillTest::keyOf, 8).compute(Schedulers.sync());
    long all = BagShuffleMemory.spilledBytes() - before;
    BagShuffleMemory.setBudget(all / 2);
    before = BagShuffleMemory.spilledBytes();
    assertEquals(expected(data), groups(b.groupby(GroupbySpillTest::keyOf, 8)
        .compute(Schedulers.sync())));
    long some = BagShuffleMemory.spilledBytes() - before;
    assertTrue(some > 0 && some < all, some + " of " + all + " bytes spilled");
    assertEquals(0, files());
    assertEquals(0, BagShuffleMemory.heldBytes());
  }

  @Test
  void partitionsLargerThanTheBudgetSpillAsTheyArriveAndKeepBagOrder() throws IOException {
    List<Item> data = items(5 * BagSpill.CHECK + 17);
    Map<Integer, List<Item>> expected = expected(data);
    for (long budget : new long[] {0, 100_000}) {
      BagShuffleMemory.setBudget(budget);
      for (Bag<Item> b : List.of(Bag.fromCollection(data, 1), Bag.fromCollection(data, 3))) {
        for (Scheduler s : List.of(Schedulers.sync(), THREADS)) {
          long before = BagShuffleMemory.spilledBytes();
          assertEquals(expected, groups(b.groupby(GroupbySpillTest::keyOf, 2).compute(s)),
              "budget " + budget + ", " + b.npartitions() + " partitions on " + s);
          assertTrue(BagShuffleMemory.spilledBytes() > before);
          assertEquals(0, files());
          assertEquals(0, BagShuffleMemory.heldBytes());
        }
      }
    }
  }

  @Test
  void chainedStepsAndLaterOperationsSeeTheSameGroups() throws IOException {
    BagShuffleMemory.setBudget(0);
    List<Item> data = items(500);
    Bag<Item> b = Bag.range(500, 7).map(i -> new Item((int) (long) i, "t" + (i * 7919 % 13)));
    Map<Integer, Integer> sizes = new LinkedHashMap<>();
    expected(data).forEach((k, v) -> sizes.put(k, v.size()));
    Map<Integer, Integer> got = new LinkedHashMap<>();
    b.filter(x -> true).groupby(GroupbySpillTest::keyOf, 4)
        .map(e -> new java.util.AbstractMap.SimpleEntry<>(e.getKey(), e.getValue().size()))
        .compute(THREADS).forEach(e -> got.put(e.getKey(), e.getValue()));
    assertEquals(sizes, got);
    assertEquals(0, files());
  }

  /** Not serializable: can be grouped in memory, and cannot spill. */
  static final class Opaque {
    final int id;

    Opaque(int id) {
      this.id = id;
    }
  }

  @Test
  void elementsThatDoNotSerializeFailClearlyOnlyWhenTheyMustSpill() throws IOException {
    Bag<Opaque> b = Bag.range(100, 4).map(i -> new Opaque((int) (long) i));
    Map<Integer, Long> counts = b.groupby(x -> x.id % 3, 2).compute(Schedulers.sync()).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    assertEquals(Map.of(0, 34L, 1, 33L, 2, 33L), counts, "within the default budget");
    BagShuffleMemory.setBudget(0);
    Bag<Map.Entry<Integer, List<Opaque>>> g = b.groupby(x -> x.id % 3, 2);
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> g.compute(Schedulers.sync()));
    assertTrue(e.getCause() instanceof TesseraException, e.toString());
    String m = e.getCause().getMessage();
    for (String part : new String[] {"groupby of bag '" + b.name() + "'", "groupby-split",
        Opaque.class.getName(), "not Serializable", "BagShuffleMemory.setBudget",
        BagShuffleMemory.BUDGET_PROPERTY, "foldby"}) {
      assertTrue(m.contains(part), part + " in: " + m);
    }
    assertEquals(0, files(), "the failed split removed its file");
    assertEquals(0, BagShuffleMemory.heldBytes());
  }

  @Test
  void theSourcesOwnErrorsPassThroughAsTheyAre() throws IOException {
    BagShuffleMemory.setBudget(0);
    Path bad = Files.write(dir.resolve("bad.txt"), new byte[] {'a', '\n', (byte) 0xff, '\n'});
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> Bag.readText(bad).groupby(x -> x, 2).compute(Schedulers.sync()));
    assertTrue(e.getCause() instanceof java.nio.charset.CharacterCodingException
        || e.getCause().getMessage().contains("UTF-8"), e.toString());
    assertFalse(e.getCause().getMessage().contains("spill"), e.toString());
    assertEquals(0, files());
    assertEquals(0, BagShuffleMemory.heldBytes());
  }

  static Item failOn(Item x) {
    if (x.id() == 250) {
      throw new IllegalStateException("a bad element");
    }
    return x;
  }

  @Test
  void aFailedGroupbyLeavesNoSpillFileBehind() throws Exception {
    BagShuffleMemory.setBudget(0);
    Bag<Item> b = Bag.fromCollection(items(300), 6).map(GroupbySpillTest::failOn);
    for (Scheduler s : List.of(Schedulers.sync(), THREADS)) {
      assertThrows(TaskFailedException.class, () -> b.groupby(GroupbySpillTest::keyOf, 3)
          .compute(s));
      // pieces no task gathered are released when the computation drops them
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (files() > 0 && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(20);
      }
      assertEquals(0, files(), "spill files left after a failure on " + s);
      assertEquals(0, BagShuffleMemory.heldBytes());
    }
    // the next computation is not poisoned
    Bag<Item> good = Bag.fromCollection(items(300), 6);
    assertEquals(expected(items(300)), groups(good.groupby(GroupbySpillTest::keyOf, 3)
        .compute(THREADS)));
  }

  @Test
  void workerJvmsSpillWithinTheirBudgetAndShipSpilledPieces() throws Exception {
    List<Item> data = items(60);
    Map<Integer, List<Item>> expected = expected(data);
    try (ProcessScheduler pool = Schedulers.processes(ProcessOptions.builder().workers(2)
        .jvmArgs("-D" + BagShuffleMemory.BUDGET_PROPERTY + "=0",
            "-D" + BagShuffleMemory.DIRECTORY_PROPERTY + "=" + spill)
        .build())) {
      for (Bag<Item> b : partitionings(data)) {
        for (int out : new int[] {1, 3, 65}) {
          assertEquals(expected, groups(b.groupby(GroupbySpillTest::keyOf, out).compute(pool)),
              b.npartitions() + " partitions into " + out + " on worker JVMs");
        }
      }
      long moved = pool.transfers();
      Bag<Item> b = Bag.fromCollection(items(400), 5);
      assertEquals(expected(items(400)), groups(b.groupby(GroupbySpillTest::keyOf, 4)
          .compute(pool)));
      assertTrue(pool.transfers() > moved, "pieces moved between processes");
      try (Stream<Path> s = Files.list(spill)) {
        assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("tessera-bag-spill-")),
            "the workers spilled");
      }
    }
    // the directory of a worker that exited goes at the next use of the spill directory
    BagShuffleMemory.setSpillDirectory(spill);
    assertEquals(0, files(), "spill files left after the workers exited");
  }

  static byte[] blob(long i) {
    byte[] b = new byte[1000];
    java.util.Arrays.fill(b, (byte) i);
    return b;
  }

  /**
   * A groupby of 150 MB of elements on worker JVMs of 96 MB of heap each completes with the
   * default budget (a quarter of each worker's heap): most pieces spill.
   */
  @Test
  void aGroupbyLargerThanTheWorkersHeapsCompletes() throws Exception {
    int n = 150_000;
    try (ProcessScheduler pool = Schedulers.processes(ProcessOptions.builder().workers(2)
        .jvmArgs("-Xmx96m", "-D" + BagShuffleMemory.DIRECTORY_PROPERTY + "=" + spill)
        .build())) {
      Number total = Bag.range(n, 60).map(GroupbySpillTest::blob)
          .groupby(b -> (int) b[0], 60)
          .map(e -> {
            long sum = 0;
            for (byte[] b : e.getValue()) {
              sum += b.length + (b[999] == e.getKey().byteValue() ? 0 : 1_000_000_000L);
            }
            return sum;
          })
          .sum().compute(pool);
      assertEquals(1000L * n, total.longValue(), "every element, each in its own group");
      long max = Bag.range(2, 2).map(i -> Runtime.getRuntime().maxMemory()).max().compute(pool);
      assertTrue(max < 100L << 20, "the workers' heap: " + max);
    }
    BagShuffleMemory.setSpillDirectory(spill);
    assertEquals(0, files(), "spill files left after the workers exited");
  }

  @Test
  void budgetPropertyParses() {
    assertEquals(512L << 20, SpillArea.parse("512m"));
    assertEquals(3L << 30, SpillArea.parse(" 3G "));
    assertEquals(1000, SpillArea.parse("1000"));
    assertThrows(IllegalArgumentException.class, () -> SpillArea.parse("lots"));
    assertThrows(IllegalArgumentException.class, () -> BagShuffleMemory.setBudget(-1));
  }
}
