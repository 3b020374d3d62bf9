package dev.tessera.dashboard;

import dev.tessera.graph.Tessera;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A live dashboard in the browser for every computation in this JVM, on any scheduler
 * (threads, worker JVMs): progress per layer, a task stream, the worker JVMs' CPU and memory,
 * the layer graph coloured by state, and the last computation's profile report. Pages update
 * themselves through server-sent events; every script is served from this jar.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.start()) {   // prints http://127.0.0.1:8787/
 *   x.compute();                            // watch it in the browser
 * }
 * }</pre>
 *
 * <p>It costs nothing while nobody watches: then the scheduler callbacks only count finished
 * tasks. While a page is open they store each task's start and end in a bounded per-thread
 * ring (8192 entries per thread), which the page's event stream drains; what a page shows is
 * what happened while some page was open, plus exact totals of every computation. Loopback only by default; {@link Builder#bind} serves another
 * interface, and then every URL needs the random token the printed URL carries. No endpoint
 * can change or run anything. Closing stops the server and its threads and detaches the
 * dashboard from the schedulers.
 */
public final class Dashboard implements AutoCloseable {
  /** The port {@link #start()} tries first, as Dask's dashboard: 8787. */
  public static final int DEFAULT_PORT = 8787;

  private final Server server;
  private final StatsPoller poller;
  private final Tessera.Scope attached;
  private final Path tmp;
  private final String url;
  private boolean closed; // guarded by this

  private Dashboard(Builder b) throws IOException {
    Rings rings = new Rings();
    Runs runs = new Runs();
    Transfers transfers = new Transfers();
    this.tmp = Path.of(System.getProperty("java.io.tmpdir"),
        "tessera-dashboard-" + HexFormat.of().formatHex(random(6)));
    InetAddress address = b.host == null ? InetAddress.getLoopbackAddress()
        : InetAddress.getByName(b.host);
    String token = address.isLoopbackAddress() && !b.token ? null
        : HexFormat.of().formatHex(random(24));
    StatsPoller poller = new StatsPoller(b.stats);
    State state = new State(rings, runs, System.nanoTime(), poller, transfers);
    Server s;
    try {
      s = serve(b, address, token, rings, state);
    } catch (IOException | RuntimeException e) {
      poller.close();
      throw e;
    }
    this.server = s;
    this.poller = poller;
    String host = address.isLoopbackAddress() ? "127.0.0.1"
        : address.isAnyLocalAddress() ? InetAddress.getLocalHost().getHostName()
        : address.getHostAddress();
    this.url = "http://" + host + ":" + server.port() + "/" + (token == null ? ""
        : "?token=" + token);
    this.attached = new Feed(rings, runs, transfers).attach();
    if (b.out != null) {
      b.out.println("Tessera dashboard: " + url);
    }
  }

  private Server serve(Builder b, InetAddress address, String token, Rings rings, State state)
      throws IOException {
    Server s;
    try {
      s = new Server(new InetSocketAddress(address, b.port), token, rings, state,
          new GraphView(tmp),
          tmp, b.interval.toMillis());
    } catch (BindException e) {
      if (!b.fallback) {
        throw new UncheckedIOException("cannot serve the dashboard on " + address.getHostAddress()
            + ":" + b.port + ": " + e.getMessage() + "; choose another port, or 0 for a free"
            + " one", e);
      }
      s = new Server(new InetSocketAddress(address, 0), token, rings, state, new GraphView(tmp),
          tmp,
          b.interval.toMillis());
    }
    return s;
  }

  /**
   * Starts a dashboard on loopback port {@link #DEFAULT_PORT} (a free port if that one is
   * taken), prints its URL on standard output and attaches it to every computation of this
   * JVM until closed.
   *
   * @return the dashboard, for try-with-resources
   * @throws UncheckedIOException if no port can be opened
   */
  public static Dashboard start() {
    return builder().start();
  }

  /**
   * Like {@link #start()}, on loopback port {@code port} exactly.
   *
   * @param port the port, or 0 for a free one
   * @return the dashboard
   * @throws UncheckedIOException if the port is taken
   */
  public static Dashboard start(int port) {
    return builder().port(port).start();
  }

  /** {@return a builder, for another interface, a quiet start or a different update rate} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the URL to open, with its token when it serves more than loopback} */
  public String url() {
    return url;
  }

  /** {@return the port it listens on} */
  public int port() {
    return server.port();
  }

  /** Detaches from the schedulers, stops the server and its threads; twice does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    attached.close();
    server.close();
    poller.close();
    if (Files.isDirectory(tmp)) {
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // temp files left behind
      }
    }
  }

  @Override
  public String toString() {
    return "Dashboard(" + url + ")";
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** Options of a dashboard; {@link #start()} starts it. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private boolean fallback = true;
    private String host;
    private PrintStream out = System.out;
    private Duration interval = Duration.ofMillis(250);
    private boolean token;
    private StatsPoller.Source stats = StatsPoller.EVERYWHERE;

    private Builder() {}

    /** Asks {@code source} for the workers' own figures: for tests (a worker that hangs). */
    Builder stats(StatsPoller.Source source) {
      this.stats = source;
      return this;
    }

    /** Requires the token on loopback too: for tests, which must not bind other interfaces. */
    Builder requireToken() {
      this.token = true;
      return this;
    }

    /**
     * Listens on {@code port} exactly (0: a free one) instead of {@link #DEFAULT_PORT} or a
     * free port.
     *
     * @param port from 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not a TCP port (0 to 65535;"
            + " 0 picks a free one)");
      }
      this.port = port;
      this.fallback = false;
      return this;
    }

    /**
     * Serves on the interface {@code host} ({@code "0.0.0.0"} for all) instead of loopback.
     * Anyone who can reach it then sees the keys of your tasks, so every URL needs a random
     * token, printed with the URL; prefer an SSH tunnel to loopback where you can.
     *
     * @param host an address or host name of this machine
     * @return this builder
     * @throws IllegalArgumentException if the name does not resolve
     */
    public Builder bind(String host) {
      Objects.requireNonNull(host, "host");
      try {
        InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cannot serve the dashboard on " + host + ": the"
            + " name does not resolve; give an address of this machine such as 0.0.0.0", e);
      }
      this.host = host;
      return this;
    }

    /**
     * Prints the URL on {@code out} at start ({@link System#out} by default).
     *
     * @param out where to print
     * @return this builder
     */
    public Builder print(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /**
     * Prints nothing at start; {@link Dashboard#url()} gives the URL.
     *
     * @return this builder
     */
    public Builder quiet() {
      this.out = null;
      return this;
    }

    /**
     * Sends open pages an update every {@code interval} (250 ms by default).
     *
     * @param interval from 50 ms to 10 s
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval.toMillis() < 50 || interval.toMillis() > 10_000) {
        throw new IllegalArgumentException("the update interval must be from 50 ms to 10 s,"
            + " got " + interval);
      }
      this.interval = interval;
      return this;
    }

    /**
     * Starts the dashboard and attaches it to every computation of this JVM.
     *
     * @return the dashboard, for try-with-resources
     * @throws UncheckedIOException if the port cannot be opened
     */
    public Dashboard start() {
      try {
        return new Dashboard(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the dashboard: " + e.getMessage(), e);
      }
    }
  }
}
