package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.TransferEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task inputs that go from one worker JVM straight to another ({@link InputPeers}), and every
 * fault path of that transfer: the holder dies before or while the puller reads, the puller
 * dies while it reads, the value does not decode where it arrives, a wrong secret.
 *
 * <p>The graphs: two blocks of 1 MB are made at once, one on each worker (the least loaded
 * worker chooses first); the task that takes both runs on one of them, so the other block
 * moves, once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DirectInputsTest {
  static byte[] block(int i) {
    byte[] b = new byte[1 << 20];
    b[0] = (byte) i;
    b[b.length - 1] = (byte) (2 * i);
    return b;
  }

  static int both(byte[] a, byte[] b) {
    return a[0] + b[0] + a[a.length - 1] + b[b.length - 1];
  }

  private static Delayed<Integer> twoBlocks(int a, int b) {
    return Delayed.call(DirectInputsTest::both, Delayed.call(DirectInputsTest::block,
        Delayed.value(a)), Delayed.call(DirectInputsTest::block, Delayed.value(b)));
  }

  /** A callback that keeps the transfers it is told of. */
  static final class Transfers implements dev.tessera.graph.spi.SchedulerCallback {
    final List<TransferEvent> seen = new CopyOnWriteArrayList<>();

    @Override
    public void transfer(RunInfo run, TransferEvent event) {
      seen.add(event);
    }
  }

  @Test
  void aLargeInputGoesFromWorkerToWorkerNotThroughTheParent() throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      Transfers t = new Transfers();
      assertEquals(9, (int) Tessera.compute(List.of(twoBlocks(1, 2)), s, t).get(0));
      assertEquals(1, s.transfers(), "one block moved");
      assertTrue(s.transferredBytes() > 1 << 20, "its bytes: " + s.transferredBytes());
      assertEquals(0, s.relayedBytes(), "none through the parent");
      assertEquals(1, t.seen.size(), "one transfer event: " + t.seen);
      TransferEvent e = t.seen.get(0);
      assertEquals(s.transferredBytes(), e.bytes());
      assertTrue(e.from().startsWith("worker-") && e.to().startsWith("worker-")
          && !e.from().equals(e.to()), e.toString());
      assertEquals(0, s.heldByWorkers(), "nothing left on the workers");
    }
  }

  /** A pool of two made while the system property {@code name} is {@code value}. */
  private static ProcessScheduler poolWith(String name, String value) {
    String before = System.getProperty(name);
    System.setProperty(name, value);
    try {
      return Schedulers.processes(2);
    } finally {
      if (before == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, before);
      }
    }
  }

  @Test
  void withRelayEveryInputGoesThroughTheParentAsBefore() throws Exception {
    try (ProcessScheduler s = poolWith(ProcessScheduler.TASK_INPUTS, "relay")) {
      assertEquals(9, twoBlocks(1, 2).compute(s));
      assertEquals(1, s.transfers());
      assertTrue(s.relayedBytes() > 1 << 20);
      assertEquals(s.transferredBytes(), s.relayedBytes());
      assertEquals(List.of(-1, -1), s.inputPorts(), "no worker listens for peers");
    }
  }

  /** A pool whose workers wait {@code ms} before answering a pull, and the pulls it asks. */
  private static ProcessScheduler slowToServe(int ms, BlockingQueue<WorkerHandle[]> pulls) {
    ProcessScheduler s = Schedulers.processes(ProcessOptions.builder().workers(2)
        .jvmArgs("-Dtessera.test.inputServeDelayMillis=" + ms).build());
    s.pullWatcher = (to, from) -> pulls.offer(new WorkerHandle[] {to, from});
    return s;
  }

  @Test
  void theHolderDyingWhileItIsPulledFromLosesTheInputWhichIsComputedAgain() throws Exception {
    BlockingQueue<WorkerHandle[]> pulls = new ArrayBlockingQueue<>(16);
    try (ProcessScheduler s = slowToServe(1500, pulls)) {
      java.util.concurrent.atomic.AtomicBoolean killed =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread killer = new Thread(() -> {
        try {
          WorkerHandle[] p = pulls.poll(60, TimeUnit.SECONDS);
          if (p != null) {
            p[1].kill(); // the holder, before or while the puller reads
            killed.set(true);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      killer.start();
      Recorder r = new Recorder();
      assertEquals(9, (int) Tessera.compute(List.of(twoBlocks(1, 2)), s, r).get(0));
      killer.join();
      assertTrue(killed.get(), "a pull was asked, and one side of it killed");
      assertTrue(r.runs.values().stream().mapToInt(x -> x.get()).sum() > 3,
          "the lost block ran again: " + r.runs);
      // the pool is whole again and still right
      awaitWorkers(s, 2);
      assertEquals(12, twoBlocks(2, 2).compute(s));
      assertEquals(0, s.heldByWorkers());
    }
  }

  @Test
  void theHolderDeadBeforeThePullerConnectsLosesTheInputWhichIsComputedAgain()
      throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      java.util.concurrent.atomic.AtomicBoolean killed =
          new java.util.concurrent.atomic.AtomicBoolean();
      // the holder is dead, its process gone, before the PULL has even left this JVM
      s.pullWatcher = (to, from) -> {
        if (killed.compareAndSet(false, true)) {
          from.kill();
          try {
            assertTrue(from.process.waitFor(30, TimeUnit.SECONDS), "the holder exited");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      Recorder r = new Recorder();
      assertEquals(9, (int) Tessera.compute(List.of(twoBlocks(1, 2)), s, r).get(0));
      assertTrue(killed.get(), "a pull was asked, and its holder killed");
      assertTrue(r.runs.values().stream().mapToInt(x -> x.get()).sum() > 3,
          "the lost block ran again: " + r.runs);
      s.pullWatcher = null;
      awaitWorkers(s, 2);
      assertEquals(12, twoBlocks(2, 2).compute(s));
      assertEquals(0, s.heldByWorkers());
    }
  }

  static int failLater(int ms) throws InterruptedException {
    Thread.sleep(ms); // the other worker's pull is on its way meanwhile
    throw new IllegalStateException("failed on purpose");
  }

  static int plus(int a, int b) {
    return a + b;
  }

  @Test
  void aPullAnsweredAfterItsComputationEndedIsIgnoredAndItsBytesDropped() throws Exception {
    BlockingQueue<WorkerHandle[]> pulls = new ArrayBlockingQueue<>(16);
    try (ProcessScheduler s = slowToServe(2000, pulls)) {
      java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
      s.pullAnswerWatcher = w -> answered.countDown();
      Delayed<Integer> g = Delayed.call(DirectInputsTest::plus, twoBlocks(1, 2),
          Delayed.call(DirectInputsTest::failLater, Delayed.value(1000)));
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> g.compute(s));
      assertTrue(String.valueOf(e.getCause()).contains("failed on purpose"), e.toString());
      assertFalse(pulls.isEmpty(), "the pull was asked before the computation failed");
      assertTrue(answered.getCount() == 1, "and not yet answered when it failed");
      assertTrue(answered.await(30, TimeUnit.SECONDS), "the pull is answered all the same");
      // the puller dropped the block that arrived after its release (COUNT follows PULLED)
      assertEquals(0, s.heldByWorkers(), "nothing left on the workers");
      s.pullWatcher = null;
      assertEquals(9, twoBlocks(1, 2).compute(s), "the pool still works");
      assertEquals(0, s.heldByWorkers());
    }
  }

  @Test
  void thePullerDyingWhileItPullsRunsItsTaskElsewhere() throws Exception {
    BlockingQueue<WorkerHandle[]> pulls = new ArrayBlockingQueue<>(16);
    try (ProcessScheduler s = slowToServe(1500, pulls)) {
      java.util.concurrent.atomic.AtomicBoolean killed =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread killer = new Thread(() -> {
        try {
          WorkerHandle[] p = pulls.poll(60, TimeUnit.SECONDS);
          if (p != null) {
            p[0].kill(); // the puller, while the holder waits to answer
            killed.set(true);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      killer.start();
      assertEquals(9, twoBlocks(1, 2).compute(s));
      killer.join();
      assertTrue(killed.get(), "a pull was asked, and one side of it killed");
      awaitWorkers(s, 2);
      assertEquals(12, twoBlocks(2, 2).compute(s));
      assertEquals(0, s.heldByWorkers());
    }
  }

  /** Encodes on any worker, and fails to decode anywhere. */
  static final class Undecodable implements Serializable {
    private static final long serialVersionUID = 1L;
    final byte[] payload = new byte[1 << 18];

    private void readObject(ObjectInputStream in) throws IOException {
      throw new InvalidObjectException("an Undecodable never decodes");
    }
  }

  static Undecodable undecodable(int i) {
    return new Undecodable();
  }

  static int lengths(Undecodable a, Undecodable b) {
    return a.payload.length + b.payload.length;
  }

  @Test
  void anInputThatDoesNotDecodeWhereItArrivesFailsTheTaskThatNeedsItNamingIt() {
    // its size is not known (64 bytes are assumed): pulled whatever its size
    try (ProcessScheduler s = poolWith(ProcessScheduler.MIN_PULL_BYTES, "0")) {
      Delayed<Integer> both = Delayed.call(DirectInputsTest::lengths,
          Delayed.call(DirectInputsTest::undecodable, Delayed.value(1)),
          Delayed.call(DirectInputsTest::undecodable, Delayed.value(2)));
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> both.compute(s));
      assertEquals(both.key(), e.key(), e.toString());
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof InvalidObjectException)) {
        cause = cause.getCause();
      }
      assertInstanceOf(InvalidObjectException.class, cause, e.toString());
      assertEquals(0, s.relayedBytes(), "it went directly all the same");
      assertEquals(9, twoBlocks(1, 2).compute(s), "the pool still works");
    }
  }

  @Test
  void aPeerWithoutThePoolsSecretIsRefused() throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      assertEquals(9, twoBlocks(1, 2).compute(s));
      for (int port : s.inputPorts()) {
        assertTrue(port > 0, "listens: " + s.inputPorts());
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
          c.setSoTimeout(10_000);
          DataOutputStream out = new DataOutputStream(c.getOutputStream());
          out.writeByte(InputPeers.ASK);
          out.writeUTF("not-the-secret");
          out.flush(); // no id: the secret is checked before anything else is read
          DataInputStream in = new DataInputStream(c.getInputStream());
          assertEquals(InputPeers.REFUSED, in.readByte());
          assertThrows(EOFException.class, in::readByte, "and closed");
        }
      }
      assertEquals(12, twoBlocks(2, 2).compute(s), "the pool still works");
      assertNotNull(s.inputPorts());
      assertFalse(s.workerPids().isEmpty());
    }
  }

  private static void awaitWorkers(ProcessScheduler s, int n) throws InterruptedException {
    for (int i = 0; i < 300 && s.workerPids().size() < n; i++) {
      Thread.sleep(100);
    }
    assertEquals(n, s.workerPids().size());
  }
}
