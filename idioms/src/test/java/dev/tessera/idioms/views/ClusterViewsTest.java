package dev.tessera.idioms.views;

import dev.tessera.cluster.Cluster;
import dev.tessera.graph.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The views on a cluster of three worker nodes (its own: the contract selects engines 0 and 2,
 * the shared cluster has two): every value crosses Ignite messaging.
 */
class ClusterViewsTest extends ViewsContractTest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Override
  Scheduler scheduler() {
    return cluster;
  }
}
