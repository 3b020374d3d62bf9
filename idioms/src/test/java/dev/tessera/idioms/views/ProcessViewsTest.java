package dev.tessera.idioms.views;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The views on three worker JVMs: every value crosses a process boundary. */
class ProcessViewsTest extends ViewsContractTest {
  private static ProcessScheduler processes;

  @BeforeAll
  static void start() {
    processes = Schedulers.processes(3);
  }

  @AfterAll
  static void stop() {
    processes.close();
  }

  @Override
  Scheduler scheduler() {
    return processes;
  }
}
