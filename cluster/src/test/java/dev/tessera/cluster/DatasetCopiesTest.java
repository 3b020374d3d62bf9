package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.PersistOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published dataset with {@code backups(1)} on 3 workers: when a worker holding its block
 * dies, a new copy is made on a live worker, so that the death of the other original holder
 * later still leaves the dataset readable, with nothing computed again. Workers are killed only
 * once every join settled (see {@link BackupsTest}).
 */
class DatasetCopiesTest {
  private static final int WORKERS = 3;
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(WORKERS);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** The pids in a block's holder names ({@code "worker-0 (127.0.0.1, pid 42) and ..."}). */
  private static List<Long> holderPids(String name) {
    List<Long> out = new ArrayList<>();
    for (String n : cluster.datasetEntry(name).holderNames().get(0).split(Datasets.NAMES)) {
      out.add(Long.parseLong(n.replaceAll(".*pid (\\d+).*", "$1")));
    }
    return out;
  }

  private static void kill(long pid) throws Exception {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within 60 s: " + what);
      Thread.sleep(100);
    }
  }

  /** Waits until the cluster has had all its workers for 3 s: the last join is over. */
  private static void awaitSettled() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    long since = 0;
    while (since == 0 || System.nanoTime() - since < TimeUnit.SECONDS.toNanos(3)) {
      assertTrue(System.nanoTime() < deadline, "did not settle: " + cluster.workers());
      boolean all = cluster.workers().size() == WORKERS
          && cluster.localWorkerPids().size() == WORKERS;
      since = !all ? 0 : since == 0 ? System.nanoTime() : since;
      Thread.sleep(50);
    }
  }

  @Test
  void aLostCopyIsMadeAgainSoASecondDeathStillReadsTheDataset(@TempDir Path dir)
      throws Exception {
    awaitSettled();
    String marker = dir.resolve("computed").toString();
    Delayed<Long> x = Delayed.call(DatasetsTest::once, Delayed.value(42L),
        Delayed.value(marker));
    long before = cluster.publishedByWorkers();
    cluster.publish("kept", x, false, PersistOptions.backups(1));
    Files.createFile(Path.of(marker)); // from now on computing x again fails
    List<Long> first = holderPids("kept");
    assertEquals(2, first.size(), "the block and its copy");

    kill(first.get(0));
    await("a new copy of the block, recorded", () -> {
      List<Long> now = holderPids("kept");
      return now.size() == 2 && !now.contains(first.get(0))
          && cluster.publishedByWorkers() == before + 2;
    });
    awaitSettled(); // the replacement's join is over

    kill(first.get(1)); // the other original holder: only the new copy is left
    await("the death seen", () -> cluster.workers().stream()
        .noneMatch(w -> w.contains("pid " + first.get(1))));
    assertEquals(42L, cluster.get("kept", Long.class).compute(cluster), "read from the copy");
    await("a copy again", () -> {
      List<Long> now = holderPids("kept");
      return now.size() == 2 && !now.contains(first.get(1));
    });
    assertTrue(cluster.unpublish("kept"));
    assertEquals(before, cluster.publishedByWorkers());
    assertFalse(cluster.datasets().contains("kept"));
    awaitSettled(); // the last replacement's join is over before the cluster closes
  }
}
