package dev.tessera.idioms.mpi;

import dev.tessera.cluster.Cluster;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The collectives on a cluster of two worker nodes: every message is relayed by Ignite. */
@ExtendWith(SharedCluster.class)
class ClusterMpiTest extends MpiContractTest {
  private static Cluster cluster;

  @BeforeAll
  static void start(Cluster shared) {
    cluster = shared;
  }

  @Override
  Scheduler scheduler() {
    return cluster;
  }
}
