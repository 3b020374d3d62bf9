package dev.tessera.idioms.joblib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** nJobs as joblib counts it, and the backends that start their own workers per run. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParallelBackendsTest {
  static String thread(int i) {
    return Thread.currentThread().getName();
  }

  static long pid(int i) {
    return ProcessHandle.current().pid();
  }

  @Test
  void nJobsCountsNegativeValuesFromTheCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(3, Parallel.of(3).nJobs());
    assertEquals(cores, Parallel.of(-1).nJobs());
    assertEquals(Math.max(1, cores - 1), Parallel.of(-2).nJobs());
    assertEquals(1, Parallel.of(-1000).nJobs());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Parallel.of(0));
    assertTrue(e.getMessage().contains("no meaning"), e.getMessage());
    assertEquals("Parallel(n_jobs=-1)", Parallel.of(-1).toString());
  }

  @Test
  void oneJobAndTheSequentialBackendRunInTheCallingThread() {
    String me = Thread.currentThread().getName();
    List<DelayedCall<String>> calls = IntStream.range(0, 3)
        .mapToObj(i -> Parallel.delayed(ParallelBackendsTest::thread, i)).toList();
    assertEquals(List.of(me, me, me), Parallel.of(1).run(calls));
    assertEquals(List.of(me, me, me), Parallel.of(4).backend(Backend.SEQUENTIAL).run(calls));
    List<String> threads = Parallel.of(2).run(calls); // THREADING by default
    assertTrue(threads.stream().noneMatch(me::equals), "ran on the pool's threads: " + threads);
  }

  @Test
  void sequentialFailuresNameTheCallToo() {
    List<DelayedCall<Integer>> calls = IntStream.range(0, 8)
        .mapToObj(i -> Parallel.delayed(ParallelContractTest::failOn5, i)).toList();
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> Parallel.of(1).run(calls));
    assertTrue(e.getMessage().contains("in call 5 of 8, failOn5(5)"), e.getMessage());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("joblib", e.key().prefix());
  }

  @Test
  void theThreadingAndLokyBackendsStartAndStopTheirOwnWorkers() {
    List<DelayedCall<Integer>> calls = IntStream.range(0, 6)
        .mapToObj(i -> Parallel.delayed((Integer x) -> x * x, i)).toList();
    assertEquals(List.of(0, 1, 4, 9, 16, 25),
        Parallel.of(2).backend(Backend.THREADING).run(calls));
    assertEquals(List.of(0, 1, 4, 9, 16, 25), Parallel.of(2).backend(Backend.LOKY).run(calls));
    long me = ProcessHandle.current().pid();
    List<Long> pids = Parallel.of(2).backend(Backend.LOKY).run(IntStream.range(0, 4)
        .mapToObj(i -> Parallel.delayed(ParallelBackendsTest::pid, i)).toList());
    for (long p : pids) {
      assertNotEquals(me, p, "ran in a worker JVM");
    }
  }
}
