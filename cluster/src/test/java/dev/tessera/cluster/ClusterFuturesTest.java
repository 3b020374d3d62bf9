package dev.tessera.cluster;

import dev.tessera.futures.FuturesContractTest;
import dev.tessera.graph.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The futures contract on a cluster of two local worker JVMs. */
class ClusterFuturesTest extends FuturesContractTest {
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
  protected long heldByWorkers() {
    return cluster.heldByWorkers();
  }
}
