package dev.tessera.cluster;

import dev.tessera.schedulers.engine.NativeThreads;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The worker JVMs {@link Cluster#local} starts on this machine: each a {@link Worker} on
 * loopback with ports of its own (so that two local clusters never meet), this JVM's class
 * path and flags, its output relayed to ours prefixed {@code [worker-N]}; each exits when this
 * JVM does.
 */
final class LocalWorkers {
  private final List<Process> processes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<Thread> relays = new ArrayList<>();
  private final List<Deque<String>> tails = new ArrayList<>();
  private final CountDownLatch joined;
  /** The discovery address of every worker started first, for the client node. */
  final List<String> discovery = new ArrayList<>();
  /** The discovery address of each process, in {@link #processes} order. */
  private final List<String> addresses = new ArrayList<>();
  private ClusterOptions base;
  private int nextIndex;
  /** Processes that printed their joined line: only these are replaced when they exit. */
  private final java.util.Set<Process> joinedProcesses = ConcurrentHashMap.newKeySet();
  private int replacements;
  private volatile boolean watching;
  private volatile boolean stopping;

  private LocalWorkers(int n) {
    this.joined = new CountDownLatch(n);
  }

  /** Starts the workers; returns at once (see {@link #awaitJoined}). */
  static LocalWorkers start(ClusterOptions o) {
    int n = o.workers();
    int[] ports = freePorts(2 * n);
    LocalWorkers lw = new LocalWorkers(n);
    lw.base = o;
    lw.nextIndex = n;
    for (int i = 0; i < n; i++) {
      lw.discovery.add(o.bind() + ":" + ports[i]);
    }
    // every worker looks for the first one only: the first starts the cluster (its own address
    // is its only discovery address), the others wait for it, so that workers starting at the
    // same moment never form two clusters
    ClusterOptions.Builder wb = ClusterOptions.builder().bind(o.bind())
        .discovery(lw.discovery.get(0)).threads(o.threads()).portRange(0);
    if (o.tls()) {
      wb.ssl(o.keyStore(), o.trustStore(), o.password());
    }
    try {
      for (int i = 0; i < n; i++) {
        ClusterOptions wo = wb.communicationPort(ports[n + i]).build();
        lw.launch(o, i, lw.discovery.get(i), Worker.Settings.arguments(wo, "worker-" + i,
            ports[i], ProcessHandle.current().pid()));
      }
    } catch (RuntimeException e) {
      lw.close();
      throw e;
    }
    return lw;
  }

  /** Told the discovery address of each replacement before it starts (the program's node adds
   * it to its own list, to find the cluster again if every older worker is gone). */
  private volatile Consumer<String> onNewAddress;

  /** From now on, a worker that exits is replaced by a new one, as the worker-JVM pool does. */
  void watch(Consumer<String> onNewAddress) {
    this.onNewAddress = onNewAddress;
    watching = true;
    for (Process p : processes()) {
      p.onExit().thenRun(() -> replace(p));
    }
  }

  void stopWatching() {
    stopping = true;
  }

  /** Held for the whole of one replacement: deaths at the same moment are replaced in turn,
   * each once the replacement before it has joined. */
  private final Object replacing = new Object();

  private void replace(Process dead) {
    // a worker that never joined is not replaced (its replacement would fail the same way),
    // and a task that kills every worker it meets cannot make this loop for ever
    if (!watching || stopping || !joinedProcesses.contains(dead)) {
      return;
    }
    synchronized (replacing) {
      try {
        replaceInTurn(dead);
      } catch (RuntimeException | Error e) {
        // this runs in an exit callback, where nobody would see the exception
        System.err.println("tessera: could not replace a worker that exited: " + e);
      }
    }
  }

  private void replaceInTurn(Process dead) {
    awaitStarting(dead);
    List<String> others = new ArrayList<>();
    int index;
    synchronized (this) {
      if (stopping) {
        return;
      }
      if (replacements >= 4 * base.workers() + 4) {
        System.err.println("tessera: " + replacements + " local workers were replaced already;"
            + " no more are started (close the cluster and start a new one)");
        return;
      }
      replacements++;
      for (int i = 0; i < processes.size(); i++) {
        Process q = processes.get(i);
        if (q != dead && q.isAlive()) {
          others.add(addresses.get(i));
        }
      }
      index = nextIndex++;
    }
    int[] ports = freePorts(2);
    String own = base.bind() + ":" + ports[0];
    // its own address too: if none of the others answers (they died as well, or are dying, as
    // when every worker is killed at once) this one starts the cluster again and the program's
    // node reconnects to it. No other worker is starting now (awaitStarting), so two
    // replacements never both find nobody and form two clusters
    others.add(own);
    Consumer<String> tell = onNewAddress;
    if (tell != null) {
      tell.accept(own);
    }
    ClusterOptions.Builder wb = ClusterOptions.builder().bind(base.bind())
        .discovery(others.toArray(new String[0])).threads(base.threads()).portRange(0)
        .communicationPort(ports[1]);
    if (base.tls()) {
      wb.ssl(base.keyStore(), base.trustStore(), base.password());
    }
    Process p = launch(base, index, own, Worker.Settings.arguments(
        wb.build(), "worker-" + index, ports[0], ProcessHandle.current().pid()));
    p.onExit().thenRun(() -> replace(p));
  }

  /**
   * Waits (up to the start timeout) until no other worker is still starting: a replacement
   * launched beside another one that has not bound its port yet would find nobody there and
   * start a second cluster.
   */
  private void awaitStarting(Process dead) {
    long deadline = System.nanoTime() + base.startTimeout().toNanos();
    while (!stopping && System.nanoTime() < deadline) {
      boolean starting = false;
      synchronized (this) {
        for (Process q : processes) {
          starting |= q != dead && q.isAlive() && !joinedProcesses.contains(q);
        }
      }
      if (!starting) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Process launch(ClusterOptions o, int index, String address, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp")
          || a.startsWith("-javaagent") || (o.heap() != null && a.startsWith("-Xmx"))) {
        continue;
      }
      cmd.add(a);
    }
    cmd.addAll(IgniteSetup.addOpensFlags());
    if (o.heap() != null) {
      cmd.add("-Xmx" + o.heap());
    }
    cmd.addAll(o.jvmArgs());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Worker.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // the local workers share this machine's cores: each gets its share for native threads
    pb.environment().putAll(NativeThreads.forWorkers(o.workers(), System.getenv()));
    if (o.tls()) {
      pb.environment().put("TESSERA_SSL_PASSWORD", new String(o.password()));
    }
    String name = "worker-" + index;
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the JVM of " + name + ": " + e, e);
    }
    Deque<String> tail = new ArrayDeque<>();
    synchronized (this) {
      processes.add(p);
      names.add(name);
      tails.add(tail);
      addresses.add(address);
    }
    relay(p, p.getInputStream(), System.out, index, tail, true);
    relay(p, p.getErrorStream(), System.err, index, tail, false);
    return p;
  }

  private void relay(Process p, InputStream from, PrintStream to, int index, Deque<String> tail,
      boolean stdout) {
    String prefix = "[worker-" + index + "] ";
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(from,
          StandardCharsets.UTF_8))) {
        String line;
        boolean seenJoin = false;
        while ((line = r.readLine()) != null) {
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 20) {
              tail.removeFirst();
            }
          }
          if (stdout && !seenJoin && line.startsWith("tessera worker ")
              && line.contains(" joined: ")) {
            seenJoin = true;
            joinedProcesses.add(p);
            joined.countDown();
            continue; // the program logs its own line per worker that joins
          }
          if (stdout && line.startsWith("tessera worker ") && line.endsWith(" stopped")) {
            continue;
          }
          to.println(prefix + line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "tessera-cluster-worker-" + index + (stdout ? "-stdout" : "-stderr"));
    t.setDaemon(true);
    t.start();
    synchronized (this) {
      relays.add(t);
    }
  }

  /**
   * Waits until every worker printed its joined line.
   *
   * @throws IllegalStateException if one exited first or the time ran out, with its last lines
   */
  void awaitJoined(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!joined.await(100, TimeUnit.MILLISECONDS)) {
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (!p.isAlive()) {
          p.waitFor(1, TimeUnit.SECONDS);
          throw new IllegalStateException(names.get(i) + " exited with status " + p.exitValue()
              + " before joining the cluster; its last lines:\n  " + tail(i));
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the local workers did not all join within "
            + timeoutMillis / 1000 + " s; the last lines of worker-0:\n  " + tail(0));
      }
    }
  }

  private String tail(int i) {
    Deque<String> t = tails.get(i);
    synchronized (t) {
      return String.join("\n  ", t);
    }
  }

  /** {@return the live processes, in worker order} */
  synchronized List<Process> processes() {
    return List.copyOf(processes);
  }

  /** Stops every worker (SIGTERM, then SIGKILL after 10 s) and waits for their output. */
  void close() {
    stopping = true;
    List<Process> all;
    synchronized (this) {
      all = List.copyOf(processes);
    }
    for (Process p : all) {
      p.toHandle().destroy(); // SIGTERM; the output keeps flowing until the worker exits
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    List<Thread> ts;
    synchronized (this) {
      ts = List.copyOf(relays);
    }
    for (Thread t : ts) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** {@return n ports free on loopback right now, all different} */
  static int[] freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        out[i] = s.getLocalPort();
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("no free port on loopback: " + e, e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // nothing to do
        }
      }
    }
  }
}
