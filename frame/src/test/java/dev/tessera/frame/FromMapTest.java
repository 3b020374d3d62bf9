package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * {@link Frame#fromMap}: partitions made inside the tasks from their items, equal to the
 * direct computation, made again by each task that needs them; and a {@code setIndex} over
 * them whose pieces all spill gives the rows of a direct stable sort, in its order.
 */
class FromMapTest {
  static final ThreadedScheduler THREADS = Schedulers.threads(2);
  static final Schema META = Schema.of("id", ColumnType.LONG, "x", ColumnType.DOUBLE);
  static final AtomicInteger CALLS = new AtomicInteger();

  @AfterAll
  static void stop() {
    THREADS.close();
  }

  @TempDir Path dir;
  Path spill;

  @BeforeEach
  void spillHere() throws IOException {
    spill = Files.createDirectories(dir.resolve("spill"));
    ShuffleMemory.setSpillDirectory(spill);
  }

  @AfterEach
  void defaults() {
    ShuffleMemory.resetBudget();
    ShuffleMemory.setSpillDirectory(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Rows {@code first .. first + rows - 1}. */
  record Part(long first, int rows) implements Serializable {}

  /** Ids from {@code first}; x from 40 values, so ties test the sort's stability. */
  static Table generate(Part p) {
    SplittableRandom r = new SplittableRandom(p.first() * 7919 + 1);
    long[] id = new long[p.rows()];
    double[] x = new double[p.rows()];
    for (int i = 0; i < id.length; i++) {
      id[i] = p.first() + i;
      x[i] = r.nextInt(40) / 8.0;
    }
    return Table.create("g", LongColumn.create("id", id), DoubleColumn.create("x", x));
  }

  static List<Part> parts(int... sizes) {
    List<Part> out = new ArrayList<>();
    long first = 0;
    for (int s : sizes) {
      out.add(new Part(first, s));
      first += s;
    }
    return out;
  }

  /** Every partition generated here, concatenated, then stably sorted by x. */
  static Table directSort(List<Part> parts) {
    Table all = generate(new Part(0, 0));
    for (Part p : parts) {
      all.append(generate(p));
    }
    DoubleColumn x = all.doubleColumn("x");
    int[] order = IntStream.range(0, all.rowCount()).boxed()
        .sorted(Comparator.comparingDouble(x::getDouble)) // a stable sort
        .mapToInt(Integer::intValue).toArray();
    // by hand: Tablesaw's Table.rows(int...) keeps the table's order, not the one given
    long[] id = new long[order.length];
    double[] v = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      id[i] = all.longColumn("id").getLong(order[i]);
      v[i] = x.getDouble(order[i]);
    }
    return Table.create("sorted", LongColumn.create("id", id), DoubleColumn.create("x", v));
  }

  @Test
  void partitionsAreTheFunctionOfTheirItems() {
    List<Part> ps = parts(3, 0, 5);
    Frame f = Frame.fromMap(FromMapTest::generate, ps, META);
    assertEquals(3, f.npartitions());
    assertEquals(META, f.schema());
    List<Table> got = new ArrayList<>();
    f.toDelayed().forEach(d -> got.add(d.compute(THREADS)));
    for (int i = 0; i < ps.size(); i++) {
      Table want = generate(ps.get(i));
      assertArrayEquals(want.longColumn("id").asLongArray(),
          got.get(i).longColumn("id").asLongArray());
      assertArrayEquals(want.doubleColumn("x").asDoubleArray(),
          got.get(i).doubleColumn("x").asDoubleArray());
    }
    // the same function and items give the same keys: shared work merges
    assertEquals(f.outputKeys(), Frame.fromMap(FromMapTest::generate, ps, META).outputKeys());
  }

  @Test
  void aSortMakesEachPartitionInItsSampleAndInItsSplitInsteadOfHoldingIt() {
    CALLS.set(0);
    Frame f = Frame.fromMap(p -> {
      CALLS.incrementAndGet();
      return generate(p);
    }, parts(10, 20, 30), META);
    assertEquals(60, f.setIndex("x").compute(THREADS).rowCount());
    assertEquals(6, CALLS.get()); // 3 samples + 3 splits
  }

  @Test
  void setIndexThatSpillsEveryPieceGivesTheDirectSortOnEveryChunking() throws IOException {
    ShuffleMemory.setBudget(0); // every non-empty piece goes to a file
    int[][] chunkings = {{1}, {0}, {0, 1, 0}, {5, 0, 7, 0, 0, 3}, {100, 1, 0, 250},
        {400, 400, 400, 400}, {1000, 0, 1, 999, 0}};
    for (int[] sizes : chunkings) {
      List<Part> ps = parts(sizes);
      long spilled0 = ShuffleMemory.spilledBytes();
      Frame indexed = Frame.fromMap(FromMapTest::generate, ps, META).setIndex("x");
      Table got = indexed.compute(THREADS);
      Table want = directSort(ps);
      String where = Arrays.toString(sizes);
      assertEquals(want.rowCount(), got.rowCount(), where);
      assertArrayEquals(want.longColumn("id").asLongArray(), got.longColumn("id").asLongArray(),
          where);
      assertArrayEquals(want.doubleColumn("x").asDoubleArray(),
          got.doubleColumn("x").asDoubleArray(), where);
      assertEquals("x", indexed.index().orElseThrow());
      assertEquals(sizes.length, indexed.npartitions());
      if (want.rowCount() > 0) {
        assertTrue(ShuffleMemory.spilledBytes() > spilled0, where + " spilled nothing");
      }
      try (Stream<Path> s = Files.walk(spill)) {
        assertEquals(0, s.filter(Files::isRegularFile).count(), where + " left spill files");
      }
    }
  }

  @Test
  void aWrongTableOrNoItemsFailClearly() {
    Frame f = Frame.fromMap(p -> generate(p).selectColumns("x"), parts(2), META);
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> f.compute(THREADS));
    assertTrue(e.getCause().getMessage().contains("fromMap"), e.getCause().getMessage());
    assertThrows(GraphException.class,
        () -> Frame.fromMap(FromMapTest::generate, List.<Part>of(), META));
  }
}
