package dev.tessera.cluster;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.SchedulerContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
