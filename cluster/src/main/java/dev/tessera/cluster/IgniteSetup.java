package dev.tessera.cluster;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.EventType;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.ssl.SslContextFactory;

/**
 * The Ignite configuration of every Tessera node, server (a worker) or client (a program):
 * bound to one address, discovery through a fixed list of addresses, mutual TLS when asked for,
 * no REST, thin-client, SQL or JMX endpoints, no banner, Ignite's logs through SLF4J, a small
 * data region, and a work directory of its own that {@link #deleteWorkDirectory} removes.
 */
final class IgniteSetup {
  /**
   * The {@code --add-opens} flags Ignite needs on Java 17 (the list of Ignite's
   * {@code jvmdefaults.sh}); every JVM running a node needs them, the program's too.
   */
  static final List<String> ADD_OPENS = List.of(
      "java.base/jdk.internal.access", "java.base/jdk.internal.misc", "java.base/sun.nio.ch",
      "java.base/sun.util.calendar", "java.management/com.sun.jmx.mbeanserver",
      "jdk.internal.jvmstat/sun.jvmstat.monitor",
      "java.base/sun.reflect.generics.reflectiveObjects",
      "jdk.management/com.sun.management.internal", "java.base/java.io", "java.base/java.nio",
      "java.base/java.net", "java.base/java.util", "java.base/java.util.concurrent",
      "java.base/java.util.concurrent.locks", "java.base/java.util.concurrent.atomic",
      "java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.math",
      "java.sql/java.sql", "java.base/java.lang.reflect", "java.base/java.time",
      "java.base/java.text", "java.management/sun.management", "java.desktop/java.awt.font");

  private IgniteSetup() {}

  /** {@return the flags, one {@code --add-opens=module/package=ALL-UNNAMED} per entry} */
  static List<String> addOpensFlags() {
    List<String> out = new ArrayList<>();
    for (String p : ADD_OPENS) {
      out.add("--add-opens=" + p + "=ALL-UNNAMED");
    }
    return out;
  }

  /**
   * Fails with the fix when this JVM lacks the flags Ignite cannot start without (it would fail
   * later, deep inside, with an {@code InaccessibleObjectException}).
   */
  static void checkJvmFlags() {
    Module unnamed = MethodHandles.lookup().lookupClass().getClassLoader().getUnnamedModule();
    List<String> missing = new ArrayList<>();
    for (String p : List.of("java.base/java.nio", "java.base/java.util", "java.base/java.lang",
        "java.base/java.lang.invoke", "java.base/sun.nio.ch", "java.base/jdk.internal.misc")) {
      String[] mp = p.split("/");
      Module m = ModuleLayer.boot().findModule(mp[0]).orElse(null);
      if (m != null && !m.isOpen(mp[1], unnamed)) {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("Apache Ignite needs JVM flags this JVM was started"
          + " without (" + String.join(", ", missing) + " are not open): start java with "
          + String.join(" ", addOpensFlags()) + " (docs/cluster.md; the Maven surefire"
          + " argLine of the cluster module shows them)");
    }
  }

  /** Sets Ignite's system properties once per JVM, unless the user set them. */
  static void systemProperties() {
    setIfAbsent("IGNITE_QUIET", "false"); // log through the logger, never straight to stdout
    setIfAbsent("IGNITE_NO_ASCII", "true");
    setIfAbsent("IGNITE_UPDATE_NOTIFIER", "false");
    setIfAbsent("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");
    setIfAbsent("IGNITE_NO_SHUTDOWN_HOOK", "true"); // our own hooks stop the nodes in order
    setIfAbsent("IGNITE_JVM_PAUSE_DETECTOR_DISABLED", "true");
  }

  private static void setIfAbsent(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /**
   * Returns the configuration of one node.
   *
   * @param name the node's instance name, unique in this JVM
   * @param client whether it is a client node (a program) or a server (a worker)
   * @param threads how many tasks a server runs at once
   * @param workDir the node's own work directory
   */
  static IgniteConfiguration configuration(ClusterOptions o, String name, boolean client,
      int threads, Path workDir) {
    systemProperties();
    IgniteConfiguration cfg = new IgniteConfiguration();
    cfg.setIgniteInstanceName(name);
    cfg.setClientMode(client);
    cfg.setLocalHost(o.bind());
    cfg.setWorkDirectory(workDir.toAbsolutePath().toString());
    cfg.setGridLogger(new IgniteSlf4jLogger());
    cfg.setMetricsLogFrequency(0);
    cfg.setMetricExporterSpi(new org.apache.ignite.spi.metric.noop.NoopMetricExporterSpi());
    cfg.setPeerClassLoadingEnabled(false); // tasks travel as bytes; classes are Tessera's job
    cfg.setConnectorConfiguration(null); // REST
    cfg.setClientConnectorConfiguration(null); // thin clients, JDBC, ODBC
    cfg.setIncludeEventTypes(EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT,
        EventType.EVT_NODE_FAILED, EventType.EVT_CLIENT_NODE_DISCONNECTED,
        EventType.EVT_CLIENT_NODE_RECONNECTED);
    // Ignite's default answer to a critical failure (a lost cluster, a blocked system thread)
    // halts the JVM: never the program's; a worker stops its node and exits, and is replaced
    cfg.setFailureHandler(new org.apache.ignite.failure.StopNodeFailureHandler());
    cfg.setFailureDetectionTimeout(10_000);
    cfg.setClientFailureDetectionTimeout(10_000);
    int small = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    cfg.setPublicThreadPoolSize(small);
    cfg.setSystemThreadPoolSize(small);
    cfg.setServiceThreadPoolSize(2);
    cfg.setManagementThreadPoolSize(1);
    cfg.setPeerClassLoadingThreadPoolSize(1);
    cfg.setDataStreamerThreadPoolSize(1);
    cfg.setUtilityCachePoolSize(2);
    cfg.setQueryThreadPoolSize(1);
    cfg.setAsyncCallbackPoolSize(1);
    cfg.setRebalanceThreadPoolSize(1);
    cfg.setStripedPoolSize(small);
    // a small off-heap region: results live on the heap of the node that made them; the
    // region holds only the named-dataset directory
    DataStorageConfiguration ds = new DataStorageConfiguration();
    DataRegionConfiguration region = new DataRegionConfiguration();
    region.setName("tessera");
    region.setInitialSize(16L << 20);
    region.setMaxSize(64L << 20);
    ds.setDefaultDataRegionConfiguration(region);
    ds.setSystemDataRegionConfiguration(
        new org.apache.ignite.configuration.SystemDataRegionConfiguration()
            .setInitialSize(16L << 20).setMaxSize(32L << 20));
    cfg.setDataStorageConfiguration(ds);

    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(o.discoveryAddresses());
    TcpDiscoverySpi disco = new TcpDiscoverySpi();
    disco.setIpFinder(finder);
    disco.setLocalAddress(o.bind());
    disco.setLocalPort(o.discoveryPort());
    disco.setLocalPortRange(o.portRange());
    disco.setJoinTimeout(o.startTimeout().toMillis());
    disco.setReconnectDelay(250); // a worker waiting for the first one retries this often
    cfg.setDiscoverySpi(disco);

    TcpCommunicationSpi comm = new TcpCommunicationSpi();
    comm.setLocalAddress(o.bind());
    comm.setLocalPort(o.communicationPort());
    comm.setLocalPortRange(Math.max(o.portRange(), 1) * 10);
    comm.setMessageQueueLimit(4096);
    comm.setSlowClientQueueLimit(2048);
    comm.setUsePairedConnections(false);
    cfg.setCommunicationSpi(comm);

    if (o.tls()) {
      SslContextFactory ssl = new SslContextFactory();
      ssl.setKeyStoreType("PKCS12");
      ssl.setKeyStoreFilePath(o.keyStore().toAbsolutePath().toString());
      ssl.setKeyStorePassword(o.password());
      ssl.setTrustStoreType("PKCS12");
      ssl.setTrustStoreFilePath(o.trustStore().toAbsolutePath().toString());
      ssl.setTrustStorePassword(o.password());
      ssl.setProtocol("TLSv1.3");
      cfg.setSslContextFactory(ssl);
    }
    return cfg;
  }

  /** Refuses to listen beyond loopback without TLS: a cluster node runs any code it is sent. */
  static void checkExposure(ClusterOptions o, boolean allowPlain) {
    if (o.tls() || allowPlain) {
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(o.bind()).isLoopbackAddress();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot resolve the bind address " + o.bind() + ": "
          + e.getMessage(), e);
    }
    if (!loopback) {
      throw new IllegalArgumentException("binding to " + o.bind() + " makes this node"
          + " reachable from other hosts, and a node runs whatever code it is sent: turn on"
          + " mutual TLS (ssl(keyStore, trustStore, password), or --ssl-keystore/"
          + "--ssl-truststore on the worker command), or bind to 127.0.0.1");
    }
  }

  /** {@return a fresh work directory under java.io.tmpdir} */
  static Path newWorkDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a work directory under "
          + System.getProperty("java.io.tmpdir") + ": " + e, e);
    }
  }

  /** Removes a work directory and everything in it; quietly. */
  static void deleteWorkDirectory(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a file still open; the temp directory's owner cleans up
        }
      });
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
