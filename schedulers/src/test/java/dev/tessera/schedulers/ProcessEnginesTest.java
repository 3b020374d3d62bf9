package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.EngineMessage;
import dev.tessera.graph.spi.Engines;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
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

  static List<Object> receiveArrays(dev.tessera.graph.spi.EngineContext c, int n)
      throws InterruptedException {
    List<Object> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EngineMessage m = c.receive(Duration.ofSeconds(60));
      double[] a = (double[]) m.value();
      got.add(m.from() + ":" + m.tag() + ":" + a.length + ":" + a[a.length - 1]);
    }
    return got;
  }

  static Object sendArrays(dev.tessera.graph.spi.EngineContext c, int n) {
    for (int i = 0; i < n; i++) {
      double[] a = new double[1 << 17]; // 1 MB
      a[a.length - 1] = i;
      c.send(1, i, a);
    }
    return null;
  }

  @Test
  void messagesBetweenWorkersGoOverADirectLinkInOrder() throws Exception {
    Engines e = engines();
    long relayed = processes.transferredBytes();
    CompletableFuture<List<Object>> receiver = e.call(1, c -> receiveArrays(c, 4));
    await(e.call(0, c -> sendArrays(c, 4)));
    assertEquals(List.of("0:0:131072:0.0", "0:1:131072:1.0", "0:2:131072:2.0",
        "0:3:131072:3.0"), await(receiver));
    // nothing went through this JVM: the parent counts every message it relays
    assertEquals(relayed, processes.transferredBytes());
    assertTrue(processes.processEngines().peerPort(1) > 0);
  }

  @Test
  void aLinkThatDoesNotPresentTheWorkersSecretIsRefused() throws Exception {
    Engines e = engines();
    await(e.call(1, c -> receiveArrays(c, 0)));
    CompletableFuture<List<Object>> receiver = e.call(1, c -> receiveArrays(c, 1));
    await(e.call(0, c -> sendArrays(c, 1))); // makes the link, so engine 1 listens
    await(receiver);
    int port = processes.processEngines().peerPort(1);
    assertTrue(port > 0);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      s.setSoTimeout(60_000);
      try {
        out.writeByte(EnginePeers.PEER_HELLO);
        out.writeUTF("00000000000000000000000000000000");
        out.writeInt(0);
        out.writeInt(99);
        Protocol.writeBytes(out, new byte[] {1, 2, 3});
        out.flush();
        assertEquals(-1, s.getInputStream().read(), "the worker closes a link it refuses");
      } catch (java.net.SocketException closedAlready) {
        // refused after the wrong secret, before the rest was written ("Broken pipe") or
        // read ("Connection reset"): as refused as an end of stream
      }
    }
    assertNull(await(e.call(1, c -> c.receive(Duration.ofMillis(200)))));
  }

  @Test
  void aMessageToAnEngineWhoseWorkerWasReplacedReachesTheReplacement() throws Exception {
    try (ProcessScheduler own = Schedulers.processes(2)) {
      Engines e = own.engines().orElseThrow();
      CompletableFuture<List<Object>> receiver = e.call(1, c -> receiveArrays(c, 1));
      await(e.call(0, c -> sendArrays(c, 1))); // engine 0 links to engine 1's worker
      await(receiver);
      String before = e.name(1);
      own.workers().stream().filter(w -> before.contains(w.name)).findFirst().orElseThrow()
          .kill();
      // calls sent before the death was noticed fail; then engine 1 moves to the replacement
      for (int tries = 0; tries < 100; tries++) {
        try {
          await(e.call(1, c -> c.engine()));
          break;
        } catch (ExecutionException died) {
          assertInstanceOf(EngineDiedException.class, died.getCause());
        }
      }
      // engine 0 still has its link to the dead worker: a message down it would be lost
      CompletableFuture<List<Object>> again = e.call(1, c -> receiveArrays(c, 2));
      await(e.call(0, c -> sendArrays(c, 2)));
      assertEquals(List.of("0:0:131072:0.0", "0:1:131072:1.0"), await(again));
      assertNotEquals(before, e.name(1));
    }
  }

  @Test
  void withTheRelayPropertyMessagesGoThroughTheParentInOrder() throws Exception {
    System.setProperty(ProcessEngines.MESSAGES_PROPERTY, "relay");
    ProcessScheduler own;
    try {
      own = Schedulers.processes(2);
    } finally {
      System.clearProperty(ProcessEngines.MESSAGES_PROPERTY);
    }
    try (own) {
      Engines e = own.engines().orElseThrow();
      CompletableFuture<List<Object>> receiver = e.call(1, c -> receiveArrays(c, 3));
      await(e.call(0, c -> sendArrays(c, 3)));
      assertEquals(List.of("0:0:131072:0.0", "0:1:131072:1.0", "0:2:131072:2.0"),
          await(receiver));
      assertTrue(own.transferredBytes() >= 3L << 20, "relayed " + own.transferredBytes());
      assertEquals(-1, own.processEngines().peerPort(1));
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
