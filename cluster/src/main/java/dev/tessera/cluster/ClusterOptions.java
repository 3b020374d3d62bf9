package dev.tessera.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link Cluster} and of its worker nodes; immutable, made with
 * {@link #builder()}. The defaults keep everything on loopback: bind {@code 127.0.0.1},
 * discovery on {@code 127.0.0.1:47500..47509}, no TLS.
 *
 * <pre>{@code
 * Cluster c = Cluster.connect(ClusterOptions.builder()
 *     .discovery("node01:47500..47509", "node02:47500..47509")
 *     .bind("10.1.0.7")
 *     .ssl(Path.of("client.p12"), Path.of("trust.p12"), password)
 *     .build());
 * }</pre>
 */
public final class ClusterOptions {
  /** The first discovery port Ignite uses unless told otherwise. */
  public static final int DISCOVERY_PORT = 47500;
  /** The first communication port Ignite uses unless told otherwise. */
  public static final int COMMUNICATION_PORT = 47100;

  private final String bind;
  private final List<String> discovery;
  private final int discoveryPort;
  private final int portRange;
  private final int communicationPort;
  private final int workers;
  private final int threads;
  private final String heap;
  private final List<String> jvmArgs;
  private final Path keyStore;
  private final Path trustStore;
  private final char[] password;
  private final Duration startTimeout;
  private final int maxDeaths;

  private ClusterOptions(Builder b) {
    this.bind = b.bind;
    this.discovery = List.copyOf(b.discovery);
    this.discoveryPort = b.discoveryPort;
    this.portRange = b.portRange;
    this.communicationPort = b.communicationPort;
    this.workers = b.workers;
    this.threads = b.threads;
    this.heap = b.heap;
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.keyStore = b.keyStore;
    this.trustStore = b.trustStore;
    this.password = b.password == null ? null : b.password.clone();
    this.startTimeout = b.startTimeout;
    this.maxDeaths = b.maxDeaths;
  }

  /** {@return a builder with the defaults (loopback, no TLS, 2 local workers of 1 thread)} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the default options} */
  public static ClusterOptions defaults() {
    return builder().build();
  }

  /** {@return the address the nodes of this JVM bind to} */
  public String bind() {
    return bind;
  }

  /**
   * {@return the discovery addresses, {@code host:port} or {@code host:from..to}; empty means
   * {@code bind:discoveryPort..discoveryPort+portRange-1}}
   */
  public List<String> discovery() {
    return discovery;
  }

  /** {@return the first discovery port a server node tries} */
  public int discoveryPort() {
    return discoveryPort;
  }

  /** {@return how many ports after the first a node tries, for discovery and communication} */
  public int portRange() {
    return portRange;
  }

  /** {@return the first communication port a node tries} */
  public int communicationPort() {
    return communicationPort;
  }

  /** {@return how many worker JVMs {@link Cluster#local(ClusterOptions)} starts} */
  public int workers() {
    return workers;
  }

  /** {@return how many tasks a worker runs at once} */
  public int threads() {
    return threads;
  }

  /** {@return the heap of each local worker JVM, as for {@code -Xmx}, or null for the JVM's default} */
  public String heap() {
    return heap;
  }

  /** {@return extra JVM flags for local worker JVMs} */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** {@return whether nodes talk over mutual TLS} */
  public boolean tls() {
    return keyStore != null;
  }

  /** {@return this node's PKCS#12 key store (its certificate and key), or null without TLS} */
  public Path keyStore() {
    return keyStore;
  }

  /** {@return the PKCS#12 trust store holding the certificate authority, or null without TLS} */
  public Path trustStore() {
    return trustStore;
  }

  /** {@return a copy of the stores' password, or null without TLS} */
  char[] password() {
    return password == null ? null : password.clone();
  }

  /** {@return how long a node may take to join} */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** {@return how many worker deaths while running one task fail the computation} */
  public int maxDeaths() {
    return maxDeaths;
  }

  /** Discovery addresses to use: the given ones, or the local range. */
  List<String> discoveryAddresses() {
    if (!discovery.isEmpty()) {
      return discovery;
    }
    return List.of(bind + ":" + discoveryPort + ".." + (discoveryPort + Math.max(0, portRange - 1)));
  }

  /** Builds {@link ClusterOptions}. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private final List<String> discovery = new ArrayList<>();
    private int discoveryPort = DISCOVERY_PORT;
    private int portRange = 10;
    private int communicationPort = COMMUNICATION_PORT;
    private int workers = 2;
    private int threads = 1;
    private String heap;
    private final List<String> jvmArgs = new ArrayList<>();
    private Path keyStore;
    private Path trustStore;
    private char[] password;
    private Duration startTimeout = Duration.ofSeconds(60);
    private int maxDeaths = 3;

    private Builder() {}

    /**
     * Sets the address to bind and to be reached at (default {@code 127.0.0.1}). Anything
     * other than loopback needs {@link #ssl TLS}.
     *
     * @param address an IP address or host name of this machine
     * @return this builder
     */
    public Builder bind(String address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets where to find the cluster: {@code host:port} or {@code host:from..to} entries, such
     * as {@code "node01:47500..47509"}.
     *
     * @param addresses the discovery addresses
     * @return this builder
     */
    public Builder discovery(String... addresses) {
      Objects.requireNonNull(addresses, "addresses");
      for (String a : addresses) {
        discovery.add(Objects.requireNonNull(a, "addresses element"));
      }
      return this;
    }

    /**
     * Sets the first discovery port (default 47500).
     *
     * @param port the port
     * @return this builder
     */
    public Builder discoveryPort(int port) {
      this.discoveryPort = checkPort(port);
      return this;
    }

    /**
     * Sets the first communication port (default 47100).
     *
     * @param port the port
     * @return this builder
     */
    public Builder communicationPort(int port) {
      this.communicationPort = checkPort(port);
      return this;
    }

    /**
     * Sets how many ports after the first ones a node may try (default 10).
     *
     * @param range 0 for exactly the first port
     * @return this builder
     */
    public Builder portRange(int range) {
      if (range < 0 || range > 1000) {
        throw new IllegalArgumentException("portRange must be in [0, 1000], got " + range);
      }
      this.portRange = range;
      return this;
    }

    /**
     * Sets how many worker JVMs {@link Cluster#local(ClusterOptions)} starts (default 2).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder workers(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("workers must be at least 1, got " + n);
      }
      this.workers = n;
      return this;
    }

    /**
     * Sets how many tasks each local worker runs at once (default 1).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + n);
      }
      this.threads = n;
      return this;
    }

    /**
     * Sets the heap of each local worker JVM, as for {@code -Xmx} (such as {@code "1g"}).
     *
     * @param size the size
     * @return this builder
     */
    public Builder heap(String size) {
      Objects.requireNonNull(size, "size");
      if (!size.matches("[0-9]+[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must look like 512m or 2g, got " + size);
      }
      this.heap = size;
      return this;
    }

    /**
     * Adds JVM flags for local worker JVMs.
     *
     * @param args the flags
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      Objects.requireNonNull(args, "args");
      for (String a : args) {
        jvmArgs.add(Objects.requireNonNull(a, "args element"));
      }
      return this;
    }

    /**
     * Turns on mutual TLS: this node shows the certificate in {@code keyStore} and accepts only
     * nodes whose certificate the authority in {@code trustStore} signed. Both are PKCS#12
     * files ({@link Certificates#create} makes a set).
     *
     * @param keyStore this node's key and certificate
     * @param trustStore the certificate authority
     * @param password the password of both stores
     * @return this builder
     */
    public Builder ssl(Path keyStore, Path trustStore, char[] password) {
      this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Sets how long a node may take to start and join (default 60 s).
     *
     * @param timeout the time
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Sets how many worker deaths while running the same task fail the computation (default 3).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxDeaths(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxDeaths must be at least 1, got " + n);
      }
      this.maxDeaths = n;
      return this;
    }

    /** {@return the options} */
    public ClusterOptions build() {
      return new ClusterOptions(this);
    }

    private static int checkPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
      }
      return port;
    }
  }
}
