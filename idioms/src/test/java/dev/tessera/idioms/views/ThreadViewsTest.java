package dev.tessera.idioms.views;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class ThreadViewsTest extends ViewsContractTest {
  private static ThreadedScheduler threads;

  @BeforeAll
  static void start() {
    threads = Schedulers.threads(4);
  }

  @AfterAll
  static void stop() {
    threads.close();
  }

  @Override
  Scheduler scheduler() {
    return threads;
  }
}
