package dev.tessera.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.graph.core.ExecutionPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's HTTP side, on the JDK's own {@code com.sun.net.httpserver}: pages, their
 * script and style (resources of this jar; nothing comes from the network), one
 * server-sent-event stream per open page, and read-only JSON, SVG and HTML.
 *
 * <p>Security: every endpoint only reads; none takes input beyond a computation's id. Only
 * {@code GET} and {@code HEAD} are served. On loopback the {@code Host} header must name
 * loopback (a DNS-rebinding page cannot read it); on any other address every request needs
 * the random token ({@code ?token=...}), as Jupyter does. Pages carry a Content-Security-Policy
 * that allows only this server's own script, so text that reached the page unescaped still
 * could not run.
 */
final class Server {
  /** Event streams open at once at most; more get 503. */
  static final int MAX_STREAMS = 8;
  static final List<String> PAGES = List.of("progress", "tasks", "workers", "graph");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src"
      + " 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action"
      + " 'none'; frame-ancestors 'none'";
  // the diagnostics report is one self-contained file: its own script and style are inline
  private static final String REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline';"
      + " style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

  private final HttpServer http;
  private final ThreadPoolExecutor pool;
  private final String token;
  private final boolean loopback;
  private final Rings rings;
  private final State state;
  private final GraphView graph;
  private final Path tmp;
  private final long intervalMillis;
  private final AtomicInteger streams = new AtomicInteger();
  private final Map<String, byte[]> resources = new HashMap<>();
  private volatile boolean closed;

  Server(InetSocketAddress address, String token, Rings rings, State state, GraphView graph,
      Path tmp, long intervalMillis) throws IOException {
    this.token = token;
    this.rings = rings;
    this.loopback = address.getAddress().isLoopbackAddress();
    this.state = state;
    this.graph = graph;
    this.tmp = tmp;
    this.intervalMillis = intervalMillis;
    for (String r : List.of("page.html", "dashboard.js", "dashboard.css")) {
      resources.put(r, resource(r));
    }
    AtomicInteger ids = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(2 * MAX_STREAMS, 2 * MAX_STREAMS, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "tessera-dashboard-" + ids.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.http = HttpServer.create(address, 0);
    http.setExecutor(pool);
    http.createContext("/", this::handle);
    http.start();
  }

  int port() {
    return http.getAddress().getPort();
  }

  void close() {
    closed = true;
    http.stop(0);
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the dashboard's request threads did not stop in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Headers h = ex.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      h.set("Cache-Control", "no-store");
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        h.set("Allow", "GET, HEAD");
        text(ex, 405, "the dashboard is read-only: only GET and HEAD are served");
        return;
      }
      Map<String, String> query = query(ex.getRequestURI());
      if (!allowed(ex, query)) {
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals("/")) {
        h.set("Location", "/progress" + (token == null ? "" : "?token=" + token));
        ex.sendResponseHeaders(302, -1);
      } else if (PAGES.contains(path.substring(1))) {
        h.set("Content-Security-Policy", PAGE_CSP);
        String page = new String(resources.get("page.html"), StandardCharsets.UTF_8)
            .replace("data-page=\"\"", "data-page=\"" + path.substring(1) + "\"");
        send(ex, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/static/dashboard.js")) {
        send(ex, 200, "text/javascript; charset=utf-8", resources.get("dashboard.js"));
      } else if (path.equals("/static/dashboard.css")) {
        send(ex, 200, "text/css; charset=utf-8", resources.get("dashboard.css"));
      } else if (path.equals("/events")) {
        stream(ex);
      } else if (path.equals("/api/state")) {
        json(ex, state.snapshot(new long[1]).toString());
      } else if (path.equals("/api/graph")) {
        graph(ex, query.get("run"));
      } else if (path.equals("/profile")) {
        profile(ex);
      } else {
        text(ex, 404, "no page " + path + "; the pages are /" + String.join(", /", PAGES)
            + " and /profile");
      }
    } catch (IOException e) {
      // the browser went away
    } catch (RuntimeException e) {
      try {
        text(ex, 500, "the dashboard failed: " + e);
      } catch (IOException | RuntimeException again) {
        // headers were sent already
      }
    }
  }

  private boolean allowed(HttpExchange ex, Map<String, String> query) throws IOException {
    if (token != null) {
      String given = query.getOrDefault("token", "");
      if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
          token.getBytes(StandardCharsets.UTF_8))) {
        text(ex, 403, "this dashboard needs its token: open the URL it printed, which ends"
            + " in ?token=...");
        return false;
      }
      return true;
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf(']')) {
      name = name.substring(0, colon);
    }
    if (loopback && !LOOPBACK_HOSTS.contains(name)) {
      text(ex, 403, "this dashboard serves loopback only: open it as http://127.0.0.1:"
          + port() + "/");
      return false;
    }
    return true;
  }

  private void stream(HttpExchange ex) throws IOException {
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, -1);
      return;
    }
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      text(ex, 503, "too many dashboard pages are open (" + MAX_STREAMS + "); close one");
      return;
    }
    rings.watch();
    try {
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      long[] cursor = new long[1];
      while (!closed) {
        String data = state.snapshot(cursor).toString();
        out.write(("event: state\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
          Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
          return; // closing
        }
      }
    } finally {
      rings.unwatch();
      streams.decrementAndGet();
    }
  }

  private void graph(HttpExchange ex, String run) throws IOException {
    long id;
    try {
      id = Long.parseLong(run == null ? "" : run);
    } catch (NumberFormatException e) {
      text(ex, 400, "give the computation's id: /api/graph?run=ID");
      return;
    }
    Computation c = state.computation(id);
    ExecutionPlan plan = c == null ? null : c.plan();
    Progress progress = c == null ? null : c.progress; // read once: the reader may drop it
    if (plan == null || progress == null) {
      text(ex, 404, "the graph of computation " + id + " is not kept any more (a finished"
          + " computation's plan is let go at the next garbage collection)");
      return;
    }
    String svg = graph.svg(c.id, plan, progress.groups);
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'");
    send(ex, 200, "image/svg+xml; charset=utf-8", svg.getBytes(StandardCharsets.UTF_8));
  }

  private void profile(HttpExchange ex) throws IOException {
    Computation c = state.lastEnded();
    List<Activity.Ended> tasks = c == null ? List.of() : state.tasksOf(c.id);
    if (tasks.isEmpty()) {
      text(ex, 404, "no computation has ended yet (or its tasks are no longer kept);"
          + " this page shows the profile of the last one that did");
      return;
    }
    Files.createDirectories(tmp);
    Path file = Files.createTempFile(tmp, "profile", ".html");
    try {
      Feed.profile(c, tasks, file);
      ex.getResponseHeaders().set("Content-Security-Policy", REPORT_CSP);
      send(ex, 200, "text/html; charset=utf-8", Files.readAllBytes(file));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void json(HttpExchange ex, String body) throws IOException {
    send(ex, 200, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String q = uri.getRawQuery();
    if (q == null) {
      return out;
    }
    for (String part : q.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static byte[] resource(String name) {
    try (InputStream in = Server.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the"
            + " tessera-dashboard jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
