package dev.tessera.idioms.joblib;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** joblib's Parallel on two threads. */
class ThreadsParallelTest extends ParallelContractTest {
  private static ThreadedScheduler threads;

  @BeforeAll
  static void start() {
    threads = Schedulers.threads(2);
  }

  @AfterAll
  static void stop() {
    threads.close();
  }

  @Override
  protected Scheduler scheduler() {
    return threads;
  }

  @Override
  protected boolean interruptsRunningCalls() {
    return true;
  }
}
