package dev.tessera.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * A Tessera worker: one Ignite server node that runs the tasks programs send it and keeps
 * their results in its memory. Start one per machine (or per core group) with
 * {@code cluster/bin/tessera-worker}, or
 * {@code java --add-opens=... -cp <classes> dev.tessera.cluster.Worker [options]}:
 *
 * <pre>
 *   --bind ADDR             address to bind and be reached at (default 127.0.0.1; under
 *                           SLURM the node's name)
 *   --discovery LIST        comma-separated host:port or host:from..to (default: the first
 *                           3 hosts of the SLURM/PBS allocation, else bind:47500..47509)
 *   --port N                first discovery port (default 47500)
 *   --comm-port N           first communication port (default 47100)
 *   --port-range N          ports tried after the first ones (default 10)
 *   --threads N             tasks run at once (default SLURM_CPUS_PER_TASK or NCPUS, else
 *                           the cores)
 *   --name NAME             the worker's name in logs (default worker-RANK or worker-PID)
 *   --ssl-keystore FILE     this node's PKCS#12 key store (turns on mutual TLS)
 *   --ssl-truststore FILE   the PKCS#12 trust store with the certificate authority
 *   --ssl-password-file F   the stores' password, in a file (or env TESSERA_SSL_PASSWORD)
 *   --no-tls                allow a non-loopback bind without TLS (a trusted, closed network)
 *   --parent-pid PID        exit when that process exits (Cluster.local uses it)
 * </pre>
 *
 * It prints one line when it has joined, one per node joined or left, and exits cleanly (its
 * node stopped, its work directory removed, status 0) on SIGTERM or SIGINT; with status 3 when
 * Ignite stops its node by itself (a critical failure, a lost cluster), so that it is replaced.
 */
public final class Worker {
  private Worker() {}

  /**
   * Starts a worker and blocks until the JVM is told to stop.
   *
   * @param args the options above
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    java.util.Objects.requireNonNull(args, "args");
    Settings s;
    try {
      s = Settings.parse(Arrays.asList(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tessera-worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    IgniteSetup.checkJvmFlags();
    IgniteSetup.checkExposure(s.options, s.allowPlain);
    Path work = IgniteSetup.newWorkDirectory("tessera-worker-");
    IgniteConfiguration cfg = IgniteSetup.configuration(s.options, s.name, false,
        s.options.threads(), work);
    Map<String, Object> attrs = new HashMap<>();
    attrs.put(Topology.NAME, s.name);
    attrs.put(Topology.THREADS, s.options.threads());
    attrs.put(Topology.PID, ProcessHandle.current().pid());
    cfg.setUserAttributes(attrs);
    CountDownLatch stop = new CountDownLatch(1);
    Ignite ignite;
    try {
      ignite = Ignition.start(cfg);
    } catch (RuntimeException e) {
      IgniteSetup.deleteWorkDirectory(work);
      System.err.println("tessera-worker " + s.name + ": could not join the cluster at "
          + s.options.discoveryAddresses() + ": " + rootMessage(e));
      System.exit(1);
      return;
    }
    WorkerNode node = WorkerNode.install(ignite, s.options.threads());
    java.util.concurrent.atomic.AtomicBoolean stopping =
        new java.util.concurrent.atomic.AtomicBoolean();
    // a node Ignite stopped by itself (its failure handler, a segmentation) leaves a JVM that
    // serves nothing: exit, so that whoever started this worker sees it and replaces it
    Ignition.addListener((name, state) -> {
      if (s.name.equals(name) && state != org.apache.ignite.IgniteState.STARTED
          && !stopping.get()) {
        System.err.println("tessera-worker " + s.name + ": its Ignite node stopped (" + state
            + "); exiting");
        IgniteSetup.deleteWorkDirectory(work);
        Runtime.getRuntime().halt(3);
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      node.close();
      Ignition.stop(s.name, true);
      IgniteSetup.deleteWorkDirectory(work);
      System.out.println("tessera worker " + s.name + " stopped");
      System.out.flush();
      stop.countDown();
      Runtime.getRuntime().halt(0); // a requested stop is a clean exit, not status 143
    }, "tessera-worker-stop"));
    Topology.listen(ignite, line -> System.out.println(line), null);
    System.out.println("tessera worker " + s.name + " joined: node "
        + ignite.cluster().localNode().id().toString().substring(0, 8) + " at "
        + s.options.bind() + ", " + s.options.threads() + " thread"
        + (s.options.threads() == 1 ? "" : "s") + ", "
        + Topology.workers(ignite).size() + " workers in the cluster"
        + (s.options.tls() ? ", mutual TLS" : ""));
    System.out.flush();
    if (s.parentPid > 0) {
      watchParent(s.parentPid);
    }
    stop.await();
  }

  /** Exits (through the shutdown hook) when the process that started this one is gone. */
  private static void watchParent(long pid) {
    Thread t = new Thread(() -> {
      java.util.Optional<ProcessHandle> parent = ProcessHandle.of(pid);
      while (parent.isPresent() && parent.get().isAlive()) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
      System.exit(0);
    }, "tessera-worker-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + c + ")";
  }

  /** The parsed command line, with defaults from the environment. */
  static final class Settings {
    final ClusterOptions options;
    final String name;
    final boolean allowPlain;
    final long parentPid;

    private Settings(ClusterOptions options, String name, boolean allowPlain, long parentPid) {
      this.options = options;
      this.name = name;
      this.allowPlain = allowPlain;
      this.parentPid = parentPid;
    }

    static Settings parse(List<String> args, Map<String, String> env) {
      Map<String, String> opt = new HashMap<>();
      boolean allowPlain = false;
      List<String> known = List.of("--bind", "--discovery", "--port", "--comm-port",
          "--port-range", "--threads", "--name", "--ssl-keystore", "--ssl-truststore",
          "--ssl-password-file", "--parent-pid");
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--no-tls")) {
          allowPlain = true;
          continue;
        }
        String value = null;
        if (a.contains("=") && a.startsWith("--")) {
          value = a.substring(a.indexOf('=') + 1);
          a = a.substring(0, a.indexOf('='));
        }
        if (!known.contains(a)) {
          throw new IllegalArgumentException("unknown option " + a + " (options: " + known
              + ", --no-tls)");
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          value = args.get(++i);
        }
        opt.put(a, value);
      }
      HpcEnvironment hpc = HpcEnvironment.of(env);
      ClusterOptions.Builder b = ClusterOptions.builder();
      String bind = opt.getOrDefault("--bind", hpc.self() != null ? hpc.self() : "127.0.0.1");
      b.bind(bind);
      int port = intOpt(opt, "--port", ClusterOptions.DISCOVERY_PORT);
      int range = intOpt(opt, "--port-range", 10);
      b.discoveryPort(port).portRange(range)
          .communicationPort(intOpt(opt, "--comm-port", ClusterOptions.COMMUNICATION_PORT));
      if (opt.containsKey("--discovery")) {
        b.discovery(opt.get("--discovery").split(","));
      } else if (!hpc.hosts().isEmpty()) {
        b.discovery(hpc.discovery(port, range).toArray(new String[0]));
      }
      int threads = intOpt(opt, "--threads",
          hpc.cpus() > 0 ? hpc.cpus() : Runtime.getRuntime().availableProcessors());
      b.threads(threads);
      if (opt.containsKey("--ssl-keystore") || opt.containsKey("--ssl-truststore")) {
        if (!opt.containsKey("--ssl-keystore") || !opt.containsKey("--ssl-truststore")) {
          throw new IllegalArgumentException("mutual TLS needs both --ssl-keystore and"
              + " --ssl-truststore");
        }
        b.ssl(Path.of(opt.get("--ssl-keystore")), Path.of(opt.get("--ssl-truststore")),
            password(opt, env));
      }
      String name = opt.getOrDefault("--name", hpc.rank() >= 0 ? "worker-" + hpc.rank()
          : "worker-" + ProcessHandle.current().pid());
      return new Settings(b.build(), name, allowPlain, intOpt(opt, "--parent-pid", -1));
    }

    private static char[] password(Map<String, String> opt, Map<String, String> env) {
      if (opt.containsKey("--ssl-password-file")) {
        try {
          return java.nio.file.Files.readString(Path.of(opt.get("--ssl-password-file")))
              .strip().toCharArray();
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("cannot read --ssl-password-file "
              + opt.get("--ssl-password-file") + ": " + e.getMessage());
        }
      }
      String p = env.get("TESSERA_SSL_PASSWORD");
      if (p == null) {
        throw new IllegalArgumentException("TLS needs the stores' password: give"
            + " --ssl-password-file FILE or set TESSERA_SSL_PASSWORD");
      }
      return p.toCharArray();
    }

    private static int intOpt(Map<String, String> opt, String name, int fallback) {
      String v = opt.get(name);
      if (v == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a number, got " + v);
      }
    }

    /** {@return the command-line arguments that give these settings (for local workers)} */
    static List<String> arguments(ClusterOptions o, String name, int port, long parentPid) {
      List<String> out = new ArrayList<>(List.of("--bind", o.bind(), "--discovery",
          String.join(",", o.discoveryAddresses()), "--port", Integer.toString(port),
          "--port-range", "0", "--comm-port", Integer.toString(o.communicationPort()),
          "--threads", Integer.toString(o.threads()), "--name", name,
          "--parent-pid", Long.toString(parentPid)));
      if (o.tls()) {
        out.addAll(List.of("--ssl-keystore", o.keyStore().toAbsolutePath().toString(),
            "--ssl-truststore", o.trustStore().toAbsolutePath().toString()));
      }
      return out;
    }
  }
}
