package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Worker JVMs killed mid-computation: the right answer, or after 3 deaths a clear error. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLossTest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static int slow(int ms) throws InterruptedException {
    Thread.sleep(ms);
    return ms;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static long sum(List<Integer> xs) {
    return xs.stream().mapToLong(x -> x).sum();
  }

  /**
   * Ends the JVM it runs in, unless that is the test's own (a static field would not do: each
   * worker JVM initializes its own), and only once this worker has seen another one for 3 s:
   * one death at a time, with a replacement in the cluster and its join finished, as when a
   * task crashes workers now and then. A fixed delay instead lost the whole cluster on a slow
   * machine, where a replacement took longer than the delay to join (losing every worker is
   * {@link LostClusterTest}); dying the moment another worker appeared hit an Ignite bug: a
   * death in the middle of a join's partition exchange broke the program's client node's
   * exchange ("Affinity for topology version is not initialized"), which then held up every
   * later join (docs/cluster.md, "Node loss").
   */
  static int exitLater(int code, long caller) throws InterruptedException {
    if (ProcessHandle.current().pid() != caller) {
      org.apache.ignite.Ignite own = org.apache.ignite.Ignition.allGrids().get(0);
      long deadline = System.nanoTime() + 120_000_000_000L;
      long seenSince = 0;
      while (System.nanoTime() < deadline) {
        if (Topology.workers(own).size() < 2) {
          seenSince = 0;
        } else if (seenSince == 0) {
          seenSince = System.nanoTime();
        } else if (System.nanoTime() - seenSince > 3_000_000_000L) {
          break;
        }
        Thread.sleep(50);
      }
      Runtime.getRuntime().halt(code);
    }
    return code;
  }

  static int inc(int x) {
    return x + 1;
  }

  /** Counts finished tasks. */
  static final class Ended implements SchedulerCallback {
    final AtomicInteger n = new AtomicInteger();

    @Override
    public void posttask(RunInfo run, TaskEvent event) {
      n.incrementAndGet();
    }
  }

  private static void awaitWorkers(int n) throws InterruptedException {
    for (int i = 0; i < 900 && cluster.workers().size() < n; i++) {
      Thread.sleep(100);
    }
    assertTrue(cluster.workers().size() >= n, "workers: " + cluster.workers());
  }

  @Test
  @Order(1)
  void aKilledWorkerCostsTimeNotTheAnswer() throws Exception {
    awaitWorkers(2);
    List<Long> before = cluster.localWorkerPids();
    // chains of slow steps: a worker killed mid-way loses running tasks and held results
    List<Delayed<Integer>> heads = new ArrayList<>();
    long expected = 0;
    for (int c = 0; c < 6; c++) {
      Delayed<Integer> d = Delayed.value(c * 100);
      expected += c * 100;
      for (int j = 0; j < 6; j++) {
        d = Delayed.call(NodeLossTest::add, Delayed.call(NodeLossTest::slow,
            Delayed.value(40 + j)), d);
        expected += 40 + j;
      }
      heads.add(d);
    }
    Delayed<Long> total = Delayed.call(NodeLossTest::sum, Delayed.list(heads));
    Ended ended = new Ended();
    Thread killer = new Thread(() -> {
      try {
        while (ended.n.get() < 12) {
          Thread.sleep(5);
        }
        ProcessHandle.of(before.get(0)).ifPresent(ProcessHandle::destroyForcibly);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    killer.start();
    Object out = Tessera.compute(List.of(total), cluster, ended).get(0);
    killer.join();
    assertEquals(expected, out);
    assertFalse(ProcessHandle.of(before.get(0)).map(ProcessHandle::isAlive).orElse(false));
    awaitWorkers(2); // a replacement joined
    assertEquals(3, Delayed.call(NodeLossTest::inc, Delayed.value(2)).compute(cluster));
  }

  @Test
  @Order(2)
  void aTaskThatKillsItsWorkerFailsClearlyAfterThreeDeaths() throws Exception {
    awaitWorkers(2);
    Delayed<Integer> bad = Delayed.call(NodeLossTest::exitLater, Delayed.value(7),
        Delayed.value(ProcessHandle.current().pid()));
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> bad.compute(cluster));
    assertEquals(bad.key(), e.key());
    assertTrue(e.getMessage().contains("3 times"), e.getMessage());
    // replacements joined and the cluster works again
    awaitWorkers(1);
    assertEquals(3, Delayed.call(NodeLossTest::inc, Delayed.value(2)).compute(cluster));
  }
}
