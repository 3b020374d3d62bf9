package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only a pool of worker processes can get wrong: deaths, shipping, orphans, output. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessWorkerTest {
  static int exitNow(int code) {
    System.exit(code);
    return code;
  }

  static int hello(int i) {
    System.out.println("hello from task " + i);
    return i;
  }

  static long pid(int i) throws InterruptedException {
    Thread.sleep(50);
    return ProcessHandle.current().pid();
  }

  @ParameterizedTest(name = "killed after {0} tasks")
  @ValueSource(ints = {3, 12, 30})
  void aKilledWorkerIsReplacedAndTheAnswerIsStillRight(int killAfter) throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      List<Long> before = s.workerPids();
      // chains of slow steps: a worker killed mid-way loses running tasks and held results
      List<Delayed<Integer>> heads = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        Delayed<Integer> d = Delayed.value(c * 100);
        for (int j = 0; j < 6; j++) {
          d = Delayed.call(Work::add, Delayed.call(Work::sleepMillis, Delayed.value(40 + j)), d);
        }
        heads.add(d);
      }
      Delayed<Long> total = Delayed.call(Work::sum, Delayed.list(heads));
      long expected = 0;
      for (int c = 0; c < 6; c++) {
        expected += c * 100 + (40 + 41 + 42 + 43 + 44 + 45);
      }
      Recorder r = new Recorder();
      Thread killer = new Thread(() -> {
        try {
          while (r.ended() < killAfter) {
            Thread.sleep(5);
          }
          ProcessHandle.of(before.get(0)).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      killer.start();
      Object out = Tessera.compute(List.of(total), s, r).get(0);
      killer.join();
      assertEquals(expected, out);
      assertFalse(ProcessHandle.of(before.get(0)).map(ProcessHandle::isAlive).orElse(false));
      // the pool is back to two workers and still works
      for (int i = 0; i < 100 && s.workerPids().size() < 2; i++) {
        Thread.sleep(100);
      }
      assertEquals(2, s.workerPids().size());
      assertEquals(3, Delayed.call(Work::inc, Delayed.value(2)).compute(s));
    }
  }

  static int load(int i) throws InterruptedException {
    Thread.sleep(15);
    return i;
  }

  @Test
  void twoDeathsOnAGraphWithSharedInputs() throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      int m = 16;
      List<Delayed<Integer>> loads = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        loads.add(Delayed.call(ProcessWorkerTest::load, Delayed.value(i)));
      }
      List<Delayed<Integer>> level = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        // every load feeds two pairs: results shared between tasks on different workers
        level.add(Delayed.call(Work::add, loads.get(i), loads.get((i + 1) % m)));
      }
      while (level.size() > 1) {
        List<Delayed<Integer>> next = new ArrayList<>();
        for (int i = 0; i < level.size(); i += 2) {
          next.add(Delayed.call(Work::add, level.get(i), level.get(i + 1)));
        }
        level = next;
      }
      Recorder r = new Recorder();
      Thread killer = new Thread(() -> {
        try {
          for (int target : new int[] {8, 24}) {
            while (r.ended() < target) {
              Thread.sleep(2);
            }
            List<Long> pids = s.workerPids();
            ProcessHandle.of(pids.get(pids.size() - 1)).ifPresent(ProcessHandle::destroyForcibly);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      killer.start();
      Object out = Tessera.compute(List.of(level.get(0)), s, r).get(0);
      killer.interrupt();
      killer.join();
      assertEquals(m * (m - 1), out); // each i is counted twice
    }
  }

  static String env(String name) {
    return String.valueOf(System.getenv(name));
  }

  @Test
  void workersGetTheirShareOfTheCoresForNativeThreadsAndTheEnvironmentAsked() {
    int workers = 2;
    String share = Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors()
        / workers));
    ProcessOptions o = ProcessOptions.builder().workers(workers)
        .environment("MKL_NUM_THREADS", "3").environment("TESSERA_TEST_VAR", "x=1").build();
    try (ProcessScheduler s = Schedulers.processes(o)) {
      for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
        String want = System.getenv(v) != null ? System.getenv(v) : share;   // the user's wins
        assertEquals(want, Delayed.call(ProcessWorkerTest::env, Delayed.value(v)).compute(s), v);
      }
      assertEquals("3", Delayed.call(ProcessWorkerTest::env, Delayed.value("MKL_NUM_THREADS"))
          .compute(s));
      assertEquals("x=1", Delayed.call(ProcessWorkerTest::env,
          Delayed.value("TESSERA_TEST_VAR")).compute(s));
    }
    assertEquals(Map.of("OMP_NUM_THREADS", "5"),
        ProcessOptions.builder().workers(4).environment("OMP_NUM_THREADS", "5").build()
            .workerEnvironment(Map.of("OPENBLAS_NUM_THREADS", "2", "MKL_NUM_THREADS", "1")));
    assertThrows(IllegalArgumentException.class,
        () -> ProcessOptions.builder().environment("A=B", "1"));
  }

  @Test
  void aTaskThatExitsItsJvmFailsClearlyAfterThreeDeaths() {
    try (ProcessScheduler s = Schedulers.processes(ProcessOptions.builder().workers(1)
        .build())) {
      Delayed<Integer> bad = Delayed.call(ProcessWorkerTest::exitNow, Delayed.value(7));
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> bad.compute(s));
      assertEquals(bad.key(), e.key());
      assertTrue(e.getMessage().contains("died 3 times"), e.getMessage());
      assertTrue(e.getMessage().contains("exited with code 7"), e.getMessage());
      // a fresh worker took over and works
      assertEquals(3, Delayed.call(Work::inc, Delayed.value(2)).compute(s));
    }
  }

  @Test
  void aFunctionThatDoesNotSerializeFailsBeforeItIsSent() {
    Object notSerializable = new Object();
    Delayed<Integer> bad = Delayed.call((Integer x) -> x + notSerializable.hashCode() * 0,
        Delayed.value(1));
    try (ProcessScheduler s = Schedulers.processes(1)) {
      Recorder r = new Recorder();
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> Tessera.compute(List.of(bad), s, r));
      assertEquals(bad.key(), e.key());
      assertInstanceOf(NotSerializableException.class, e.getCause());
      assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
      assertTrue(e.getMessage().contains("before it was sent"), e.getMessage());
      assertEquals(0, r.started());
    }
  }

  @Test
  void workerOutputReachesUsPrefixed() throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ProcessScheduler s = Schedulers.processes(1)) {
      assertEquals(5, Delayed.call(ProcessWorkerTest::hello, Delayed.value(5)).compute(s));
      for (int i = 0; i < 100 && !captured.toString(StandardCharsets.UTF_8).contains("task 5");
          i++) {
        Thread.sleep(20);
      }
    } finally {
      System.setOut(old);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertTrue(text.matches("(?s).*\\[worker-\\d+\\] hello from task 5.*"), text);
  }

  @Test
  void tasksRunInSeveralProcessesAndTransfersAreCounted() {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      List<Delayed<Long>> pids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        pids.add(Delayed.call(ProcessWorkerTest::pid, Delayed.value(i)));
      }
      List<Long> out = Delayed.list(pids).compute(s);
      assertEquals(2, out.stream().distinct().count(), "both workers ran tasks");
      assertFalse(out.contains(ProcessHandle.current().pid()));
      assertTrue(s.transfers() > 0, "the list task needed results from the other worker");
      assertTrue(s.transferredBytes() > 0);
    }
  }

  @Test
  void closeLeavesNoWorkerBehind() throws Exception {
    ProcessScheduler s = Schedulers.processes(2);
    List<Long> pids = s.workerPids();
    assertEquals(2, pids.size());
    s.close();
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "worker " + pid + " still alive after close()");
    }
    assertThrows(IllegalStateException.class,
        () -> Delayed.call(Work::inc, Delayed.value(1)).compute(s));
  }

  /** Started in a child JVM by the test below: starts a pool, prints its pids, waits. */
  public static void main(String[] args) throws Exception {
    ProcessScheduler s = Schedulers.processes(2);
    System.out.println("PIDS " + s.workerPids());
    System.out.flush();
    Thread.sleep(120_000);
  }

  @Test
  void workersExitWhenTheParentIsKilled() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ProcessWorkerTest.class.getName()).redirectErrorStream(true).start();
    List<Long> pids = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("PIDS [")) {
          for (String p : line.substring(6, line.length() - 1).split(",\\s*")) {
            pids.add(Long.parseLong(p));
          }
          break;
        }
      }
      assertEquals(2, pids.size(), "the child JVM did not report its workers");
      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(parent.waitFor(20, TimeUnit.SECONDS));
    } finally {
      parent.destroyForcibly();
    }
    for (long pid : pids) {
      boolean gone = false;
      for (int i = 0; i < 100 && !gone; i++) {
        gone = !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!gone) {
          Thread.sleep(100);
        }
      }
      if (!gone) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      assertTrue(gone, "worker " + pid + " outlived its killed parent");
    }
  }
}
