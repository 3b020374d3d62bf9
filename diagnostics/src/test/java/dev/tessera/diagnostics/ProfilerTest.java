package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ProfilerTest {
  private static Set<Key> planKeys(Blocks b) {
    ExecutionPlan plan = ExecutionPlan.of(b.graph(), b.outputKeys());
    Set<Key> keys = new HashSet<>();
    for (int i = 0; i < plan.size(); i++) {
      keys.add(plan.key(i));
    }
    return keys;
  }

  private static void checkEveryTaskOnce(Scheduler scheduler, int n) {
    Blocks b = Blocks.of(n, 5);
    Profiler prof;
    try (Profiler p = Profiler.start()) {
      prof = p;
      assertEquals(Blocks.expected(n, 5), b.compute(scheduler), 1e-9);
    }
    List<Profiler.TaskRecord> rs = prof.results();
    Map<Key, Integer> seen = new HashMap<>();
    for (Profiler.TaskRecord r : rs) {
      seen.merge(r.key(), 1, Integer::sum);
      assertTrue(r.startNanos() <= r.endNanos(), r.toString());
      assertEquals(r.key().prefix(), r.prefix());
      assertFalse(r.failed());
      assertFalse(r.worker().isEmpty());
    }
    Set<Key> missing = new HashSet<>(planKeys(b));
    missing.removeAll(seen.keySet());
    assertEquals(Set.of(), missing, "tasks not recorded");
    assertEquals(planKeys(b).size(), seen.size());
    seen.forEach((k, c) -> assertEquals(1, c, "task " + k + " recorded " + c + " times"));
    Table t = prof.table();
    assertEquals(rs.size(), t.rowCount());
    assertEquals(List.of("key", "prefix", "worker", "start_s", "end_s", "duration_s", "failed"),
        t.columnNames());
    for (int i = 0; i < t.rowCount(); i++) {
      assertTrue(t.doubleColumn("start_s").get(i) >= 0);
      assertTrue(t.doubleColumn("end_s").get(i) >= t.doubleColumn("start_s").get(i));
    }
    // closed: a later computation is not recorded
    b.compute(scheduler);
    assertEquals(rs.size(), prof.results().size());
  }

  @Test
  void seesEveryTaskOnceOnTheSyncScheduler() {
    for (int n : new int[] {1, 7, 40}) {
      checkEveryTaskOnce(Schedulers.sync(), n);
    }
  }

  @Test
  void seesEveryTaskOnceOnTheThreadedScheduler() {
    try (ThreadedScheduler threads = Schedulers.threads(3)) {
      for (int n : new int[] {1, 7, 200}) {
        checkEveryTaskOnce(threads, n);
      }
    }
  }

  @Test
  void seesEveryTaskOnceOnWorkerProcessesAndNamesThem() {
    try (ProcessScheduler procs = Schedulers.processes(2)) {
      checkEveryTaskOnce(procs, 30);
      Blocks b = Blocks.of(12, 3, -1, 20);
      try (Profiler p = Profiler.start()) {
        b.compute(procs);
        Set<String> workers = new HashSet<>();
        p.results().forEach(r -> workers.add(r.worker()));
        assertEquals(2, workers.size(), "both worker processes: " + workers);
        for (String w : workers) {
          assertTrue(w.matches("worker-\\d+ \\(pid \\d+\\)"), w);
        }
      }
    }
  }

  @Test
  void recordsUsedWorkersOnTheThreadedScheduler() {
    Blocks b = Blocks.of(12, 3, -1, 20);
    try (ThreadedScheduler threads = Schedulers.threads(2); Profiler p = Profiler.start()) {
      b.compute(threads);
      Set<String> workers = new HashSet<>();
      p.results().forEach(r -> workers.add(r.worker()));
      assertTrue(workers.size() >= 2, "expected at least 2 workers: " + workers);
    }
  }

  @Test
  void perCallAndGlobalRegistration() {
    Blocks b = Blocks.of(4, 2);
    Profiler perCall = new Profiler();
    Tessera.compute(List.of(b), Schedulers.sync(), perCall);
    assertEquals(planKeys(b).size(), perCall.results().size());
    Profiler global = Profiler.startGlobal();
    Thread other = new Thread(() -> b.compute(Schedulers.sync()));
    other.start();
    assertTrue(join(other));
    global.close();
    assertEquals(planKeys(b).size(), global.results().size());
  }

  private static boolean join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return !t.isAlive();
  }

  @Test
  void marksTheFailedTask() {
    Blocks b = Blocks.of(5, 2, 4, 0); // block 2 starts at 4
    try (Profiler p = Profiler.start()) {
      assertThrows(TaskFailedException.class, () -> b.compute(Schedulers.sync()));
      List<Profiler.TaskRecord> failed = p.results().stream()
          .filter(Profiler.TaskRecord::failed).toList();
      assertEquals(1, failed.size());
      assertEquals(b.doubled().get(2), failed.get(0).key());
    }
  }
}
