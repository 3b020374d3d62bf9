package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.Engines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessEnginesTest extends EnginesContractTest {
  private static ProcessScheduler processes;

  @BeforeAll
  static void start() {
    processes = Schedulers.processes(2);
  }

  @AfterAll
  static void stop() {
    processes.close();
  }

  @Override
  Scheduler scheduler() {
    return processes;
  }

  @Test
  void engineIRunsOnTheIthWorkerJvm() throws Exception {
    Engines e = engines();
    long pid0 = await(e.call(0, c -> ProcessHandle.current().pid()));
    long pid1 = await(e.call(1, c -> ProcessHandle.current().pid()));
    assertNotEquals(pid0, pid1);
    assertNotEquals(ProcessHandle.current().pid(), pid0);
    assertTrue(processes.workerPids().containsAll(List.of(pid0, pid1)));
    assertTrue(e.name(0).contains("pid " + pid0), e.name(0));
  }

  @Test
  void aResultThatCannotTravelFailsNamingTheEngine() throws Exception {
    CompletableFuture<Object> f = engines().call(0, c -> Thread.currentThread());
    ExecutionException x = assertThrows(ExecutionException.class, () -> await(f));
    assertTrue(x.getCause().getMessage().contains("engine-0"), x.getCause().getMessage());
    Object unserializable = new Object();
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> engines().call(0, c -> unserializable.hashCode()));
    assertTrue(bad.getMessage().contains("cannot be serialized"), bad.getMessage());
  }

  @Test
  void aWorkerThatDiesFailsItsEnginesPendingCallsNamingItAndItsReplacementTakesOver()
      throws Exception {
    try (ProcessScheduler own = Schedulers.processes(1)) {
      Engines e = own.engines().orElseThrow();
      await(e.call(0, c -> c.namespace().put("x", 1)));
      String name = e.name(0);
      CompletableFuture<Object> running = e.call(0, c -> c.receive(Duration.ofSeconds(60)));
      CompletableFuture<Integer> queued = e.call(0, c -> 1);
      // a callback that calls the engine again must not hold up the death's handling
      CompletableFuture<Integer> again = running.handle((v, x) -> 0)
          .thenCompose(v -> e.call(0, c -> 2));
      own.workers().get(0).kill();
      for (CompletableFuture<?> f : List.of(running, queued)) {
        ExecutionException x = assertThrows(ExecutionException.class, () -> await(f));
        EngineDiedException died = assertInstanceOf(EngineDiedException.class, x.getCause());
        assertEquals(0, died.engine());
        assertTrue(died.getMessage().contains(name) && died.getMessage().contains("died"),
            died.getMessage());
      }
      assertEquals(Integer.valueOf(2), await(again));
      // the replacement worker has engine 0 now, with an empty namespace
      assertEquals(List.of(false), await(e.call(0, c -> List.of(c.namespace().containsKey("x")))));
      assertNotEquals(name, e.name(0));
    }
  }

  @Test
  void closingFailsPendingCallsAndRefusesNewOnes() throws Exception {
    ProcessScheduler own = Schedulers.processes(1);
    Engines e = own.engines().orElseThrow();
    CompletableFuture<Object> running = e.call(0, c -> c.receive(Duration.ofSeconds(60)));
    own.close();
    ExecutionException x = assertThrows(ExecutionException.class, () -> await(running));
    assertTrue(x.getCause().getMessage().contains("closed"), x.getCause().getMessage());
    assertThrows(IllegalStateException.class, () -> e.call(0, c -> 1));
    assertThrows(IllegalStateException.class, own::engines);
  }
}
