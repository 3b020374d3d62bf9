package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PersistOptions.backups(1)}: a persisted block outlives the worker that computed it, and
 * then the worker that held its copy, without being computed again; without backups the same
 * death computes it again; release frees every copy; bad options fail naming the fix; a future
 * submitted with {@code Submit.options().backups(1)} outlives its worker the same way. Workers
 * are killed only while the cluster is idle and every join is over (see
 * {@link NodeLossTest#exitLater}: a death in the middle of a join hits an Ignite bug).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupsTest {
  /** Longs per block: 240 KB, over the 64 KB that come back with a task's answer. */
  private static final int LONGS = 30_000;
  private static final long SUM = (long) LONGS * (LONGS - 1) / 2;

  private static Cluster cluster;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /**
   * A block whose element 0 is the pid of the JVM that made it; the {@code runs}-th run
   * creates {@code marker + "-" + runs}, and a run past {@code maxRuns} fails.
   */
  static long[] make(String marker, int maxRuns) throws IOException {
    for (int run = 1; ; run++) {
      try {
        Files.createFile(Path.of(marker + "-" + run));
        if (run > maxRuns) {
          throw new IllegalStateException("computed again: run " + run + " of " + marker);
        }
        break;
      } catch (FileAlreadyExistsException e) {
        // an earlier run: count on
      }
    }
    long[] a = new long[LONGS];
    for (int i = 1; i < LONGS; i++) {
      a[i] = i;
    }
    a[0] = ProcessHandle.current().pid();
    return a;
  }

  /** {@code n} longs that do not compress: each encoded byte crosses the network. */
  static long[] big(int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = (i + 1) * 0x9E3779B97F4A7C15L;
    }
    return a;
  }

  static long sum(long[] a) {
    long s = 0;
    for (int i = 1; i < a.length; i++) {
      s += a[i];
    }
    return s;
  }

  static long maker(long[] a) {
    return a[0];
  }

  private static Delayed<long[]> block(String name, int maxRuns) {
    return Delayed.call(BackupsTest::make, Delayed.value(dir.resolve(name).toString()),
        Delayed.value(maxRuns));
  }

  private static void kill(long pid) throws Exception {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Waits until {@code f} reads {@code want} (asking the workers), at most 60 s. */
  private static void await(String what, LongSupplier f, long want) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long got = f.getAsLong();
    while (got != want && System.nanoTime() < deadline) {
      Thread.sleep(100);
      got = f.getAsLong();
    }
    assertEquals(want, got, what);
  }

  /**
   * Waits until the cluster has had 2 live workers for 3 s: the last join is over, so that a
   * death now does not fall in its partition exchange.
   */
  private static void awaitSettled() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    long since = 0;
    while (System.nanoTime() < deadline) {
      if (cluster.workers().size() < 2 || cluster.localWorkerPids().size() < 2) {
        since = 0;
      } else if (since == 0) {
        since = System.nanoTime();
      } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(3)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the cluster did not settle at 2 workers: " + cluster.workers());
  }

  @Test
  @Order(1)
  void badOptionsFailNamingTheFix() {
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> PersistOptions.backups(-1));
    assertTrue(negative.getMessage().contains("PersistOptions.backups(1)"),
        negative.getMessage());
    Delayed<long[]> x = block("bad", 0);
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> Tessera.persist(List.of(x), cluster, PersistOptions.backups(2)));
    assertTrue(tooMany.getMessage().contains("has 2 live workers")
        && tooMany.getMessage().contains("ask for backups(1) or start more workers"),
        tooMany.getMessage());
    UnsupportedOperationException local = assertThrows(UnsupportedOperationException.class,
        () -> Tessera.persist(List.of(x), Schedulers.sync(), PersistOptions.backups(1)));
    assertTrue(local.getMessage().contains("keeps no backups"), local.getMessage());
    assertFalse(Files.exists(dir.resolve("bad-1")), "nothing was computed");
    assertEquals(0, cluster.heldByWorkers());
  }

  @Test
  @Order(2)
  void aBackupTakesOverTwiceAndNothingIsComputedAgain() throws Exception {
    awaitSettled();
    List<Long> first = cluster.localWorkerPids();
    Delayed<long[]> kept = Tessera.persist(List.of(block("kept", 1)), cluster,
        PersistOptions.backups(1)).get(0);
    assertEquals(2, cluster.heldByWorkers(), "the block and its copy");
    long made = Delayed.call(BackupsTest::maker, kept).compute(cluster);
    assertTrue(first.contains(made), made + " in " + first);

    kill(made); // the block's own worker: its copy becomes the block
    assertEquals(SUM, Delayed.call(BackupsTest::sum, kept).compute(cluster));
    // the replacement joins and gets a new copy
    await("the block and its new copy", cluster::heldByWorkers, 2);
    awaitSettled();

    long copyHolder = first.stream().filter(p -> p != made).findFirst().orElseThrow();
    kill(copyHolder); // the first copy's worker (the block's home since the first death)
    assertEquals(SUM, Delayed.call(BackupsTest::sum, kept).compute(cluster));
    assertEquals(made, Delayed.call(BackupsTest::maker, kept).compute(cluster));
    assertTrue(Files.exists(dir.resolve("kept-1")));
    assertFalse(Files.exists(dir.resolve("kept-2")), "computed again");
    await("the block and its newest copy", cluster::heldByWorkers, 2);

    Tessera.release(kept);
    await("held after release", cluster::heldByWorkers, 0);
  }

  @Test
  @Order(3)
  void withoutBackupsTheSameDeathComputesTheBlockAgain() throws Exception {
    awaitSettled();
    Delayed<long[]> kept = Tessera.persist(List.of(block("plain", 2)), cluster).get(0);
    assertEquals(1, cluster.heldByWorkers());
    long made = Delayed.call(BackupsTest::maker, kept).compute(cluster);
    kill(made);
    assertEquals(SUM, Delayed.call(BackupsTest::sum, kept).compute(cluster));
    assertTrue(Files.exists(dir.resolve("plain-2")), "computed again from the graph");
    List<Long> now = new ArrayList<>(cluster.localWorkerPids());
    assertFalse(now.contains(made));
    Tessera.release(kept);
    await("held after release", cluster::heldByWorkers, 0);
    awaitSettled(); // the replacement's join is over before the cluster closes
  }

  @Test
  @Order(4)
  void aFutureWithBackupsOutlivesItsWorkerWithoutRunningAgain() throws Exception {
    awaitSettled();
    try (Client client = Client.on(cluster)) {
      ExecutionException tooMany = assertThrows(ExecutionException.class,
          () -> client.with(Submit.options().backups(2)).submit(BackupsTest::make,
              dir.resolve("never").toString(), 0).get());
      IllegalArgumentException why =
          assertInstanceOf(IllegalArgumentException.class, tooMany.getCause());
      assertTrue(why.getMessage().contains("has 2 live workers"), why.getMessage());
      assertFalse(Files.exists(dir.resolve("never-1")), "nothing was computed");

      TaskFuture<long[]> f = client.with(Submit.options().backups(1))
          .submit(BackupsTest::make, dir.resolve("future").toString(), 1);
      long made = f.result()[0];
      assertEquals(2, cluster.heldByWorkers(), "done once the result and its copy are held");
      kill(made);
      TaskFuture<Long> total = client.submit(BackupsTest::sum, f); // a task reads the copy
      assertEquals(SUM, total.result());
      assertEquals(made, f.result()[0]); // and so does get()
      assertTrue(Files.exists(dir.resolve("future-1")));
      assertFalse(Files.exists(dir.resolve("future-2")), "computed again");
      total.release();
      await("the result and its new copy", cluster::heldByWorkers, 2);
      f.release();
      await("held after release", cluster::heldByWorkers, 0);
    }
    awaitSettled(); // the replacement's join is over before the cluster closes
  }

  @Test
  @Order(5)
  void aBackupGoesFromWorkerToWorker() throws Exception {
    awaitSettled();
    long received = cluster.bytesReceived();
    long relayed = cluster.relayedBytes();
    long moved = cluster.transferredBytes();
    long transfers = cluster.transfers();
    Delayed<long[]> kept = Tessera.persist(List.of(Delayed.call(BackupsTest::big,
        Delayed.value(1 << 20))), cluster, PersistOptions.backups(1)).get(0); // 8 MB
    assertEquals(2, cluster.heldByWorkers(), "the block and its copy");
    long got = cluster.bytesReceived() - received;
    assertTrue(got < 1 << 20, got + " bytes came to the program");
    assertEquals(relayed, cluster.relayedBytes(), "nothing relayed");
    assertTrue(cluster.transferredBytes() - moved >= 8L << 20, "the copy is counted");
    assertEquals(transfers + 1, cluster.transfers());
    Tessera.release(kept);
    await("held after release", cluster::heldByWorkers, 0);
  }
}
