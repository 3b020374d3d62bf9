package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.SchedulerContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler contract on a cluster of two local worker JVMs (started once for the class). */
class ClusterSchedulerTest extends SchedulerContractTest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Override
  protected Scheduler scheduler() {
    return cluster;
  }

  @Override
  protected int parallelism() {
    return 2;
  }

  @Override
  protected int tasksAtOnce() {
    return 2 * parallelism(); // Placement.INFLIGHT per worker
  }

  @Test
  void aLargeInputGoesFromWorkerToWorkerNotThroughTheProgram() {
    long transfers = cluster.transfers();
    long bytes = cluster.transferredBytes();
    long relayed = cluster.relayedBytes();
    long received = cluster.bytesReceived();
    for (int round = 1; round <= 3; round++) {
      Delayed<Integer> x = Delayed.call(DirectTransfersTest::both,
          Delayed.call(DirectTransfersTest::block, Delayed.value(round)),
          Delayed.call(DirectTransfersTest::block, Delayed.value(10 * round)));
      assertEquals(3 * 11 * round, x.compute(cluster));
    }
    assertEquals(transfers + 3, cluster.transfers(), "one block moved per round");
    assertTrue(cluster.transferredBytes() - bytes >= 3 << 20,
        "their bytes: " + (cluster.transferredBytes() - bytes));
    assertEquals(relayed, cluster.relayedBytes(), "none through the program");
    assertTrue(cluster.bytesReceived() - received < 1 << 20,
        "the program received only answers: " + (cluster.bytesReceived() - received));
    assertEquals(0, cluster.heldByWorkers(), "nothing left on the workers");
  }
}
