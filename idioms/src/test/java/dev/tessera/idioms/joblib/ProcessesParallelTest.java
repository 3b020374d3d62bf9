package dev.tessera.idioms.joblib;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** joblib's Parallel on two worker JVMs. */
class ProcessesParallelTest extends ParallelContractTest {
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
}
