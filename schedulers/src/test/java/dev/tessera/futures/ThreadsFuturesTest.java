package dev.tessera.futures;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The futures contract on a threaded scheduler. */
class ThreadsFuturesTest extends FuturesContractTest {
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
}
