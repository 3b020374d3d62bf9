package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.cluster.Cluster;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.Engines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The engines contract on a cluster of two local worker nodes (in this package to extend the
 * schedulers' contract test), then a worker node killed under a call, last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEnginesTest extends EnginesContractTest {
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
  Scheduler scheduler() {
    return cluster;
  }

  @Test
  void engineIRunsInTheIthWorkerNodesJvm() throws Exception {
    Engines e = engines();
    long pid0 = await(e.call(0, c -> ProcessHandle.current().pid()));
    long pid1 = await(e.call(1, c -> ProcessHandle.current().pid()));
    assertNotEquals(pid0, pid1);
    assertTrue(cluster.localWorkerPids().containsAll(List.of(pid0, pid1)));
    assertTrue(e.name(0).contains("worker-0") && e.name(0).contains("pid " + pid0), e.name(0));
    Object unserializable = new Object();
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> e.call(0, c -> unserializable.hashCode()));
    assertTrue(bad.getMessage().contains("cannot be serialized"), bad.getMessage());
    CompletableFuture<Object> thread = e.call(0, c -> Thread.currentThread());
    ExecutionException x = assertThrows(ExecutionException.class, () -> await(thread));
    assertTrue(x.getCause().getMessage().contains("engine-0"), x.getCause().getMessage());
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it kills a worker of the class's cluster
  void anEngineWhoseNodeIsKilledFailsItsRunningAndQueuedCallsNamingEngineAndNode()
      throws Exception {
    Engines e = engines();
    await(e.call(1, c -> c.namespace().put("x", 1)));
    long pid = await(e.call(1, c -> ProcessHandle.current().pid()));
    String name = e.name(1);
    CompletableFuture<Object> running = e.call(1, c -> c.receive(Duration.ofSeconds(300)));
    CompletableFuture<Integer> queued = e.call(1, c -> 1);
    // a callback that calls the engine again must not hold up the death's handling
    CompletableFuture<Integer> again = running.handle((v, t) -> 0)
        .thenCompose(v -> e.call(1, c -> 2));
    Thread.sleep(200); // the call is running on the worker
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    for (CompletableFuture<?> f : List.of(running, queued)) {
      ExecutionException x = assertThrows(ExecutionException.class, () -> await(f));
      EngineDiedException died = assertInstanceOf(EngineDiedException.class, x.getCause());
      assertEquals(1, died.engine());
      assertTrue(died.getMessage().contains(name) && died.getMessage().contains("died"),
          died.getMessage());
      assertTrue(died.getMessage().contains("pid " + pid), died.getMessage());
    }
    assertEquals(Integer.valueOf(0), await(e.call(0, c -> 0))); // the other engine goes on
    // the local cluster's replacement node takes engine 1, with an empty namespace
    assertEquals(Integer.valueOf(2), await(again));
    assertEquals(List.of(false), await(e.call(1, c -> List.of(c.namespace().containsKey("x")))));
    assertNotEquals(name, e.name(1));
  }
}
