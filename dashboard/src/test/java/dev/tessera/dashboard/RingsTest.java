package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.core.Key;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded event buffer: what it keeps, what it drops, and that writers never wait. */
class RingsTest {
  static Activity.Started started(int i) {
    return new Activity.Started(1, Key.of("t", i), "w", i);
  }

  @Test
  void theCallbacksRecordOnlyWhileAPageIsOpen() {
    Rings rings = new Rings();
    Runs runs = new Runs();
    Feed feed = new Feed(rings, runs, new Transfers());
    dev.tessera.graph.Delayed<Integer> x = dev.tessera.graph.Delayed.value(1).named("x");
    dev.tessera.graph.core.ExecutionPlan plan = dev.tessera.graph.core.ExecutionPlan.of(x.graph(),
        x.outputKeys());
    dev.tessera.graph.spi.RunInfo run = new dev.tessera.graph.spi.RunInfo(9, "test", plan, 0);
    feed.start(run);
    feed.pretask(run, x.key(), "w");
    feed.posttask(run, new dev.tessera.graph.spi.TaskEvent(x.key(), "w", 1, 2, null, 1, -1));
    List<Activity> out = new ArrayList<>();
    rings.drain(out::add);
    assertEquals(List.of(), out, "nobody watches: nothing recorded");
    assertEquals(1, runs.get(9).done.sum(), "the count is exact all the same");
    rings.watch();
    feed.pretask(run, x.key(), "w");
    feed.posttask(run, new dev.tessera.graph.spi.TaskEvent(x.key(), "w", 1, 2, null, 1,
        feed.sizeOf(1)));
    rings.unwatch();
    assertEquals(-1, feed.sizeOf(1), "no page open: results are not measured");
    feed.pretask(run, x.key(), "w");
    rings.drain(out::add);
    assertEquals(2, out.size(), "recorded while watched: " + out);
    assertEquals(new Activity.Ended(9, x.key(), "w", 1, 2, false, 4), out.get(1));
  }

  @Test
  void keepsTheLastCapacityActivitiesAndCountsTheRest() {
    Rings rings = new Rings();
    int n = 3 * Rings.CAPACITY + 5;
    for (int i = 0; i < n; i++) {
      rings.add(started(i));
    }
    List<Activity> out = new ArrayList<>();
    rings.drain(out::add);
    int kept = Rings.CAPACITY - 1;
    assertEquals(kept, out.size());
    assertEquals(n - kept, rings.lost());
    for (int i = 0; i < out.size(); i++) {
      assertEquals(n - kept + i, ((Activity.Started) out.get(i)).nanos());
    }
    out.clear();
    rings.drain(out::add);
    assertEquals(0, out.size(), "each activity is drained once");
    rings.add(started(n));
    rings.drain(out::add);
    assertEquals(List.of(started(n)), out);
  }

  @Test
  void drainsWhileThreadsWriteInOrderWithoutDuplicates() throws Exception {
    Rings rings = new Rings();
    int perThread = 200_000;
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int id = t;
      writers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          rings.add(new Activity.Started(id, Key.of("t"), "w" + id, i));
        }
      }));
    }
    writers.forEach(Thread::start);
    long[] last = {-1, -1};
    long[] seen = new long[2];
    boolean[] ordered = {true};
    Runnable drain = () -> rings.drain(a -> {
      Activity.Started s = (Activity.Started) a;
      int w = (int) s.run();
      if (s.nanos() <= last[w]) {
        ordered[0] = false;
      }
      last[w] = s.nanos();
      seen[w]++;
    });
    while (writers.stream().anyMatch(Thread::isAlive)) {
      drain.run();
    }
    for (Thread w : writers) {
      w.join();
    }
    drain.run();
    assertTrue(ordered[0], "each thread's activities come in order, once");
    assertEquals(2L * perThread, seen[0] + seen[1] + rings.lost(), "drained or counted lost");
    assertEquals(perThread - 1, last[0]);
    assertEquals(perThread - 1, last[1]);
    assertEquals(0, rings.rings(), "rings of ended threads are dropped once drained");
  }
}
