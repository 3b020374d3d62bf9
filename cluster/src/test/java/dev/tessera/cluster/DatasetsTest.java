package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.bag.Bag;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.PersistOptions;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * Named datasets: published by one program, read by another connected to the same workers
 * after the first one closed, without recomputation; unpublish frees the workers; clear errors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatasetsTest {
  /** Owns the worker JVMs; the programs under test connect to them. */
  private static Cluster workers;

  @BeforeAll
  static void start() {
    workers = Cluster.local(2);
  }

  @AfterAll
  static void stop() {
    workers.close();
  }

  private static Cluster connect() {
    return Cluster.connect(ClusterOptions.builder()
        .discovery(workers.options().discoveryAddresses().toArray(new String[0])).build());
  }

  /** Fails once {@code marker} exists: a collection that must not be computed again. */
  static long once(long x, String marker) {
    if (Files.exists(Path.of(marker))) {
      throw new IllegalStateException("computed again");
    }
    return x;
  }

  @Test
  @Order(1)
  void aSecondProgramReadsWhatTheFirstPublishedAfterItClosed(@TempDir Path dir)
      throws Exception {
    long before = workers.publishedByWorkers();
    String marker = dir.resolve("published").toString();
    Array x = Array.uniform(7, new long[] {60, 40}, Chunks.of(25, 15)).mul(2).add(1);
    Frame f = Frame.fromTable(CollectionsOnClusterTest.table(200, 5), 4)
        .filter(Expr.col("x").gt(0));
    Bag<Long> b = Bag.range(50, 5).map(i -> once(i * i, marker));
    INDArray xs;
    Table fs;
    List<Long> bs;
    try (var threads = Schedulers.threads(2)) {
      xs = x.compute(threads);
      fs = f.compute(threads);
      bs = new ArrayList<>(b.compute(threads));
    }
    try (Cluster first = connect()) {
      first.publish("x", x);
      first.publish("f", f);
      first.publish("b", b);
      assertEquals(List.of("b", "f", "x"), first.datasets());
    }
    Files.createFile(Path.of(marker)); // from now on computing b again fails
    assertEquals(before + 9 + 4 + 5, workers.publishedByWorkers());
    try (Cluster second = connect()) {
      assertEquals(List.of("b", "f", "x"), second.datasets());
      INDArray xg = second.get("x", INDArray.class).compute(second);
      assertTrue(xs.equalsWithEps(xg, 1e-12), "arrays differ");
      Table fg = second.get("f", Table.class).compute(second);
      IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
          () -> second.get("x", Table.class));
      assertTrue(wrong.getMessage().contains("\"x\" is an Array")
          && wrong.getMessage().contains("get(\"x\", INDArray.class)"), wrong.getMessage());
      assertEquals(CollectionsOnClusterTest.rows(fs, true),
          CollectionsOnClusterTest.rows(fg, true));
      assertEquals(bs, second.get("b").compute(second));
      // a dataset combines with other work on the cluster like any collection
      Lazy<?> xd = second.get("x");
      Delayed<INDArray> asDelayed = Delayed.fromKey(xd.outputKeys().get(0), xd.graph());
      assertEquals(xs.getDouble(0, 0) * xs.getDouble(0, 0),
          Delayed.call(DatasetsTest::square00, asDelayed).compute(second), 1e-12);
      assertTrue(second.unpublish("x"));
      assertTrue(second.unpublish("f"));
      assertFalse(second.unpublish("x"));
    }
    assertEquals(List.of("b"), workers.datasets());
    assertEquals(before + 5, workers.publishedByWorkers());
    assertTrue(workers.unpublish("b"));
    assertEquals(before, workers.publishedByWorkers());
    assertEquals(0, workers.heldByWorkers()); // the programs' own results are all released
  }

  static double square00(INDArray a) {
    return a.getDouble(0, 0) * a.getDouble(0, 0);
  }

  @Test
  @Order(2)
  void unknownNamesAndNamesTakenFailClearly() throws Exception {
    workers.publish("one", Delayed.value(1));
    try {
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> workers.get("two"));
      assertTrue(unknown.getMessage().contains("\"two\"")
          && unknown.getMessage().contains("[one]"), unknown.getMessage());
      IllegalStateException taken = assertThrows(IllegalStateException.class,
          () -> workers.publish("one", Delayed.value(2)));
      assertTrue(taken.getMessage().contains("already published")
          && taken.getMessage().contains("true"), taken.getMessage());
      assertEquals(1, workers.get("one").compute(workers));
      assertEquals(1, workers.get("one", Integer.class).compute(workers));
      // a Delayed's value type is known only once assembled: checked then, naming the dataset
      Throwable wrong = assertThrows(RuntimeException.class,
          () -> workers.get("one", String.class).compute(workers));
      while (wrong.getCause() != null && !(wrong instanceof ClassCastException)) {
        wrong = wrong.getCause();
      }
      assertTrue(wrong instanceof ClassCastException
          && wrong.getMessage().contains("dataset \"one\" (a Delayed) is a java.lang.Integer")
          && wrong.getMessage().contains("Integer.class"), String.valueOf(wrong));
      RuntimeException elsewhere = assertThrows(RuntimeException.class,
          () -> workers.get("one").compute(Schedulers.sync()));
      assertTrue(String.valueOf(elsewhere.getMessage()).contains("compute(cluster)"),
          String.valueOf(elsewhere.getMessage()));
      // what a worker asks the block's holder when a read is placed elsewhere
      Datasets.Entry e = workers.datasetEntry("one");
      String[] at = e.holders().get(0).split(" ");
      byte[] block = workers.ignite().compute(workers.ignite().cluster()
          .forNodeId(java.util.UUID.fromString(at[0]))).withTimeout(30_000)
          .call(new Published.Read("one", e.publishId() + "/" + at[1], "w"));
      assertEquals(1, dev.tessera.schedulers.WireCodecs.create(List.of()).decode(block));
      long held = workers.publishedByWorkers();
      workers.publish("one", Delayed.value(3), true);
      assertEquals(3, workers.get("one").compute(workers));
      assertEquals(held, workers.publishedByWorkers()); // the old block was dropped
    } finally {
      workers.unpublish("one");
    }
  }

  @Test
  @Order(3)
  void aDatasetWhoseWorkerDiedFailsGetClearly() throws Exception {
    workers.publish("doomed", Delayed.value(42));
    String holder = workers.datasetEntry("doomed").holderNames().get(0);
    long pid = Long.parseLong(holder.replaceAll(".*pid (\\d+).*", "$1"));
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(60, TimeUnit.SECONDS);
    IllegalStateException e = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (e == null && System.nanoTime() < deadline) {
      try {
        workers.get("doomed"); // until the program has seen the death
        Thread.sleep(100);
      } catch (IllegalStateException lost) {
        e = lost;
      }
    }
    assertTrue(e != null, "get did not fail within 60 s after the worker died");
    assertTrue(e.getMessage().contains("\"doomed\"") && e.getMessage().contains("pid " + pid)
        && e.getMessage().contains("publish it again"), e.getMessage());
    assertTrue(workers.unpublish("doomed"));
    assertEquals(List.of(), workers.datasets());
  }

  @Test
  @Order(4)
  void aDatasetWithBackupsOutlivesTheWorkerOfItsBlocks(@TempDir Path dir) throws Exception {
    awaitWorkers(2);
    String marker = dir.resolve("computed").toString();
    Delayed<Long> x = Delayed.call(DatasetsTest::once, Delayed.value(42L),
        Delayed.value(marker));
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> workers.publish("kept", x, false, PersistOptions.backups(2)));
    assertTrue(tooMany.getMessage().contains("backups(2)"), tooMany.getMessage());
    assertEquals(List.of(), workers.datasets(), "nothing recorded");
    long before = workers.publishedByWorkers();
    workers.publish("kept", x, false, PersistOptions.backups(1));
    assertEquals(before + 2, workers.publishedByWorkers(), "the block and its copy");
    Files.createFile(Path.of(marker)); // from now on computing x again fails
    String names = workers.datasetEntry("kept").holderNames().get(0);
    assertTrue(names.contains(Datasets.NAMES), names);
    long pid = Long.parseLong(names.split(Datasets.NAMES)[0].replaceAll(".*pid (\\d+).*",
        "$1"));
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (workers.workers().stream().anyMatch(w -> w.contains("pid " + pid))
        && System.nanoTime() < deadline) {
      Thread.sleep(100); // until the program has seen the death
    }
    assertEquals(42L, workers.get("kept", Long.class).compute(workers), "read from the copy");
    assertTrue(workers.unpublish("kept"));
    assertEquals(before, workers.publishedByWorkers());
  }

  /** Waits (60 s at most) until the cluster has {@code n} live workers. */
  private static void awaitWorkers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (workers.workers().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(n, workers.workers().size());
    // let the join settle (docs/cluster.md): until the replacement of the worker killed before
    // holds its copy of the dataset directory, the other worker holds the only one
    Thread.sleep(3000);
  }
}
