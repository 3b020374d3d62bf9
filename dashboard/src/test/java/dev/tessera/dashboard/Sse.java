package dev.tessera.dashboard;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads a dashboard's event stream over HTTP, as a page does. */
final class Sse implements AutoCloseable {
  private final InputStream body;
  private final BufferedReader lines;
  final HttpResponse<InputStream> response;

  Sse(String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    body = response.body();
    lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** Returns the next "state" event's data. */
  JsonObject next() throws IOException {
    String event = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && "state".equals(event)) {
        return JsonParser.parseString(line.substring(6)).getAsJsonObject();
      }
    }
    throw new IOException("the event stream ended");
  }

  /** Returns the first state for which {@code done} holds, reading for at most 60 s. */
  JsonObject until(Predicate<JsonObject> done, String what) throws IOException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      last = next();
      if (done.test(last)) {
        return last;
      }
    }
    throw new AssertionError("the event stream never showed " + what + "; last: " + last);
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
