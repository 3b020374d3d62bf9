package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker killed while a task input moves between two workers ({@code PULL}): the worker it
 * is pulled from, or the one pulling. Each worker waits 2 s before it gives a value
 * ({@link WorkerNode.Give#DELAY}), so that the kill lands mid-pull; either way the lost block
 * is computed again and the answer is right.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DirectTransfersTest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(ClusterOptions.builder().workers(2)
        .jvmArgs("-D" + WorkerNode.Give.DELAY + "=2000").build());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A 1 MB block marked by {@code i} (also used by {@link ClusterSchedulerTest}). */
  static byte[] block(int i) throws InterruptedException {
    Thread.sleep(300); // both blocks run at once, one on each worker
    byte[] b = new byte[1 << 20];
    b[0] = (byte) i;
    b[b.length - 1] = (byte) (2 * i);
    return b;
  }

  static int both(byte[] a, byte[] b) {
    return a[0] + b[0] + a[a.length - 1] + b[b.length - 1];
  }

  /** Counts the runs of the blocks. */
  static final class Blocks implements SchedulerCallback {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public void posttask(RunInfo run, TaskEvent event) {
      if (event.key().toString().startsWith("'block") && event.error() == null) {
        runs.incrementAndGet();
      }
    }
  }

  private static void awaitWorkers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cluster.localWorkerPids().size() < n || cluster.workers().size() < n) {
      assertTrue(System.nanoTime() < deadline, "no " + n + " workers within 60 s");
      Thread.sleep(100);
    }
    Thread.sleep(3000); // let the join's partition exchange settle (docs/cluster.md)
  }

  @Test
  void aWorkerKilledMidPullCostsTimeNotTheAnswer() throws Exception {
    for (int round = 0; round < 2; round++) {
      awaitWorkers(2);
      long victim = cluster.localWorkerPids().get(round);
      Delayed<Integer> x = Delayed.call(DirectTransfersTest::both,
          Delayed.call(DirectTransfersTest::block, Delayed.value(round + 1)),
          Delayed.call(DirectTransfersTest::block, Delayed.value(10 * (round + 1))));
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(1300); // the blocks are done, the value is being given
          ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Blocks blocks = new Blocks();
      killer.start();
      Object out = Tessera.compute(List.of(x), cluster, blocks).get(0);
      killer.join();
      assertEquals(33 * (round + 1), out, "round " + round);
      assertFalse(ProcessHandle.of(victim).map(ProcessHandle::isAlive).orElse(false));
      assertTrue(blocks.runs.get() >= 3, "a lost block ran again: " + blocks.runs);
    }
    awaitWorkers(2);
    assertEquals(0, cluster.heldByWorkers(), "nothing left on the workers");
    assertEquals(4, Delayed.call(DirectTransfersTest::both, Delayed.value(new byte[] {1}),
        Delayed.value(new byte[] {1})).compute(cluster), "the cluster still works");
  }
}
