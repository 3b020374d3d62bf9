package dev.tessera.idioms.joblib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.idioms.ResultTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * joblib's documented {@code Parallel} semantics on a scheduler with two workers, shared by
 * the class: subclass it with the scheduler.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ParallelContractTest {
  /** {@return the scheduler under test: two workers, shared by the class} */
  protected abstract Scheduler scheduler();

  Parallel parallel() {
    return Parallel.of(2).backend(scheduler());
  }

  static int failOn5(int x) {
    if (x == 5) {
      throw new IllegalArgumentException("no fives: " + x);
    }
    return x;
  }

  static int sleepy(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static String join3(String a, int b, String c) {
    return a + b + c;
  }

  /**
   * Marks that call {@code i} started, waits (up to a minute) until the test opens the gate
   * (a file, so that it works on worker JVMs too), then marks it done; a call that is
   * cancelled while it waits marks itself interrupted.
   */
  static int waitAtGate(String dir, int i) throws Exception {
    Files.createFile(Path.of(dir, "started-" + i));
    long deadline = System.nanoTime() + 60_000_000_000L;
    try {
      while (!Files.exists(Path.of(dir, "open")) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Files.createFile(Path.of(dir, "interrupted-" + i));
      throw e;
    }
    Files.createFile(Path.of(dir, "done-" + i));
    return i;
  }

  /** Every call that started has ended (interrupted or done), polling up to a minute. */
  static Set<String> endedCalls(Path dir) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      Set<String> names;
      try (Stream<Path> s = Files.list(dir)) {
        names = s.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
      }
      boolean allEnded = names.stream().filter(n -> n.startsWith("started-"))
          .map(n -> n.substring("started-".length()))
          .allMatch(i -> names.contains("interrupted-" + i) || names.contains("done-" + i));
      if (allEnded || System.nanoTime() > deadline) {
        return names;
      }
      Thread.sleep(10);
    }
  }

  static int failNow(String dir, int i) {
    throw new IllegalStateException("call " + i + " fails at once");
  }

  @Test
  void theSeedsSquareRootsComeBackInOrder() {
    // joblib.Parallel(n_jobs=2)(joblib.delayed(math.sqrt)(i ** 2) for i in range(8))
    List<Double> roots = parallel().run(IntStream.range(0, 8)
        .mapToObj(i -> Parallel.delayed(Math::sqrt, (double) (i * i))).toList());
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), roots);
  }

  @Test
  void resultsAreInTheCallsOrderWhateverTheCompletionOrder() {
    List<Integer> delays = List.of(300, 0, 200, 0, 100, 0);
    List<DelayedCall<Integer>> calls = new ArrayList<>();
    for (int d : delays) {
      calls.add(Parallel.delayed(ParallelContractTest::sleepy, d));
    }
    assertEquals(delays, parallel().run(calls));
    assertEquals(delays, parallel().batchSize(4).run(calls));
    assertEquals(List.of(), parallel().run(List.<DelayedCall<Integer>>of()));
  }

  @Test
  void callsOfTwoAndThreeArgumentsAndMixedFunctions() {
    List<DelayedCall<Object>> calls = List.of(
        Parallel.delayed(ParallelContractTest::add, 1, 2),
        Parallel.delayed(ParallelContractTest::join3, "a", 1, "b"),
        Parallel.delayed((Integer x) -> x * 10, 4));
    assertEquals(List.of(3, "a1b", 40), parallel().run(calls));
  }

  @Test
  void everyCallRunsEqualCallsAreNotMerged() {
    List<DelayedCall<String>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(Parallel.delayed((Integer x) -> UUID.randomUUID().toString(), 1));
    }
    assertEquals(4, new HashSet<>(parallel().run(calls)).size());
  }

  @Test
  void aFailureNamesTheCallAndItsTaskKey() {
    for (int batch : new int[] {1, 3}) {
      List<DelayedCall<Integer>> calls = IntStream.range(0, 8)
          .mapToObj(i -> Parallel.delayed(ParallelContractTest::failOn5, i)).toList();
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> parallel().batchSize(batch).run(calls));
      assertTrue(e.getMessage().contains("in call 5 of 8, failOn5(5)"), e.getMessage());
      assertEquals("joblib", e.key().prefix());
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertEquals("no fives: 5", e.getCause().getMessage());
    }
    // the scheduler is fit for the next run
    assertEquals(List.of(3), parallel().run(List.of(Parallel.delayed(ParallelContractTest::add,
        1, 2))));
  }

  @Test
  void theFirstFailureStopsTheRunWithoutWaitingForTheOthers() throws Exception {
    Path dir = Files.createTempDirectory("tessera-joblib-test");
    String d = dir.toString();
    List<DelayedCall<Integer>> calls = new ArrayList<>();
    calls.add(Parallel.delayed(ParallelContractTest::failNow, d, 0));
    for (int i = 1; i <= 6; i++) {
      calls.add(Parallel.delayed(ParallelContractTest::waitAtGate, d, i));
    }
    // the other calls cannot finish before the gate opens, and it opens only after run()
    // returned: returning at all shows that the run did not wait for them
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> parallel().run(calls));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getMessage().contains("in call 0 of 7"), e.getMessage());
    Files.createFile(dir.resolve("open"));
    // every call that had started ends (how many started depends on how fast the scheduler
    // dispatched them before the failure: on threads every submission starts at once), and
    // where the scheduler interrupts running calls, none of them ran to its end
    Set<String> files = endedCalls(dir);
    for (String f : files) {
      if (f.startsWith("started-")) {
        String i = f.substring("started-".length());
        assertTrue(files.contains("interrupted-" + i) || files.contains("done-" + i),
            "call " + i + " never ended: " + files);
        if (interruptsRunningCalls()) {
          assertTrue(files.contains("interrupted-" + i), "call " + i + " ran on: " + files);
        }
      }
    }
  }

  /**
   * {@return whether a failed run interrupts its calls already running (threads); worker JVMs
   * and the cluster cancel only the queued ones today}
   */
  protected boolean interruptsRunningCalls() {
    return false;
  }

  @Test
  void aTimeoutStopsTheRunNamingTheCallAndTheTime() throws Exception {
    Path dir = Files.createTempDirectory("tessera-joblib-test");
    String d = dir.toString();
    List<DelayedCall<Integer>> calls = List.of(
        Parallel.delayed(ParallelContractTest::waitAtGate, d, 0),
        Parallel.delayed(ParallelContractTest::waitAtGate, d, 1));
    // joblib's timeout: the idioms' one timeout exception, naming the call and the time
    ResultTimeoutException t = assertThrows(ResultTimeoutException.class,
        () -> parallel().timeout(Duration.ofMillis(200)).run(calls));
    assertEquals(Duration.ofMillis(200), t.timeout());
    assertTrue(t.getMessage().startsWith("call 0 of 2 (waitAtGate(") && t.getMessage()
        .contains(", 0)) of Parallel(n_jobs=2) timed out after 200 ms (the run was"
        + " stopped"), t.getMessage());
    Files.createFile(dir.resolve("open"));
    endedCalls(dir);
    // a timeout that is met changes nothing
    assertEquals(List.of(3), parallel().timeout(Duration.ofSeconds(60)).run(List.of(
        Parallel.delayed(ParallelContractTest::add, 1, 2))));
  }

  @Test
  void verbosePrintsJoblibsProgressLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<DelayedCall<Integer>> calls = IntStream.range(0, 10)
        .mapToObj(i -> Parallel.delayed((Integer x) -> x, i)).toList();
    parallel().verbose(100, out).run(calls);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines()
        .collect(Collectors.toList());
    assertTrue(lines.get(0).matches("\\[Parallel\\(n_jobs=2\\)\\]: Using backend .+ with 2"
        + " concurrent workers\\."), lines.get(0));
    for (int i = 1; i < 10; i++) {
      assertTrue(lines.get(i).matches("\\[Parallel\\(n_jobs=2\\)\\]: Done +" + i
          + " out of 10 \\| elapsed: +\\d+\\.\\ds remaining: +\\d+\\.\\ds"), lines.get(i));
    }
    assertTrue(lines.get(10).matches("\\[Parallel\\(n_jobs=2\\)\\]: Done 10 out of 10"
        + " \\| elapsed: +\\d+\\.\\ds finished"), lines.get(10));
    assertEquals(11, lines.size(), String.join("\n", lines));

    bytes.reset();
    parallel().verbose(2, out).run(calls); // every 10 / 2 + 1 = 6th call, and the last
    List<String> few = bytes.toString(StandardCharsets.UTF_8).lines()
        .collect(Collectors.toList());
    assertEquals(3, few.size(), String.join("\n", few));
    assertTrue(few.get(1).contains("Done  6 out of 10"), few.get(1));
    assertTrue(few.get(2).endsWith("finished"), few.get(2));

    bytes.reset();
    parallel().run(calls); // quiet by default
    assertEquals(0, bytes.size());
  }
}
