package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.spi.TransferEvent;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a dashboard costs with no page open: the threaded scheduler calls none of its per-task
 * callbacks, yet the counts it shows are exact; a page that opens starts the events at once.
 */
class NobodyWatchingTest {
  private static final int N = 2_000;

  @AfterEach
  void openTheGate() {
    Work.gate = new CountDownLatch(0);
    Work.entered = new CountDownLatch(0);
  }

  /** The dashboard's feed, with its per-task calls counted on the way. */
  static final class Counting implements SchedulerCallback {
    final Feed feed;
    final AtomicInteger pre = new AtomicInteger();
    final AtomicInteger post = new AtomicInteger();
    final AtomicInteger sized = new AtomicInteger();

    Counting(Feed feed) {
      this.feed = feed;
    }

    @Override
    public boolean wantsTaskEvents() {
      return feed.wantsTaskEvents();
    }

    @Override
    public void start(RunInfo run) {
      feed.start(run);
    }

    @Override
    public void pretask(RunInfo run, Key key, String worker) {
      pre.incrementAndGet();
      feed.pretask(run, key, worker);
    }

    @Override
    public void posttask(RunInfo run, TaskEvent event) {
      post.incrementAndGet();
      feed.posttask(run, event);
    }

    @Override
    public long sizeOf(Object result) {
      sized.incrementAndGet();
      return feed.sizeOf(result);
    }

    @Override
    public void transfer(RunInfo run, TransferEvent event) {
      feed.transfer(run, event);
    }

    @Override
    public void finish(RunInfo run, RunOutcome outcome) {
      feed.finish(run, outcome);
    }
  }

  static Delayed<List<Integer>> incs(int n) {
    List<Delayed<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(Delayed.call(Work::inc, Delayed.value(i)));
    }
    return Delayed.list(parts);
  }

  static Computation newest(Runs runs) {
    List<Computation> all = runs.all();
    return all.get(all.size() - 1);
  }

  @Test
  void withNoPageOpenNoTaskCallbackRunsAndTheCountsAreExact() throws Exception {
    Rings rings = new Rings();
    Runs runs = new Runs();
    Counting counting = new Counting(new Feed(rings, runs, new Transfers()));
    Delayed<List<Integer>> all = incs(N);
    try (ThreadedScheduler threads = Schedulers.threads(2);
        Tessera.Scope scope = Tessera.useCallback(counting)) {
      assertEquals(N, all.compute(threads).size());
      Computation c = newest(runs);
      assertEquals(0, counting.pre.get() + counting.post.get() + counting.sized.get(),
          "nobody watches: no pretask, posttask or sizeOf");
      assertEquals(N + 1, c.done(), "every task counted all the same (the list too)");
      assertEquals(0, c.failed());
      assertNotNull(c.end());
      assertNull(c.end().failure());

      // a failure: the failed task counted, the others that finished too
      List<Delayed<Integer>> parts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        if (i == 25) {
          parts.add(Delayed.call(Work::fail, Delayed.value(i)));
        } else {
          parts.add(Delayed.call(Work::inc, Delayed.value(i)));
        }
      }
      Delayed<List<Integer>> failing = Delayed.list(parts);
      assertThrows(TaskFailedException.class, () -> failing.compute(threads));
      Computation f = newest(runs);
      assertEquals(0, counting.pre.get() + counting.post.get() + counting.sized.get());
      assertEquals(1, f.failed(), "the one task that threw");
      assertEquals(f.end().completed(), f.done());
      assertTrue(f.end().failure().startsWith("FAILED at "), f.end().failure());
      List<Activity> recorded = new ArrayList<>();
      rings.drain(recorded::add);
      assertEquals(List.of(), recorded, "nothing recorded");

      // a page opens: every task is reported, all three calls each
      rings.watch();
      try {
        assertEquals(N, all.compute(threads).size());
      } finally {
        rings.unwatch();
      }
      assertEquals(N + 1, counting.pre.get());
      assertEquals(N + 1, counting.post.get());
      assertEquals(N + 1, counting.sized.get());
      assertEquals(N + 1, newest(runs).done(), "counted once, not once more per posttask");
      rings.drain(recorded::add);
      assertEquals(2 * (N + 1), recorded.size(), "a start and an end per task");
    }
  }

  @Test
  void aSchedulerThatDoesNotCountStillGetsCountedThroughPosttask() {
    // the worker-JVM pool and the cluster report every task and give TaskCounts.NONE
    Rings rings = new Rings();
    Runs runs = new Runs();
    Feed feed = new Feed(rings, runs, new Transfers());
    Delayed<Integer> x = Delayed.value(1).named("x");
    RunInfo run = new RunInfo(RunInfo.nextId(), "test", dev.tessera.graph.core.ExecutionPlan.of(
        x.graph(), x.outputKeys()), 0);
    feed.start(run);
    assertFalse(feed.wantsTaskEvents());
    feed.posttask(run, new TaskEvent(x.key(), "w", 1, 2, null, 0, -1));
    assertEquals(1, runs.get(run.id()).done());
    feed.posttask(run, new TaskEvent(x.key(), "w", 1, 2, new RuntimeException(), 0, -1));
    assertEquals(1, runs.get(run.id()).failed());
  }

  @Test
  void theDashboardShowsExactCountsUnwatchedAndEventsFromWhenAPageOpens() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        ThreadedScheduler threads = Schedulers.threads(2)) {
      String base = "http://127.0.0.1:" + d.port();
      // nobody watching: /api/state (no event stream, so no recording) has the exact count
      assertEquals(N, incs(N).compute(threads).size());
      JsonObject state = JsonParser.parseString(http.send(HttpRequest.newBuilder(
          URI.create(base + "/api/state")).build(), HttpResponse.BodyHandlers.ofString())
          .body()).getAsJsonObject();
      JsonObject first = DashboardTest.newest(state);
      assertEquals("done", first.get("state").getAsString());
      assertEquals(N + 1, first.get("done").getAsInt());
      assertEquals(N + 1, first.get("tasks").getAsInt());
      assertEquals(0, state.getAsJsonArray("bars").size(), "no task recorded");

      // a computation whose first task waits at the gate; its dependents start after
      Work.gate = new CountDownLatch(1);
      Work.entered = new CountDownLatch(1);
      Delayed<Integer> held = Delayed.call(Work::hold, Delayed.value(0));
      List<Delayed<Integer>> after = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        after.add(Delayed.call(Integer::sum, held, Delayed.value(i)));
      }
      Delayed<List<Integer>> list = Delayed.list(after);
      Delayed<Integer> total = Delayed.call(Work::total, list);
      CompletableFuture<Integer> result = CompletableFuture.supplyAsync(
          () -> total.compute(threads));
      try {
        assertTrue(Work.entered.await(60, TimeUnit.SECONDS), "the first task started");
        try (Sse page = new Sse(base + "/events")) { // a page opens while it waits
          JsonObject now = page.next();
          JsonObject r = DashboardTest.newest(now);
          long id = r.get("id").getAsLong();
          assertEquals("running", r.get("state").getAsString());
          assertEquals(0, r.get("done").getAsInt(), "exact: nothing finished yet");
          Work.gate.countDown();
          assertEquals(190, result.get(60, TimeUnit.SECONDS));
          Set<String> keys = new HashSet<>();
          JsonObject end = page.until(s -> {
            for (JsonElement b : s.getAsJsonArray("bars")) {
              JsonArray a = b.getAsJsonArray();
              if (a.get(7).getAsLong() == id) {
                keys.add(a.get(4).getAsString());
              }
            }
            JsonObject x = DashboardTest.run(s, id);
            return x != null && x.get("state").getAsString().equals("done")
                && keys.size() >= 22;
          }, "the dependents, the list and the total in the task stream");
          assertEquals(23, DashboardTest.run(end, id).get("done").getAsInt());
          Set<String> expected = new HashSet<>();
          after.forEach(a -> expected.add(a.key().toString()));
          expected.add(list.key().toString());
          expected.add(total.key().toString());
          // the held task started before the page opened: it was never reported
          assertEquals(expected, keys, "every task that started after the page opened");
        }
      } finally {
        Work.gate.countDown();
      }
    }
  }
}
