package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Starts dashboards, runs computations on threads and on worker JVMs, and reads what the
 * event stream and the read-only endpoints say, over HTTP as a page would.
 */
class DashboardTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @AfterEach
  void noThreadsLeft() throws InterruptedException {
    Work.gate = new CountDownLatch(0);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (dashboardThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, dashboardThreads(), "the dashboard's threads stop when it is closed");
  }

  static long dashboardThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tessera-dashboard")).count();
  }

  static Delayed<Integer> sum(List<Delayed<Integer>> parts) {
    return Delayed.call(Work::total, Delayed.list(parts));
  }

  static HttpResponse<String> get(String url, String host) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject run(JsonObject state, long id) {
    for (JsonElement r : state.getAsJsonArray("runs")) {
      if (r.getAsJsonObject().get("id").getAsLong() == id) {
        return r.getAsJsonObject();
      }
    }
    return null;
  }

  static JsonObject newest(JsonObject state) {
    JsonArray runs = state.getAsJsonArray("runs");
    return runs.isEmpty() ? null : runs.get(0).getAsJsonObject();
  }

  static JsonObject group(JsonObject run, String label) {
    for (JsonElement g : run.getAsJsonArray("groups")) {
      if (g.getAsJsonObject().get("label").getAsString().equals(label)) {
        return g.getAsJsonObject();
      }
    }
    return null;
  }

  @Test
  void threadsShowRunningTasksThenProgressAndTheTaskStream() throws Exception {
    Work.gate = new CountDownLatch(1);
    List<Delayed<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      parts.add(Delayed.call(Work::hold, Delayed.value(i)));
    }
    Delayed<Integer> total = sum(parts);
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        ThreadedScheduler threads = Schedulers.threads(2);
        Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      assertEquals(200, events.response.statusCode());
      assertTrue(events.response.headers().firstValue("Content-Type").orElse("")
          .startsWith("text/event-stream"));
      CompletableFuture<Integer> result = CompletableFuture.supplyAsync(
          () -> total.compute(threads));
      // the gate holds both workers (and the calling thread, which works too): the stream
      // shows them running tasks of "hold"
      JsonObject busy = events.until(s -> {
        JsonObject r = newest(s);
        JsonObject g = r == null ? null : group(r, "hold");
        return g != null && g.get("running").getAsInt() >= 2;
      }, "two running hold tasks");
      JsonObject r = newest(busy);
      assertEquals("running", r.get("state").getAsString());
      assertEquals(8, r.get("tasks").getAsInt()); // 6 hold, the list, the total
      assertEquals(6, group(r, "hold").get("total").getAsInt());
      int running = group(r, "hold").get("running").getAsInt();
      assertEquals(6 - running, group(r, "hold").get("waiting").getAsInt());
      assertEquals(running, busy.getAsJsonArray("running").size());
      for (JsonElement e : busy.getAsJsonArray("running")) {
        assertEquals("hold", e.getAsJsonArray().get(2).getAsString());
      }
      JsonObject local = busy.getAsJsonArray("workers").get(0).getAsJsonObject();
      assertTrue(local.get("local").getAsBoolean());
      assertEquals(running, local.get("running").getAsInt());
      assertTrue(local.get("heap").getAsLong() > 0);
      assertTrue(local.get("heapMax").getAsLong() >= local.get("heap").getAsLong());

      Work.gate.countDown();
      assertEquals(15, result.get(60, TimeUnit.SECONDS));
      long id = r.get("id").getAsLong();
      Set<String> keys = new HashSet<>();
      JsonObject end = events.until(s -> {
        for (JsonElement b : s.getAsJsonArray("bars")) {
          JsonArray a = b.getAsJsonArray();
          if (a.get(7).getAsLong() == id) {
            keys.add(a.get(4).getAsString());
            assertTrue(a.get(0).getAsString().startsWith("tessera-")
                || a.get(0).getAsString().equals(Thread.currentThread().getName())
                || !a.get(0).getAsString().isEmpty());
            assertTrue(a.get(2).getAsDouble() >= a.get(1).getAsDouble());
          }
        }
        JsonObject x = run(s, id);
        return x != null && x.get("state").getAsString().equals("done") && keys.size() == 8;
      }, "the computation done with its 8 tasks in the stream");
      JsonObject done = run(end, id);
      assertEquals(8, done.get("done").getAsInt());
      assertEquals(6, group(done, "hold").get("done").getAsInt());
      assertEquals(0, group(done, "hold").get("running").getAsInt());
      for (Delayed<Integer> p : parts) {
        assertTrue(keys.contains(p.key().toString()), "bar for " + p.key());
      }
      assertTrue(keys.contains(total.key().toString()));
      assertEquals(0, end.getAsJsonArray("running").size());

      // the same state, once, as JSON
      HttpResponse<String> api = get("http://127.0.0.1:" + d.port() + "/api/state", null);
      assertEquals(200, api.statusCode());
      JsonObject once = JsonParser.parseString(api.body()).getAsJsonObject();
      assertEquals("done", run(once, id).get("state").getAsString());
    }
  }

  @Test
  void workerJvmsFeedTheStreamAndAppearAsWorkers() throws Exception {
    List<Delayed<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      parts.add(Delayed.call(Work::nap, Delayed.value(i)));
    }
    Delayed<Integer> total = sum(parts);
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        ProcessScheduler pool = Schedulers.processes(2);
        Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      assertEquals(36, total.compute(pool));
      Set<Long> pids = new HashSet<>(pool.workerPids());
      Set<String> workers = new HashSet<>();
      JsonObject end = events.until(s -> {
        for (JsonElement b : s.getAsJsonArray("bars")) {
          JsonArray a = b.getAsJsonArray();
          if (a.get(3).getAsString().equals("nap")) {
            workers.add(a.get(0).getAsString());
          }
        }
        JsonObject r = newest(s);
        long seen = 0;
        for (JsonElement w : s.getAsJsonArray("workers")) {
          JsonObject o = w.getAsJsonObject();
          if (!o.get("local").getAsBoolean() && pids.contains(o.get("pid").getAsLong())) {
            seen++;
          }
        }
        return r != null && r.get("state").getAsString().equals("done") && seen == 2
            && !workers.isEmpty();
      }, "the pool's computation done and both worker JVMs listed");
      for (String w : workers) {
        assertTrue(w.matches("worker-\\d+ \\(pid \\d+\\)"), w);
      }
      JsonObject r = newest(end);
      assertTrue(r.get("scheduler").getAsString().startsWith("processes"));
      assertEquals(8, group(r, "nap").get("done").getAsInt());
      for (JsonElement w : end.getAsJsonArray("workers")) {
        JsonObject o = w.getAsJsonObject();
        if (!o.get("local").getAsBoolean() && pids.contains(o.get("pid").getAsLong())) {
          assertTrue(o.get("rss").getAsLong() > 0, "resident memory of " + o);
          // reported by the worker itself
          assertTrue(o.get("heapMax").getAsLong() > 0, "the worker's heap limit: " + o);
          assertTrue(o.get("heap").getAsLong() >= 0, "the worker's heap: " + o);
          assertTrue(o.get("held").getAsLong() >= 0, "the bytes the worker holds: " + o);
          assertTrue(o.get("name").getAsString().endsWith("(pid " + o.get("pid") + ")"));
        }
      }
    }
  }

  @Test
  void aFailedTaskShowsAsFailed() throws Exception {
    Delayed<Integer> bad = Delayed.call((Integer x) -> 1 / x, Delayed.value(0));
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      assertThrows(TaskFailedException.class, () -> bad.compute(Schedulers.sync()));
      JsonObject s = events.until(x -> newest(x) != null
          && newest(x).get("state").getAsString().equals("failed"), "a failed computation");
      JsonObject r = newest(s);
      assertTrue(r.get("failure").getAsString().contains("ArithmeticException"), r.toString());
      assertEquals(1, r.get("failed").getAsInt());
    }
  }

  @Test
  void keysAreDataNotMarkup() throws Exception {
    String hostile = "<script>alert(1)</script>";
    Delayed<Integer> x = Delayed.call(Work::nap, Delayed.value(1)).named(hostile);
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        Sse page = new Sse("http://127.0.0.1:" + d.port() + "/events")) { // records while open
      x.compute(Schedulers.sync());
      HttpResponse<String> api = get("http://127.0.0.1:" + d.port() + "/api/state", null);
      // JSON carries it as a string; the page sets it as text (see BrowserTest)
      JsonObject r = newest(JsonParser.parseString(api.body()).getAsJsonObject());
      assertTrue(group(r, hostile) != null, api.body());
      assertEquals("application/json; charset=utf-8",
          api.headers().firstValue("Content-Type").orElse(""));
      HttpResponse<String> svg = get("http://127.0.0.1:" + d.port() + "/api/graph?run="
          + r.get("id").getAsLong(), null);
      assertEquals(200, svg.statusCode(), svg.body());
      assertFalse(svg.body().contains(hostile), "the SVG escapes labels");
      assertTrue(svg.body().contains("&lt;script&gt;"), svg.body());
      HttpResponse<String> profile = get("http://127.0.0.1:" + d.port() + "/profile", null);
      assertEquals(200, profile.statusCode(), profile.body());
      assertTrue(profile.body().contains("data-chart") || profile.body().contains("<svg")
          || profile.body().contains("<script>"), "the diagnostics report");
      assertFalse(profile.body().contains(hostile), "the report escapes keys");
    }
  }

  @Test
  void readOnlyLoopbackAndHostChecked() throws Exception {
    try (Dashboard d = Dashboard.builder().port(0).quiet().start()) {
      String base = "http://127.0.0.1:" + d.port();
      assertEquals(base + "/", d.url());
      HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/events"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/events"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode(), "HEAD answers at once, without a stream");
      HttpResponse<String> page = get(base + "/progress", null);
      assertEquals(200, page.statusCode());
      String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("script-src 'self'"), csp);
      assertTrue(page.body().contains("data-page=\"progress\""));
      assertEquals(404, get(base + "/nothing", null).statusCode());
      assertEquals(400, get(base + "/api/graph?run=x", null).statusCode());
      assertEquals(404, get(base + "/profile", null).statusCode());
      // a page of another origin that resolved its name to 127.0.0.1 is refused
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", d.port())) {
        s.getOutputStream().write(("GET /api/state HTTP/1.1\r\nHost: evil.example:" + d.port()
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String status = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(status.startsWith("HTTP/1.1 403"), status);
      }
    }
  }

  @Test
  void anotherInterfaceNeedsTheToken() throws Exception {
    // 127.0.0.1 with the token forced on, as a bind to another interface would: tests stay
    // on loopback
    try (Dashboard d = Dashboard.builder().port(0).quiet().requireToken().start()) {
      String url = d.url();
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]{48}"), url);
      String token = url.substring(url.indexOf("token=") + 6);
      String base = "http://127.0.0.1:" + d.port();
      assertEquals(403, get(base + "/api/state", null).statusCode());
      assertEquals(403, get(base + "/api/state?token=" + token.substring(1) + "0", null)
          .statusCode());
      assertEquals(200, get(base + "/api/state?token=" + token, null).statusCode());
      assertEquals(200, get(base + "/progress?token=" + token, null).statusCode());
    }
  }

  @Test
  void printsItsUrlAndRefusesATakenPort() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Dashboard d = Dashboard.builder().port(0)
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8)).start()) {
      assertEquals("Tessera dashboard: " + d.url() + System.lineSeparator(),
          bytes.toString(StandardCharsets.UTF_8));
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> Dashboard.builder().port(d.port()).quiet().start());
      assertTrue(e.getMessage().contains("choose another port"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Dashboard.builder().port(70000));
  }
}
