package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.Index;
import dev.tessera.array.Linalg;
import dev.tessera.bag.Bag;
import dev.tessera.frame.Agg;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import dev.tessera.frame.JoinType;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Arrays, frames and bags give the same answers on the cluster (blocks shipped with the ND4J
 * and Tablesaw codecs, through the Codec service loader) as on threads.
 */
class CollectionsOnClusterTest {
  private static Cluster cluster;
  private static ThreadedScheduler threads;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(2);
    threads = Schedulers.threads(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    threads.close();
  }

  private static void same(BiConsumer<Object, Object> check, Lazy<?>... collections) {
    List<Lazy<?>> list = List.of(collections);
    List<Object> expected = Tessera.compute(list, threads);
    List<Object> actual = Tessera.compute(list, cluster);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      check.accept(expected.get(i), actual.get(i));
    }
  }

  private static void sameArrays(Lazy<?>... arrays) {
    same((e, a) -> {
      INDArray x = (INDArray) e;
      INDArray y = (INDArray) a;
      assertEquals(Arrays.toString(x.shape()), Arrays.toString(y.shape()));
      assertTrue(x.equalsWithEps(y, 1e-12), "results differ: " + x + " vs " + y);
    }, arrays);
  }

  @Test
  void arrays() {
    Array x = Array.uniform(7, new long[] {120, 90}, Chunks.of(50, 40));
    sameArrays(x, x.add(x.T().rechunk(Chunks.of(30, 45)).T()), x.sum(), x.mean(0), x.sum(1),
        x.std(), x.max(0));
    sameArrays(x.get(Index.step(-2), Index.slice(10, 70)).rechunk(Chunks.of(17, 13)).sum(0),
        x.matmul(x.T()), x.mul(2.5).add(1).sum());
    Array tall = Array.uniform(3, new long[] {400, 12}, Chunks.of(100, 12));
    Linalg.QR qr = Linalg.qr(tall);
    sameArrays(qr.r(), qr.q().matmul(qr.r()));
    // single elements and ragged edges
    Array ragged = Array.uniform(5, new long[] {7, 1}, Chunks.explicit(new long[] {1, 4, 2},
        new long[] {1}));
    sameArrays(ragged, ragged.cumsum(0), ragged.sum());
  }

  static Table table(int rows, long seed) {
    Random r = new Random(seed);
    String[] names = {"ann", "bob", "eve", "joe"};
    StringColumn name = StringColumn.create("name");
    IntColumn k = IntColumn.create("k");
    DoubleColumn x = DoubleColumn.create("x");
    for (int i = 0; i < rows; i++) {
      name.append(names[r.nextInt(names.length)]);
      k.append(r.nextInt(17));
      x.append(r.nextGaussian());
    }
    return Table.create("t", name, k, x);
  }

  /** Rows as strings, sorted unless the order matters. */
  static List<String> rows(Table t, boolean ordered) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < t.columnCount(); c++) {
        b.append(t.column(c).name()).append('=').append(t.column(c).getString(i)).append(';');
      }
      out.add(b.toString());
    }
    if (!ordered) {
      out.sort(null);
    }
    return out;
  }

  private static void sameFrame(Frame f, boolean ordered) {
    same((e, a) -> assertEquals(rows((Table) e, ordered), rows((Table) a, ordered)), f);
  }

  @Test
  void frames() {
    Frame f = Frame.fromTable(table(400, 17), 5);
    sameFrame(f.filter(Expr.col("x").gt(0)).assign("y", Expr.col("x").times(2)), true);
    sameFrame(f.groupby("name").agg(Agg.sum("x"), Agg.mean("x"), Agg.count("k")), false);
    Frame small = Frame.fromTable(table(30, 3), 1).select("name", "k").rename("k", "k2")
        .dropDuplicates("name");
    sameFrame(f.merge(small, JoinType.INNER, List.of("name")), false);
    sameFrame(f.sortValues("x"), true);
    sameFrame(Frame.fromTable(table(0, 1), 1), true); // an empty partition
  }

  static int keyOf(int x) {
    return Math.floorMod(x, 7);
  }

  @Test
  void bags() {
    for (int partitions : new int[] {1, 4, 11}) {
      List<Integer> items = new ArrayList<>();
      Random r = new Random(partitions);
      for (int i = 0; i < 300; i++) {
        items.add(r.nextInt(200) - 100);
      }
      Bag<Integer> b = Bag.fromCollection(items, partitions);
      Bag<Integer> squares = b.map(x -> x * x).filter(x -> x % 3 != 0);
      same(Assertions2::equal, squares, squares.count(), b.sum(), b.min(), b.max(), b.mean(),
          b.std(), b.distinct().count(), b.topk(5, Comparator.naturalOrder()));
      same(Assertions2::equal, b.frequencies().topk(3, Map.Entry.comparingByValue()),
          b.foldby(CollectionsOnClusterTest::keyOf, Integer::sum, 0, Integer::sum),
          b.groupby(CollectionsOnClusterTest::keyOf)
              .map(e -> Map.entry(e.getKey(), e.getValue().size())));
    }
    List<Long> pids = Bag.range(20, 4).map(i -> ProcessHandle.current().pid()).distinct()
        .compute(cluster);
    assertFalse(pids.contains(ProcessHandle.current().pid()), "ran in this JVM: " + pids);
  }

  /** equals, as a BiConsumer. */
  static final class Assertions2 {
    static void equal(Object expected, Object actual) {
      assertEquals(expected, actual);
    }
  }
}
