package dev.tessera.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
