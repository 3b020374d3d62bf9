package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.TransferEvent;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transfers between worker JVMs on the event stream, their bounds, and a worker that does
 * not answer: no page waits for it.
 */
class TransfersTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void noThreadsLeft() throws InterruptedException {
    new DashboardTest().noThreadsLeft();
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Two blocks ready at once land on the two workers (the least loaded worker chooses first);
   * the task that takes both runs on one of them, so the other's block moves: one transfer of
   * a double[1000] or [1001] (8,000-odd bytes) from one worker to the other, under its key.
   */
  @Test
  void aTransferBetweenWorkerJvmsShowsWithItsBytes() throws Exception {
    Delayed<double[]> a = Delayed.call(Work::block, Delayed.value(0));
    Delayed<double[]> b = Delayed.call(Work::block, Delayed.value(1));
    Delayed<Integer> both = Delayed.call(Work::both, a, b);
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        ProcessScheduler pool = Schedulers.processes(2);
        Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      long before = pool.transferredBytes();
      assertEquals(2001, both.compute(pool));
      long moved = pool.transferredBytes() - before;
      long count = pool.transfers();
      assertEquals(1, count, "the graph forces one transfer");
      Set<String> names = new HashSet<>();
      for (long pid : pool.workerPids()) {
        names.add("pid " + pid + ")");
      }
      JsonObject s = events.until(x -> x.getAsJsonObject("transfers").get("count").getAsLong()
          >= count, "the transfers");
      JsonObject t = s.getAsJsonObject("transfers");
      assertEquals(count, t.get("count").getAsLong(), "as many as the pool counted: " + t);
      assertEquals(moved, t.get("bytes").getAsLong(), "the bytes the pool counted: " + t);
      JsonArray block = null;
      for (JsonElement e : t.getAsJsonArray("recent")) {
        String key = e.getAsJsonArray().get(4).getAsString();
        if (key.equals(a.key().toString()) || key.equals(b.key().toString())) {
          block = e.getAsJsonArray();
        }
      }
      assertTrue(block != null, "a block moved: " + t);
      long bytes = block.get(3).getAsLong();
      assertEquals(moved, bytes, "the one transfer's bytes");
      assertTrue(bytes >= 8000 && bytes < 8400, "a double[1000] or [1001] encoded: " + bytes);
      String from = block.get(1).getAsString();
      String to = block.get(2).getAsString();
      assertNotEquals(from, to);
      for (String w : List.of(from, to)) {
        assertTrue(w.matches("worker-\\d+ \\(pid \\d+\\)")
            && names.stream().anyMatch(w::endsWith), w + " is one of " + names);
      }
      long pairBytes = 0;
      boolean blockPair = false;
      for (JsonElement e : t.getAsJsonArray("pairs")) {
        JsonArray pair = e.getAsJsonArray();
        pairBytes += pair.get(3).getAsLong();
        if (pair.get(0).getAsString().equals(from) && pair.get(1).getAsString().equals(to)) {
          blockPair = true;
          assertTrue(pair.get(3).getAsLong() >= bytes, pair.toString());
          assertTrue(pair.get(4).getAsDouble() > 0, "bytes/s over the last seconds: " + pair);
        }
      }
      assertTrue(blockPair, "the pair " + from + " to " + to + " in " + t);
      assertEquals(moved, pairBytes, "the pairs add up to the total");
      // a user's key is data: JSON escapes it, and the page sets it as text (BrowserTest)
      String raw = get("http://127.0.0.1:" + d.port() + "/api/state").body();
      JsonObject once = JsonParser.parseString(raw).getAsJsonObject();
      assertEquals(count, once.getAsJsonObject("transfers").get("count").getAsLong());
    }
  }

  @Test
  void transfersAreBoundedAndTheTotalsExact() {
    Transfers t = new Transfers();
    long n = 3 * Transfers.RECENT;
    for (int i = 0; i < n; i++) {
      t.add(1, new TransferEvent(Key.of("k", i), "w" + (i % 40), "v" + (i % 40), 10,
          System.nanoTime()));
    }
    JsonObject j = t.json(System.nanoTime(), x -> x / 1e9);
    assertEquals(n, j.get("count").getAsLong());
    assertEquals(10 * n, j.get("bytes").getAsLong());
    assertEquals(Transfers.SHOWN, j.getAsJsonArray("recent").size());
    assertEquals(Key.of("k", (int) n - 1).toString(), j.getAsJsonArray("recent").get(0)
        .getAsJsonArray().get(4).getAsString(), "newest first");
    assertEquals(40, j.getAsJsonArray("pairs").size());
    for (int i = 0; i < Transfers.PAIRS + 10; i++) {
      t.add(1, new TransferEvent(Key.of("k", i), "a" + i, "b", 1, System.nanoTime()));
    }
    JsonObject k = t.json(System.nanoTime(), x -> x / 1e9);
    assertEquals(Transfers.PAIRS, k.getAsJsonArray("pairs").size(), "pairs are bounded");
    assertEquals(n + Transfers.PAIRS + 10, k.get("count").getAsLong(), "the total stays exact");
  }

  /**
   * A worker that never answers (the stats source hangs, as a stopped worker JVM's reader
   * would): the event stream, the pages and the JSON state still answer, from the last
   * answers; before, every page waited for it under the dashboard's lock.
   */
  @Test
  void aWorkerThatDoesNotAnswerBlocksNoPage() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    try (Dashboard d = Dashboard.builder().port(0).quiet().stats(() -> {
      asked.countDown();
      never.await();
      return StatsPoller.Answers.NONE;
    }).start(); Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      assertTrue(asked.await(30, TimeUnit.SECONDS), "the poller asked");
      assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
        for (int i = 0; i < 4; i++) {
          JsonObject s = events.next();
          assertTrue(s.getAsJsonArray("workers").size() >= 1, "this JVM at least: " + s);
        }
        assertEquals(200, get("http://127.0.0.1:" + d.port() + "/workers").statusCode());
        assertEquals(200, get("http://127.0.0.1:" + d.port() + "/api/state").statusCode());
      }, "a page waited for a worker that does not answer");
      assertEquals(1, never.getCount(), "the source is still stuck meanwhile");
    } // closing interrupts the stuck poller
  }

  /**
   * A worker JVM stopped with SIGSTOP: the stream goes on, the stopped worker shows no heap
   * (it did not answer), the other one still reports its own.
   */
  @Test
  void aStoppedWorkerJvmShowsUnknownAndTheOtherStillReports() throws Exception {
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        ProcessScheduler pool = Schedulers.processes(2);
        Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      List<Long> pids = pool.workerPids();
      long stopped = pids.get(0);
      long other = pids.get(1);
      events.until(s -> heap(s, stopped) > 0 && heap(s, other) > 0, "both workers' heaps");
      signal("STOP", stopped);
      try {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
          events.until(s -> heap(s, stopped) < 0 && heap(s, other) > 0,
              "the stopped worker unknown, the other reporting");
        });
      } finally {
        signal("CONT", stopped);
      }
    }
  }

  static long heap(JsonObject state, long pid) {
    for (JsonElement w : state.getAsJsonArray("workers")) {
      JsonObject o = w.getAsJsonObject();
      if (o.get("pid").getAsLong() == pid) {
        return o.get("heap").getAsLong();
      }
    }
    return 0; // not listed yet
  }

  static void signal(String name, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "kill -" + name + " " + pid);
  }
}
