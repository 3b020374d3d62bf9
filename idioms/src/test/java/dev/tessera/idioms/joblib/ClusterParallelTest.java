package dev.tessera.idioms.joblib;

import dev.tessera.cluster.Cluster;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** joblib's Parallel on a cluster of two worker nodes. */
@ExtendWith(SharedCluster.class)
class ClusterParallelTest extends ParallelContractTest {
  private static Cluster cluster;

  @BeforeAll
  static void start(Cluster shared) {
    cluster = shared;
  }

  @Override
  protected Scheduler scheduler() {
    return cluster;
  }
}
