package dev.tessera.idioms.pool;

import dev.tessera.cluster.Cluster;
import dev.tessera.idioms.SharedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Pool contract on a cluster of two worker nodes. */
@ExtendWith(SharedCluster.class)
class ClusterPoolTest extends PoolContractTest {
  private static Pool pool;

  @BeforeAll
  static void start(Cluster shared) {
    pool = Pool.on(shared);
  }

  @AfterAll
  static void stop() {
    pool.close(); // its client only: the cluster is shared
  }

  @Override
  protected Pool pool() {
    return pool;
  }
}
