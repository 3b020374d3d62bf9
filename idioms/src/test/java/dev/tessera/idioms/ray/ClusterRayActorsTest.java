package dev.tessera.idioms.ray;

import dev.tessera.cluster.Cluster;
import dev.tessera.idioms.SharedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ray's actors on a cluster of two worker nodes. */
@ExtendWith(SharedCluster.class)
class ClusterRayActorsTest extends RayActorsContractTest {
  private static Ray ray;

  @BeforeAll
  static void start(Cluster shared) {
    ray = Ray.init(shared);
  }

  @AfterAll
  static void stop() {
    ray.close(); // its actors and client only: the cluster is shared
  }

  @Override
  protected Ray ray() {
    return ray;
  }

  /** The cluster has no WorkerEngines yet: a task that receives a handle runs in the caller. */
  @Override
  protected boolean tasksWithHandlesRunOnWorkers() {
    return false;
  }
}
