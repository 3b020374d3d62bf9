package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The scheduler contract on a pool of two worker JVMs (started once for the class). */
class ProcessSchedulerTest extends SchedulerContractTest {
  private static ProcessScheduler pool;

  @BeforeAll
  static void start() {
    pool = Schedulers.processes(2);
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @Override
  protected Scheduler scheduler() {
    return pool;
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
