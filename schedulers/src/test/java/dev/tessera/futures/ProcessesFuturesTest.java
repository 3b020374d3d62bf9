package dev.tessera.futures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The futures contract on a pool of two worker JVMs, plus what only they can get wrong. */
class ProcessesFuturesTest extends FuturesContractTest {
  private static ProcessScheduler pool;

  @BeforeAll
  static void start() {
    pool = Schedulers.processes(2);
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @Override
  protected Scheduler scheduler() {
    return pool;
  }

  @Override
  protected long heldByWorkers() {
    return pool.heldByWorkers();
  }

  static InputStream openFile(String path) throws java.io.IOException {
    return Files.newInputStream(Paths.get(path));
  }

  static long pidAfter(int ms) throws InterruptedException {
    Thread.sleep(ms);
    return ProcessHandle.current().pid();
  }

  @Test
  void tasksSubmittedTogetherGoToDifferentIdleWorkers() {
    // each submit is its own computation, placed at the same time as the other: the choice of
    // a worker is atomic across computations, so the second never queues behind the first
    for (int round = 0; round < 5; round++) {
      TaskFuture<Long> a = client.submit(ProcessesFuturesTest::pidAfter, 200 + 2 * round);
      TaskFuture<Long> b = client.submit(ProcessesFuturesTest::pidAfter, 201 + 2 * round);
      assertTrue(!a.result().equals(b.result()), "round " + round + ": both ran on " + a.result());
    }
  }

  static long pidReading(byte[] table, int i) throws InterruptedException {
    Thread.sleep(100 + table[i]); // long enough that the tasks spread over both workers
    return ProcessHandle.current().pid();
  }

  @Test
  void aBroadcastValueIsOnEveryWorkerAndLaterTasksTransferNothing() throws Exception {
    byte[] table = new byte[200_000];
    TaskFuture<byte[]> b = client.broadcast(table);
    b.get();
    assertEquals(2, pool.heldByWorkers(), "one copy per worker");
    long before = pool.transfers();
    List<TaskFuture<Long>> pids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pids.add(client.submit(ProcessesFuturesTest::pidReading, b, i));
    }
    Set<Long> ran = new HashSet<>(client.gather(pids));
    assertEquals(Set.copyOf(pool.workerPids()), ran, "tasks ran on both workers");
    assertEquals(before, pool.transfers(), "no task needed the value sent to it");
    b.release();
    pids.forEach(TaskFuture::release);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (pool.heldByWorkers() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, pool.heldByWorkers(), "released on every worker");
  }

  @Test
  void aBroadcastValueOutlivesOneOfItsWorkers() throws Exception {
    try (ProcessScheduler own = Schedulers.processes(2); Client c = Client.on(own)) {
      TaskFuture<byte[]> b = c.broadcast(new byte[] {1, 2, 3});
      b.get();
      long victim = own.workerPids().get(0);
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (own.workerPids().contains(victim) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(3, c.submit(FuturesContractTest::byteAt, b, 2).result());
      assertArrayEquals(new byte[] {1, 2, 3}, b.result());
    }
  }

  /** 100 kB (too big to come along with its done event) marked {@code mark}; counts its runs. */
  static byte[] counted(String counter, int mark) throws java.io.IOException {
    Path p = Paths.get(counter);
    int n = Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) : 0;
    Files.writeString(p, Integer.toString(n + 1));
    byte[] b = new byte[100_000];
    b[0] = (byte) mark;
    return b;
  }

  static int runs(Path counter) throws java.io.IOException {
    return Integer.parseInt(Files.readString(counter).trim());
  }

  /** Kills every worker of {@code s} and waits until all are replaced. */
  static void killAll(ProcessScheduler s) throws InterruptedException {
    List<Long> old = s.workerPids();
    for (long pid : old) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<Long> now = s.workerPids();
      if (now.size() == old.size() && now.stream().noneMatch(old::contains)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the workers were not replaced within 60 s");
  }

  @Test
  void resultsLostWithTheirWorkersAreComputedAgainFromTheirGraphs() throws Exception {
    Path dir = Files.createTempDirectory("tessera-lineage");
    try (ProcessScheduler own = Schedulers.processes(2); Client c = Client.on(own)) {
      TaskFuture<byte[]> a = c.submit(ProcessesFuturesTest::counted, dir.resolve("a").toString(),
          7);
      TaskFuture<Integer> first = c.submit(FuturesContractTest::firstByte, a);
      assertEquals(7, first.result());
      killAll(own);
      // needed by a later task: computed again on the new workers, not failed
      assertEquals(7, c.submit(FuturesContractTest::byteAt, a, 0).result());
      assertEquals(2, runs(dir.resolve("a")));
      killAll(own);
      // fetched: computed again too
      assertEquals(7, a.result()[0]);
      assertEquals(3, runs(dir.resolve("a")));
      // a persisted collection's blocks
      Delayed<byte[]> p = Delayed.call(ProcessesFuturesTest::counted,
          Delayed.value(dir.resolve("p").toString()), Delayed.value(9)).persist(own);
      killAll(own);
      assertEquals(9, Delayed.call(FuturesContractTest::firstByte, p).compute(own));
      assertEquals(2, runs(dir.resolve("p")));
      // lost while a computation that uses it runs (its other input still sleeping): that
      // computation runs again once the value is back
      Delayed<byte[]> q = Delayed.call(ProcessesFuturesTest::counted,
          Delayed.value(dir.resolve("q").toString()), Delayed.value(4)).persist(own);
      Delayed<Integer> later = Delayed.call(ProcessesFuturesTest::firstPlus, q,
          Delayed.call(FuturesContractTest::sleepy, Delayed.value(1500)));
      java.util.concurrent.ExecutorService one =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        java.util.concurrent.Future<Integer> running = one.submit(() -> later.compute(own));
        Thread.sleep(300);
        killAll(own);
        assertEquals(1504, running.get(60, TimeUnit.SECONDS));
        assertEquals(2, runs(dir.resolve("q")));
      } finally {
        one.shutdownNow();
      }
    }
  }

  static int firstPlus(byte[] b, int x) {
    return b[0] + x;
  }

  static int exitNow(int code) {
    System.exit(code);
    return code;
  }

  @Test
  void aTaskThatKillsItsWorkerFailsAfterThreeDeathsNamingIt() {
    try (ProcessScheduler own = Schedulers.processes(2); Client c = Client.on(own)) {
      TaskFuture<Integer> f = c.submit(ProcessesFuturesTest::exitNow, 3);
      TaskFailedException e = assertThrows(TaskFailedException.class, f::result);
      assertEquals(f.key(), e.key());
      assertTrue(e.getMessage().contains("died 3 times"), e.getMessage());
      assertEquals(2, c.submit(FuturesContractTest::inc, 1).result(), "the pool still works");
    }
  }

  @Test
  void aResultThatCannotTravelFailsItsGetNamingTheKey() throws Exception {
    Path file = Files.createTempFile("tessera-futures", ".txt");
    try {
      TaskFuture<InputStream> f = client.submit(ProcessesFuturesTest::openFile, file.toString());
      TaskFailedException e = assertThrows(TaskFailedException.class, f::result);
      assertEquals(f.key(), e.key());
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      assertInstanceOf(NotSerializableException.class, root);
      // used where it is, by a task on the same worker, it is fine
      assertTrue(client.submit(ProcessesFuturesTest::isOpen, f).result());
      f.release();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static boolean isOpen(InputStream in) throws java.io.IOException {
    return in.read() == -1; // an empty file: end of stream at once
  }
}
