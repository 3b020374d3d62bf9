package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.futures.Client;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code Client.dashboard(true)}: the one-liner that opens the dashboard with a client. */
class ClientDashboardTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  static int inc(int x) {
    return x + 1;
  }

  private static int status(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aClientOpensItsDashboardAndClosesItWithItself() throws Exception {
    String url;
    try (ThreadedScheduler threads = Schedulers.threads(2);
        Client client = Client.on(threads).dashboard(true)) {
      url = client.dashboardUrl().orElseThrow();
      assertTrue(url.startsWith("http://127.0.0.1:"), url);
      assertEquals(2, client.submit(ClientDashboardTest::inc, 1).result());
      int code = status(url);
      assertTrue(code == 200 || code == 302, "the page answers: " + code);
      client.dashboard(true); // already open: the same one
      assertEquals(url, client.dashboardUrl().orElseThrow());
    }
    assertThrows(java.io.IOException.class, () -> status(url), "closed with the client");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (DashboardTest.dashboardThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, DashboardTest.dashboardThreads(), "its threads stopped");
  }

  @Test
  void dashboardFalseClosesIt() throws Exception {
    try (ThreadedScheduler threads = Schedulers.threads(1);
        Client client = Client.on(threads).dashboard(true)) {
      String url = client.dashboardUrl().orElseThrow();
      client.dashboard(false);
      assertTrue(client.dashboardUrl().isEmpty());
      assertThrows(java.io.IOException.class, () -> status(url));
    }
  }
}
