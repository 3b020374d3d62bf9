package dev.tessera.idioms.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Pool contract on two worker JVMs, plus a function that kills its worker. */
class ProcessesPoolTest extends PoolContractTest {
  private static Pool pool;

  @BeforeAll
  static void start() {
    pool = Pool.processes(2);
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @Override
  protected Pool pool() {
    return pool;
  }

  static int exitOn3(int x) {
    if (x == 3) {
      System.exit(3); // the worker JVM dies under its chunk, every time it is retried
    }
    return x;
  }

  @Test
  void aFunctionThatKillsItsWorkerFailsTheMapNamingTheTaskAndNothingHangs() {
    // a pool of its own: the deaths must not disturb the shared one
    try (ProcessScheduler one = Schedulers.processes(1); Pool own = Pool.on(one)) {
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> own.map(ProcessesPoolTest::exitOn3, List.of(1, 2, 3, 4), 2));
      assertEquals("pool-map", e.key().prefix(), e.getMessage());
      assertEquals("WorkerDiedException", e.getCause().getClass().getSimpleName(),
          e.getMessage());
      assertTrue(e.getMessage().contains("worker-"), e.getMessage());
      assertEquals(List.of(1, 4), own.map((Integer x) -> x * x, List.of(1, 2)));
    }
  }
}
