package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mutual TLS: the cluster runs with it, and refuses nodes that do not hold a certificate its
 * authority signed. */
class TlsTest {
  private static final char[] PASSWORD = "test-only-password".toCharArray();
  private static Cluster cluster;
  private static Path dir;

  @BeforeAll
  static void start() {
    dir = Path.of(System.getProperty("java.io.tmpdir"), "tls-test-" + System.nanoTime());
    Certificates certs = Certificates.create(dir.resolve("good"), PASSWORD, "client", "worker");
    cluster = Cluster.local(ClusterOptions.builder().workers(1)
        .ssl(certs.keyStore("client"), certs.trustStore(), PASSWORD).build());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    IgniteSetup.deleteWorkDirectory(dir);
  }

  private static List<String> addresses() {
    return cluster.options().discoveryAddresses();
  }

  @Test
  void runsOverTls() {
    assertEquals(List.of("worker-0"), cluster.workers());
    assertTrue(cluster.options().tls());
  }

  @Test
  void aNodeWithoutACertificateIsRefused() {
    ClusterOptions plain = ClusterOptions.builder().discovery(addresses().toArray(new String[0]))
        .startTimeout(Duration.ofSeconds(6)).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Cluster.connect(plain).close());
    assertTrue(e.getMessage().contains("could not join"), e.getMessage());
    assertEquals(List.of("worker-0"), cluster.workers());
  }

  @Test
  void aClientWithTheWrongTrustStoreCannotConnect() {
    Certificates other = Certificates.create(dir.resolve("other"), PASSWORD, "client");
    ClusterOptions wrong = ClusterOptions.builder().discovery(addresses().toArray(new String[0]))
        .ssl(other.keyStore("client"), other.trustStore(), PASSWORD)
        .startTimeout(Duration.ofSeconds(6)).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Cluster.connect(wrong).close());
    assertTrue(e.getMessage().contains("trust store"), e.getMessage());
    assertEquals(List.of("worker-0"), cluster.workers());
  }
}
