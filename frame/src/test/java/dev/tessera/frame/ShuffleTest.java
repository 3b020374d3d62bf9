package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * Shuffles (merge, sortValues, setIndex) within a memory budget: pieces spill to files and are
 * read back, the answers equal the direct computation on every partitioning, and no file is
 * left behind after success or failure. The boundaries' sample is part of the graph.
 */
class ShuffleTest {
  static final dev.tessera.schedulers.ThreadedScheduler THREADS = Schedulers.threads(2);

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

  /** The spill files under the spill directory now. */
  long files() throws IOException {
    try (Stream<Path> s = Files.walk(spill)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  static List<Frame> partitionings(Table t) {
    return List.of(Frame.fromTable(t, 1), Frame.fromTable(t, 6),
        Frame.fromTable(t, t.rowCount() + 4)); // one-row and empty partitions
  }

  @Test
  void mergeWithinATinyBudgetEqualsTheDirectJoinAndLeavesNoFile() throws IOException {
    Table left = TestData.random(90, 31, 0.1); // 7 names: skewed keys; missing keys
    Table right = ReshapeTest.R.copy().removeColumns("k");
    for (long budget : new long[] {0, 2_000, Long.MAX_VALUE}) {
      ShuffleMemory.setBudget(budget);
      long before = ShuffleMemory.spilledFiles();
      for (Frame l : partitionings(left)) {
        for (JoinType how : JoinType.values()) {
          Frame m = l.merge(Frame.fromTable(right, 3), how, List.of("name"), 0);
          assertEquals(ReshapeTest.expectedJoin(left, right, List.of("name"), how),
              TestData.sortedRows(m.compute(THREADS)),
              how + " budget " + budget + " " + l.npartitions() + " partitions");
          assertEquals(0, files(), "spill files left after " + how);
        }
      }
      long spilled = ShuffleMemory.spilledFiles() - before;
      assertTrue(budget == Long.MAX_VALUE ? spilled == 0 : spilled > 0,
          "budget " + budget + ": " + spilled + " files spilled");
    }
  }

  @Test
  void sortAndSetIndexWithinATinyBudgetEqualTheDirectSort() throws IOException {
    Table t = TestData.random(100, 41, 0.1);
    for (long budget : new long[] {0, 1_500}) {
      ShuffleMemory.setBudget(budget);
      for (Frame f : partitionings(t)) {
        for (String col : List.of("x", "name", "id")) {
          Table got = f.sortValues(col).compute(THREADS);
          Table expected = t.where(t.column(col).isNotMissing()).sortAscendingOn(col);
          assertEquals(t.rowCount(), got.rowCount());
          for (int i = 0; i < expected.rowCount(); i++) {
            assertEquals(expected.column(col).get(i), got.column(col).get(i), col + " row " + i);
          }
          for (int i = expected.rowCount(); i < got.rowCount(); i++) {
            assertTrue(got.column(col).isMissing(i), "missing values last");
          }
          assertEquals(TestData.sortedRows(t), TestData.sortedRows(got), "same rows");
          assertEquals(0, files());
        }
        Frame idx = f.setIndex("x");
        List<Object> div = idx.divisions().orElseThrow();
        assertEquals(f.npartitions() + 1, div.size());
        assertEquals(t.doubleColumn("x").min(), (Double) div.get(0), 0.0);
        assertEquals(t.doubleColumn("x").max(), (Double) div.get(div.size() - 1), 0.0);
        List<Table> parts = Delayed.list(idx.toDelayed()).compute(THREADS);
        assertEquals(0, files(), "spill files left after setIndex");
        for (int p = 0; p < parts.size(); p++) {
          Table part = parts.get(p);
          DoubleColumn x = part.doubleColumn("x");
          for (int i = 0; i < part.rowCount(); i++) {
            if (!x.isMissing(i)) {
              double v = x.get(i);
              assertTrue(v >= (Double) div.get(p) && (p == parts.size() - 1
                  ? v <= (Double) div.get(p + 1) : v < (Double) div.get(p + 1)),
                  "partition " + p + " holds " + v + " outside " + div);
            } else {
              assertEquals(parts.size() - 1, p, "missing values in the last partition");
            }
          }
        }
      }
    }
  }

  @Test
  void rangeSplitsOfSignedZerosAndOfIntsKeepTheDirectOrder() {
    // the split compares doubles and ints as primitives: it must order as Double.compareTo
    java.util.Random r = new java.util.Random(5);
    int n = 3000;
    double[] xs = new double[n];
    int[] ks = new int[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      int pick = r.nextInt(4);
      xs[i] = pick == 0 ? -0.0 : pick == 1 ? 0.0 : pick == 2 ? Double.NaN : r.nextGaussian();
      ks[i] = r.nextInt(20) == 0 ? Integer.MIN_VALUE : r.nextInt(7) - 3; // MIN_VALUE: missing
      ids[i] = i;
    }
    Table t = Table.create("t", DoubleColumn.create("x", xs), tech.tablesaw.api.IntColumn
        .create("k", ks), LongColumn.create("id", ids));
    for (int parts : new int[] {1, 3, 7, 50}) {
      Frame f = Frame.fromTable(t, parts);
      for (String col : List.of("x", "k")) {
        for (boolean ascending : new boolean[] {true, false}) {
          Table got = f.sortValues(col, ascending).compute(THREADS);
          Table present = t.where(t.column(col).isNotMissing());
          List<Object> want = new ArrayList<>();
          for (int i = 0; i < present.rowCount(); i++) {
            want.add(present.column(col).get(i));
          }
          @SuppressWarnings({"unchecked", "rawtypes"})
          java.util.Comparator<Object> order = (a, b) -> ((Comparable) a).compareTo(b);
          want.sort(ascending ? order : order.reversed());
          for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), got.column(col).get(i),
                col + (ascending ? " ascending" : " descending") + ", " + parts
                    + " partitions, row " + i);
          }
          assertEquals(n, got.rowCount());
          assertEquals(TestData.sortedRows(t), TestData.sortedRows(got), "same rows");
        }
      }
    }
  }

  @Test
  void setIndexOfOneRepeatedValueAndOfOnlyMissingValues() {
    LongColumn same = LongColumn.create("v", new long[50]);
    LongColumn none = LongColumn.create("w");
    for (int i = 0; i < 50; i++) {
      none.appendMissing();
    }
    Table t = Table.create("t", same, none, LongColumn.create("i", java.util.stream.LongStream
        .range(0, 50).toArray()));
    Frame idx = Frame.fromTable(t, 5).setIndex("v");
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), idx.divisions().orElseThrow());
    TestData.assertSameTable(t, idx.compute(), false);
    Frame w = Frame.fromTable(t, 5).setIndex("w");
    assertTrue(w.divisions().isEmpty(), "no value: no divisions");
    assertEquals("w", w.index().orElseThrow());
    TestData.assertSameTable(t, w.compute(), false);
  }

  static final AtomicInteger LOADS = new AtomicInteger();

  static Table load(Table t) {
    LOADS.incrementAndGet();
    return t;
  }

  @Test
  void setIndexComputesNothingUntilTheFrameIsComputed() {
    Table t = TestData.random(120, 5, 0.1);
    List<Delayed<Table>> parts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      parts.add(Delayed.call(ShuffleTest::load, Delayed.value(Tables.slice(t, i * 30,
          i * 30 + 30))));
    }
    LOADS.set(0);
    Frame idx = Frame.fromDelayed(parts, Schema.of(t)).setIndex("x");
    idx.graph();
    assertEquals(0, LOADS.get(), "setIndex computed something when called");
    Table got = idx.compute(Schedulers.sync());
    assertEquals(4, LOADS.get(), "each partition loaded once: the sample shares its read");
    assertEquals(t.rowCount(), got.rowCount());
    assertTrue(idx.divisions().isPresent()); // computed now, on demand
  }

  @Test
  void theSampleSortsOnlyItsSample() {
    double[] v = new double[100_000];
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextDouble();
    }
    v[17] = -1;
    v[99_000] = 2;
    DoubleColumn x = DoubleColumn.create("x", v);
    x.setMissing(5);
    Shuffle.SampleResult s = (Shuffle.SampleResult) new Shuffle.Sample("x", 64)
        .apply(Table.create("t", x));
    assertEquals(64, s.values().size());
    assertEquals(v.length - 1, s.count());
    assertEquals(-1.0, s.min());
    assertEquals(2.0, s.max());
    for (int i = 1; i < s.values().size(); i++) {
      assertTrue((Double) s.values().get(i - 1) <= (Double) s.values().get(i), "sorted");
    }
  }

  static Table failOnSecond(Table t) {
    if (t.rowCount() > 0 && t.longColumn("id").get(0) >= 40) {
      throw new IllegalStateException("a bad partition");
    }
    return t;
  }

  @Test
  void aFailedShuffleLeavesNoSpillFileBehind() throws Exception {
    ShuffleMemory.setBudget(0);
    Table t = TestData.random(120, 8, 0.0);
    Frame l = Frame.fromTable(t, 3);
    Frame r = Frame.fromTable(t, 3).mapPartitions(ShuffleTest::failOnSecond);
    Frame m = l.merge(r, JoinType.INNER, List.of("id"), 0);
    assertThrows(TaskFailedException.class, () -> m.compute(Schedulers.sync()));
    // pieces no task gathered are released when the computation drops them
    for (int i = 0; i < 200 && files() > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, files(), "spill files left after a failure");
    assertFalse(ShuffleMemory.heldBytes() < 0);
    // the next computation is not poisoned
    assertEquals(120, l.merge(l, JoinType.INNER, List.of("id"), 0).compute().rowCount());
  }

  @Test
  void workerJvmsSpillWithinTheirBudgetAndShipPiecesAsTables() throws Exception {
    Table left = TestData.random(150, 12, 0.1);
    Table right = ReshapeTest.R.copy().removeColumns("k");
    try (dev.tessera.schedulers.ProcessScheduler pool = Schedulers.processes(
        dev.tessera.schedulers.ProcessOptions.builder().workers(2)
            .jvmArgs("-D" + ShuffleMemory.BUDGET_PROPERTY + "=0",
                "-D" + ShuffleMemory.DIRECTORY_PROPERTY + "=" + spill)
            .build())) {
      for (JoinType how : List.of(JoinType.INNER, JoinType.OUTER)) {
        Frame m = Frame.fromTable(left, 4).merge(Frame.fromTable(right, 3), how,
            List.of("name"), 0);
        assertEquals(ReshapeTest.expectedJoin(left, right, List.of("name"), how),
            TestData.sortedRows(m.compute(pool)), how + " on worker JVMs");
      }
      Table sorted = Frame.fromTable(left, 5).sortValues("id").compute(pool);
      for (int i = 0; i < sorted.rowCount(); i++) {
        assertEquals((long) i, sorted.longColumn("id").get(i));
      }
      try (Stream<Path> s = Files.list(spill)) {
        assertTrue(s.findAny().isPresent(), "the workers spilled");
      }
    }
    // a piece gathered in another JVM is deleted when its worker drops it; the directory of
    // a worker that exited goes at the next use of the spill directory
    ShuffleMemory.setSpillDirectory(spill);
    assertEquals(0, files(), "spill files left after the workers exited");
  }

  @Test
  void mergeOnAWholeNumberKeyWithMissingAndRepeatedKeys() {
    Table left = TestData.random(70, 51, 0.15); // k in -2..2: few keys, many rows each
    Table right = TestData.random(40, 52, 0.15).selectColumns("k", "x", "day", "ok");
    for (JoinType how : JoinType.values()) {
      List<List<Object>> expected = ReshapeTest.expectedJoin(left, right, List.of("k"), how);
      for (Frame l : List.of(Frame.fromTable(left, 1), Frame.fromTable(left, 5))) {
        for (int bmax : new int[] {0, 1}) {
          Table got = l.merge(Frame.fromTable(right, 2), how, List.of("k"), bmax)
              .compute(Schedulers.sync());
          assertEquals(expected, TestData.sortedRows(got), how + " broadcastMax " + bmax);
        }
      }
      Table ints = left.copy();
      ints.replaceColumn("k", ints.longColumn("k").asIntColumn().setName("k"));
      Table intsRight = right.copy();
      intsRight.replaceColumn("k", intsRight.longColumn("k").asIntColumn().setName("k"));
      Table got = Frame.fromTable(ints, 3).merge(Frame.fromTable(intsRight, 2), how,
          List.of("k"), 0).compute(Schedulers.sync());
      assertEquals(ReshapeTest.expectedJoin(ints, intsRight, List.of("k"), how),
          TestData.sortedRows(got), how + " on an INTEGER key");
    }
  }
}
