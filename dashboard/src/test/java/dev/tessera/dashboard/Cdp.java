package dev.tessera.dashboard;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A minimal Chrome DevTools Protocol client over the JDK's WebSocket, for the browser test:
 * navigate, evaluate, wait for a condition the page sets, screenshot, and collect every
 * console message, uncaught exception and log entry (a CSP violation is one). Waiting for
 * what the page says it drew replaces a fixed delay, which a loaded machine outran.
 */
final class Cdp implements AutoCloseable {
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  /** Console messages, exceptions and log entries since the last {@link #navigate}. */
  final List<String> messages = new CopyOnWriteArrayList<>();

  private Cdp(WebSocket ws) {
    this.ws = ws;
  }

  /**
   * Connects to the page target of a Chromium started with {@code --remote-debugging-port=0}
   * and {@code --user-data-dir=profile}.
   */
  static Cdp attach(Path profile, Process chromium) throws Exception {
    Path active = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.isRegularFile(active) || Files.readAllLines(active).size() < 2) {
      if (!chromium.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("chromium did not open its DevTools port (alive: "
            + chromium.isAlive() + ")");
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    String ws = null;
    while (ws == null) {
      String list = http.send(java.net.http.HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(Duration.ofSeconds(30))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      for (JsonElement t : JsonParser.parseString(list).getAsJsonArray()) {
        if (t.getAsJsonObject().get("type").getAsString().equals("page")) {
          ws = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
        }
      }
      if (ws == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("chromium has no page target: " + list);
        }
        Thread.sleep(100);
      }
    }
    Listener listener = new Listener();
    Cdp cdp = new Cdp(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
        .buildAsync(URI.create(ws), listener).get(60, TimeUnit.SECONDS));
    listener.cdp = cdp;
    cdp.call("Runtime.enable", new JsonObject());
    cdp.call("Log.enable", new JsonObject());
    cdp.call("Page.enable", new JsonObject());
    return cdp;
  }

  /** Sends one command and waits for its result (60 s at most). */
  JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    JsonObject m = new JsonObject();
    m.addProperty("id", id);
    m.addProperty("method", method);
    m.add("params", params);
    synchronized (ws) {
      ws.sendText(m.toString(), true).get(60, TimeUnit.SECONDS);
    }
    JsonObject answer = f.get(60, TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new AssertionError(method + " failed: " + answer.get("error"));
    }
    return answer.getAsJsonObject("result");
  }

  /** Opens {@code url} in the page, forgetting the messages of the one before. */
  void navigate(String url) throws Exception {
    messages.clear();
    JsonObject p = new JsonObject();
    p.addProperty("url", url);
    call("Page.navigate", p);
  }

  /** {@return the value of a JavaScript expression in the page (JSON types)} */
  JsonElement eval(String expression) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("expression", expression);
    p.addProperty("returnByValue", true);
    JsonObject r = call("Runtime.evaluate", p).getAsJsonObject("result");
    return r.has("value") ? r.get("value") : null;
  }

  /** Waits until {@code expression} is true in the page, 120 s at most; returns whether it was. */
  boolean await(String expression) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    BooleanSupplier late = () -> System.nanoTime() > deadline;
    while (!late.getAsBoolean()) {
      JsonElement v = eval(expression);
      if (v != null && v.isJsonPrimitive() && v.getAsBoolean()) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** Sets the viewport (CSS pixels, scale 1), as a window of that size would. */
  void viewport(int width, int height) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("width", width);
    p.addProperty("height", height);
    p.addProperty("deviceScaleFactor", 1);
    p.addProperty("mobile", false);
    call("Emulation.setDeviceMetricsOverride", p);
  }

  /** Writes a PNG screenshot of the viewport to {@code file}. */
  void screenshot(Path file) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("format", "png");
    String data = call("Page.captureScreenshot", p).get("data").getAsString();
    Files.write(file, Base64.getDecoder().decode(data));
  }

  @Override
  public void close() {
    ws.abort();
  }

  private void received(JsonObject m) {
    if (m.has("id")) {
      CompletableFuture<JsonObject> f = pending.remove(m.get("id").getAsInt());
      if (f != null) {
        f.complete(m);
      }
      return;
    }
    String method = m.has("method") ? m.get("method").getAsString() : "";
    if (method.equals("Runtime.consoleAPICalled") || method.equals("Runtime.exceptionThrown")
        || method.equals("Log.entryAdded")) {
      messages.add(method + ": " + m.get("params"));
    }
  }

  private static final class Listener implements WebSocket.Listener {
    volatile Cdp cdp;
    private final StringBuilder text = new StringBuilder();
    private final List<JsonObject> early = new ArrayList<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject m = JsonParser.parseString(text.toString()).getAsJsonObject();
        text.setLength(0);
        Cdp c = cdp;
        if (c == null) {
          early.add(m); // nothing is asked before attach returns: events only
        } else {
          c.received(m);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
