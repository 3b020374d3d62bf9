package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.array.Array;
import dev.tessera.array.ArrayException;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.bag.Bag;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * Arrays, frames and bags name the same things the same way: {@code toDelayed()}, {@code
 * head(n)} computing no more partitions than needed, writers that run now and return the
 * files, an {@code int} ddof, {@code Path} arguments, and one meaning per exception.
 */
class ApiConsistencyTest {
  @TempDir Path dir;

  static Table table(int rows) {
    LongColumn id = LongColumn.create("id");
    DoubleColumn x = DoubleColumn.create("x");
    for (int i = 0; i < rows; i++) {
      id.append(i);
      x.append(i * 0.5);
    }
    return Table.create("t", id, x);
  }

  /** Counts the tasks of each prefix that ran. */
  static final class Ran implements SchedulerCallback {
    final Set<String> keys = ConcurrentHashMap.newKeySet();

    @Override
    public void posttask(RunInfo run, TaskEvent e) {
      keys.add(e.key().toString());
    }

    long count(String prefix) {
      return keys.stream().filter(k -> k.contains(prefix)).count();
    }
  }

  @Test
  void toDelayedGivesOneValuePerBlockOrPartitionOnAllThree() {
    try (var s = Tessera.useScheduler(Schedulers.sync())) {
      INDArray v = Nd4j.arange(12).reshape('c', 3, 4).castTo(org.nd4j.linalg.api.buffer
          .DataType.DOUBLE);
      List<Delayed<INDArray>> blocks = Array.fromINDArray(v, Chunks.of(2, 3)).toDelayed();
      assertEquals(4, blocks.size());
      assertEquals(v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 4)), blocks.get(3).compute());
      List<Delayed<Table>> parts = Frame.fromTable(table(10), 3).toDelayed();
      assertEquals(3, parts.size());
      assertEquals(10, parts.stream().mapToInt(p -> p.compute().rowCount()).sum());
      List<Delayed<List<Long>>> bparts = Bag.range(10, 4).toDelayed();
      assertEquals(4, bparts.size());
      List<Long> all = new ArrayList<>();
      bparts.forEach(p -> all.addAll(p.compute()));
      assertEquals(Bag.range(10, 4).compute(), all);
      // a delayed partition is an input like any other
      Delayed<Integer> rows = Delayed.call(Table::rowCount, parts.get(0));
      assertEquals(parts.get(0).compute().rowCount(), rows.compute());
    }
  }

  static final java.util.concurrent.atomic.AtomicInteger BLOCKS =
      new java.util.concurrent.atomic.AtomicInteger();

  @Test
  void headComputesOnlyThePartitionsItNeedsOnAllThree() {
    Ran ran = new Ran();
    try (var s = Tessera.useScheduler(Schedulers.sync()); var c = Tessera.useCallback(ran)) {
      BLOCKS.set(0);
      Array a = Array.fromBlockFunction(info -> {
        BLOCKS.incrementAndGet();
        return Nd4j.ones(info.shape());
      }, new long[] {100, 3}, Chunks.of(10, 3), DType.FLOAT64);
      INDArray h = a.head(5);
      assertEquals(5, h.rows());
      assertEquals(1, BLOCKS.get(), "one block of ten made");
      assertEquals(100, a.head(1000).rows());

      ran.keys.clear();
      Frame f = Frame.fromTable(table(100), 10).assign("y", dev.tessera.frame.Expr.col("x")
          .times(dev.tessera.frame.Expr.lit(2.0)));
      assertEquals(5, f.head(5).rowCount());
      assertEquals(1, ran.count("assign"));
      ran.keys.clear();
      assertEquals(25, f.head(25).rowCount());
      assertEquals(3, ran.count("assign"), "1 partition, then 2 more");

      ran.keys.clear();
      Bag<Long> b = Bag.range(100, 10).map(x -> x * 2);
      assertEquals(List.of(0L, 2L, 4L), b.head(3));
      assertEquals(1, ran.count("map"));
      ran.keys.clear();
      assertEquals(25, b.take(25).size());
      assertEquals(3, ran.count("map"), "1 partition, then 2 more, as frames");
    }
  }

  @Test
  void theReadmeSnippet() {
    try (var s = Tessera.useScheduler(Schedulers.sync())) {
      Bag<Long> xs = Bag.range(1000, 4);
      List<Delayed<List<Long>>> parts = xs.toDelayed();
      Delayed<Integer> size0 = Delayed.call(List::size, parts.get(0));
      List<Long> first = xs.head(3);
      assertEquals(250, size0.compute());
      assertEquals(List.of(0L, 1L, 2L), first);
    }
  }

  @Test
  void statisticsOfNoValuesAreNaNOnAllThree() {
    try (var s = Tessera.useScheduler(Schedulers.sync())) {
      Array empty = Array.zeros(new long[] {0}, Chunks.of(-1), DType.FLOAT64);
      assertTrue(Double.isNaN(empty.mean().compute().getDouble(0)));
      assertTrue(Double.isNaN(empty.std().compute().getDouble(0)));
      assertTrue(Double.isNaN(empty.var().compute().getDouble(0)));
      assertEquals(0.0, empty.sum().compute().getDouble(0));
      Frame none = Frame.fromTable(table(10), 3).filter(dev.tessera.frame.Expr.col("x").gt(99));
      for (Delayed<Double> d : List.of(none.mean("x"), none.std("x"), none.var("x"),
          none.min("x"), none.max("x"))) {
        assertTrue(Double.isNaN(d.compute()));
      }
      assertEquals(0.0, none.sum("x").compute());
      Bag<Long> nothing = Bag.range(10, 3).filter(x -> x > 99);
      assertTrue(Double.isNaN(nothing.mean().compute()));
      assertTrue(Double.isNaN(nothing.std().compute()));
      assertEquals(0L, nothing.sum().compute());
      // where the result type has no NaN: an error
      assertThrows(ArrayException.class, () -> empty.min());
      assertThrows(TaskFailedException.class, () -> nothing.min().compute());
    }
  }

  @Test
  void writersRunNowAndReturnTheFilesTheyWrote() throws Exception {
    try (var s = Tessera.useScheduler(Schedulers.sync())) {
      List<String> csv = Frame.fromTable(table(10), 2).toCsv(dir.resolve("csv"));
      List<String> npy = Array.ones(new long[] {4, 2}, Chunks.of(2, 2), DType.FLOAT64)
          .toNpyStack(dir.resolve("npy"), 0);
      List<String> txt = Bag.range(6, 3).toTextFiles(dir.resolve("txt"));
      for (List<String> files : List.of(csv, npy, txt)) {
        assertTrue(files.size() >= 2, files.toString());
        for (String f : files) {
          assertTrue(Files.exists(Path.of(f)), f);
        }
      }
      assertEquals(List.of("0", "1"), Files.readAllLines(Path.of(txt.get(0))));
      // and read back through Path arguments
      assertEquals(10, Frame.readCsv(dir.resolve("csv")).compute().rowCount());
      assertEquals(6, Bag.readText(dir.resolve("txt")).count().compute());
      assertEquals(4, Array.fromNpyStack(dir.resolve("npy")).compute().rows());
    }
  }

  @Test
  void ddofIsAnIntAndMeansTheSameForArraysAndBags() {
    try (var s = Tessera.useScheduler(Schedulers.sync())) {
      double[] v = {1, 4, 9, 16, 25, 36, 49};
      Array a = Array.fromINDArray(Nd4j.createFromArray(v), Chunks.of(3));
      List<Double> xs = new ArrayList<>();
      for (double d : v) {
        xs.add(d);
      }
      Bag<Double> b = Bag.fromCollection(xs, 3);
      for (int ddof : new int[] {0, 1}) {
        assertEquals(a.std(ddof, null, false).compute().getDouble(0), b.std(ddof).compute(),
            1e-12);
      }
      assertEquals(a.std().compute().getDouble(0), b.std().compute(), 1e-12, "both ddof 0");
    }
  }

  @Test
  void badInputFailsAtBuildTimeAsGraphExceptionsBadDataAtRunTime() throws Exception {
    // build time: a GraphException in every module (arrays: its subclass ArrayException)
    assertThrows(ArrayException.class, () -> Array.ones(new long[] {4}, Chunks.of(2, 2),
        DType.FLOAT64));
    assertThrows(GraphException.class, () -> Frame.fromTable(table(3), 0));
    assertThrows(GraphException.class, () -> Frame.fromTable(table(3), 1).select("nope"));
    assertThrows(GraphException.class, () -> Bag.fromCollection(List.of(1), 0));
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThrows(GraphException.class, () -> Frame.readCsv(empty));
    assertThrows(GraphException.class, () -> Bag.readText(dir.resolve("nope.txt")));
    assertThrows(GraphException.class, () -> Array.fromNpyStack(dir.resolve("nope")));
    // run time: TaskFailedException, its cause naming the data
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "x\n1\noops\n");
    try (var s = Tessera.useScheduler(Schedulers.sync())) {
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> Frame.readCsv(bad, dev.tessera.frame.CsvOptions.defaults().type("x",
              tech.tablesaw.api.ColumnType.LONG)).compute());
      assertTrue(e.getCause().getMessage().contains("bad.csv, line 3"), e.toString());
      TaskFailedException b = assertThrows(TaskFailedException.class,
          () -> Bag.range(4, 2).map(x -> 1 / (x - 3)).compute());
      assertTrue(b.getCause() instanceof dev.tessera.bag.BagElementException, b.toString());
    }
  }
}
