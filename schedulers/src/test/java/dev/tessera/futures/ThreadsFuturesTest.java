package dev.tessera.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  @Test
  void aDashboardWithoutTheDashboardModuleSaysWhatToAdd() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> client.dashboard(true));
    assertTrue(e.getMessage().contains("tessera-dashboard"), e.getMessage());
    assertTrue(client.dashboardUrl().isEmpty());
    assertEquals(2, client.submit(FuturesContractTest::inc, 1).result(), "still usable");
  }
}
