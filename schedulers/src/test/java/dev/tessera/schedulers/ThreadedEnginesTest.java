package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ThreadedEnginesTest extends EnginesContractTest {
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
  Scheduler scheduler() {
    return threads;
  }

  @Test
  void sharesValuesWithTheCallerAndKeepsOneEnginesObject() throws Exception {
    List<Integer> mine = new ArrayList<>(List.of(1));
    Engines e = engines();
    assertSame(e, threads.engines().orElseThrow());
    assertSame(mine, await(e.call(0, c -> mine)));
    assertTrue(Schedulers.sync().engines().isEmpty());
  }

  @Test
  void closingFailsQueuedAndRunningCallsAndRefusesNewOnes() throws Exception {
    ThreadedScheduler s = Schedulers.threads(1);
    Engines e = s.engines().orElseThrow();
    CompletableFuture<Object> running = e.call(0, c -> c.receive(Duration.ofSeconds(60)));
    CompletableFuture<Integer> queued = e.call(0, c -> 1);
    s.close();
    ExecutionException q = assertThrows(ExecutionException.class,
        () -> queued.get(30, TimeUnit.SECONDS));
    assertTrue(q.getCause().getMessage().contains("closed"), q.getCause().getMessage());
    assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, () -> e.call(0, c -> 2));
    assertThrows(IllegalStateException.class, s::engines);
    assertEquals(1, e.count());
  }
}
