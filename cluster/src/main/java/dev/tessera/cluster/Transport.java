package dev.tessera.cluster;

import dev.tessera.schedulers.WireCodecs;
import dev.tessera.schedulers.engine.Engine;
import dev.tessera.schedulers.engine.WorkerDiedException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.lang.IgnitePredicate;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * The program's side of the cluster transport: one {@link NodeEndpoint} per worker node, joined
 * to the {@link Engine} when the node joins the cluster (also later: workers may come and go)
 * and reported dead exactly once when it leaves or cannot be reached; the workers' answers,
 * read on Ignite's threads, become engine events.
 */
final class Transport implements AutoCloseable {
  private final Ignite ignite;
  private final Engine engine;
  private final WireCodecs codecs;
  private final Outbox.Sender sender = new Outbox.Sender("tessera-cluster-sender");
  private final Map<UUID, NodeEndpoint> endpoints = new ConcurrentHashMap<>();
  private final Map<NodeEndpoint, Queue<CompletableFuture<Integer>>> counts =
      new ConcurrentHashMap<>();
  private final IgniteBiPredicate<UUID, byte[]> listener = this::receive;
  private final IgnitePredicate<DiscoveryEvent> topology;
  private final IgnitePredicate<org.apache.ignite.events.Event> disconnects;
  private final org.apache.ignite.IgnitionListener stops;
  /** Bytes received from workers so far. */
  final AtomicLong bytesReceived = new AtomicLong();

  /** The engines, once the program asked for them ({@link Cluster#engines()}); else null. */
  private volatile ClusterEngines engines;
  private volatile Runnable workersChanged = () -> { };

  /** How long computations wait for a worker when none is left. */
  private final java.time.Duration waitForWorkers;
  private final Liveness liveness;

  Transport(Ignite ignite, Engine engine, WireCodecs codecs, java.time.Duration waitForWorkers) {
    this.waitForWorkers = waitForWorkers;
    this.ignite = ignite;
    this.engine = engine;
    this.codecs = codecs;
    ignite.message().localListen(Wire.TO_CLIENT, listener);
    topology = e -> {
      ClusterNode n = e.eventNode();
      if (e.type() == EventType.EVT_NODE_JOINED) {
        add(n);
      } else {
        NodeEndpoint w = endpoints.get(n.id());
        if (w != null) {
          lost(w, e.type() == EventType.EVT_NODE_LEFT ? "left the cluster"
              : "failed (its node stopped answering)");
        }
      }
      return true;
    };
    ignite.events().localListen(topology, EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT,
        EventType.EVT_NODE_FAILED);
    // the program's own node lost the cluster: every worker is gone for it (the engine fails
    // or recovers what runs); after a reconnect the workers join again as new endpoints
    disconnects = e -> {
      if (e.type() == EventType.EVT_CLIENT_NODE_DISCONNECTED) {
        loseAll("is unreachable: this program lost its connection to the cluster");
      } else {
        for (ClusterNode n : Topology.workers(ignite)) {
          add(n);
        }
      }
      return true;
    };
    ignite.events().localListen(disconnects, EventType.EVT_CLIENT_NODE_DISCONNECTED,
        EventType.EVT_CLIENT_NODE_RECONNECTED);
    String name = ignite.name();
    stops = (n, state) -> {
      if (java.util.Objects.equals(n, name) && state != org.apache.ignite.IgniteState.STARTED) {
        loseAll("is unreachable: this program's cluster node stopped (" + state + ")");
      }
    };
    org.apache.ignite.Ignition.addListener(stops);
    for (ClusterNode n : Topology.workers(ignite)) {
      add(n);
    }
    liveness = new Liveness(this);
  }

  private void loseAll(String why) {
    for (NodeEndpoint w : List.copyOf(endpoints.values())) {
      lost(w, why);
    }
  }

  private void add(ClusterNode n) {
    if (n.isClient() || n.attribute(Topology.NAME) == null) {
      return;
    }
    learnAddress(n);
    NodeEndpoint w = new NodeEndpoint(ignite, n, sender, this);
    NodeEndpoint old = endpoints.get(n.id());
    if (old != null && !old.alive()) {
      endpoints.remove(n.id(), old);
    }
    if (endpoints.putIfAbsent(n.id(), w) == null) {
      engine.join(w);
      workersChanged.run();
    }
  }

  /**
   * Adds a worker's discovery address to this node's list, so that the program can reconnect
   * through workers that joined after it (replacements, workers added later) when the ones it
   * was told about are gone.
   */
  private void learnAddress(ClusterNode n) {
    if (n instanceof org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode t
        && ignite.configuration().getDiscoverySpi()
            instanceof org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi spi
        && spi.getIpFinder() instanceof TcpDiscoveryVmIpFinder finder) {
      List<java.net.InetSocketAddress> addrs = new ArrayList<>();
      for (java.net.InetSocketAddress a : t.socketAddresses()) {
        addrs.add(new java.net.InetSocketAddress(a.getAddress(), t.discoveryPort()));
      }
      finder.registerAddresses(addrs);
    }
  }

  /** Adds a {@code host:port} discovery address to this node's list. */
  void learnAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (ignite.configuration().getDiscoverySpi()
            instanceof org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi spi
        && spi.getIpFinder() instanceof TcpDiscoveryVmIpFinder finder) {
      finder.registerAddresses(List.of(new java.net.InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))));
    }
  }

  /** From now on, {@code r} runs (and must return at once) after each join and death. */
  void onWorkersChanged(Runnable r) {
    workersChanged = r;
  }

  /** From now on, engine answers and deaths go to {@code e}. */
  void engines(ClusterEngines e) {
    engines = e;
  }

  /** {@return the live workers now, in no particular order} */
  List<NodeEndpoint> live() {
    List<NodeEndpoint> out = new ArrayList<>();
    for (NodeEndpoint w : endpoints.values()) {
      if (w.alive()) {
        out.add(w);
      }
    }
    return out;
  }

  /** A worker is gone: the engine hears it once. */
  void lost(NodeEndpoint w, String why) {
    if (!w.markDead()) {
      return;
    }
    endpoints.remove(w.node.id(), w);
    Queue<CompletableFuture<Integer>> q = counts.remove(w);
    if (q != null) {
      q.forEach(f -> f.completeExceptionally(new WorkerDiedException(w.name() + " " + why)));
    }
    engine.died(w, why);
    ClusterEngines e = engines;
    if (e != null) {
      e.died(w, why);
    }
    workersChanged.run();
    if (endpoints.isEmpty()) {
      // computations wait for a worker to join (a replacement, a restarted node); not for ever
      CompletableFuture.delayedExecutor(waitForWorkers.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> {
            if (endpoints.isEmpty() && !closed) {
              engine.joinFailed(new IllegalStateException("no worker joined the cluster within "
                  + waitForWorkers.toSeconds() + " s after the last one was lost: start workers;"
                  + " if workers run but never join, this program's Ignite node may be stuck in"
                  + " a partition exchange broken by a death during a join (docs/cluster.md,"
                  + " \"Known limit\"): close the cluster and connect again"));
            }
          });
    }
  }

  /** {@return bytes sent to workers so far} */
  long bytesSent() {
    return sender.bytesSent.get();
  }

  private boolean receive(UUID from, byte[] batch) {
    NodeEndpoint w = endpoints.get(from);
    if (w == null) {
      return true; // a worker that already left, or not one of ours
    }
    bytesReceived.addAndGet(batch.length);
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch));
      while (in.available() > 0) {
        handle(w, in);
      }
    } catch (IOException | RuntimeException e) {
      lost(w, "sent a message that could not be read: " + e);
    }
    return true;
  }

  private void handle(NodeEndpoint w, DataInputStream in) throws IOException {
    byte type = in.readByte();
    switch (type) {
      case Wire.DONE: {
        long id = in.readLong();
        long nanos = in.readLong();
        long size = in.readLong();
        byte[] small = in.readBoolean() ? Wire.readBytes(in) : null;
        engine.done(w, id, nanos, size, small);
        break;
      }
      case Wire.FAILED: {
        long id = in.readLong();
        Throwable error = WireCodecs.decodeError(Wire.readBytes(in));
        int n = in.readInt();
        List<Object> inputs = null;
        String missing;
        if (n < 0) {
          missing = "the worker did not send the task's inputs: " + in.readUTF();
        } else {
          List<byte[]> encoded = new ArrayList<>(n);
          for (int j = 0; j < n; j++) {
            encoded.add(Wire.readBytes(in));
          }
          missing = "";
          try {
            inputs = new ArrayList<>(n);
            for (byte[] b : encoded) {
              inputs.add(codecs.decode(b));
            }
          } catch (IOException | RuntimeException e) {
            inputs = null;
            missing = "the task's inputs could not be decoded in the caller: " + e;
          }
        }
        engine.failed(w, id, error, inputs, missing);
        break;
      }
      case Wire.DATA: {
        long id = in.readLong();
        engine.data(w, id, Wire.readBytes(in));
        break;
      }
      case Wire.UNSENDABLE: {
        long id = in.readLong();
        engine.unsendable(w, id, WireCodecs.decodeError(Wire.readBytes(in)));
        break;
      }
      case Wire.PULLED: {
        long id = in.readLong();
        engine.pulled(w, id, in.readLong());
        break;
      }
      case Wire.PULL_FAILED: {
        long id = in.readLong();
        boolean notHeld = in.readBoolean();
        engine.pullFailed(w, id, notHeld, in.readUTF());
        break;
      }
      case Wire.COUNTED: {
        int n = in.readInt();
        Queue<CompletableFuture<Integer>> q = counts.get(w);
        CompletableFuture<Integer> f = q == null ? null : q.poll();
        if (f != null) {
          f.complete(n);
        }
        break;
      }
      case Wire.ENGINE_DONE:
      case Wire.ENGINE_FAILED:
      case Wire.ENGINE_SEND: {
        ClusterEngines e = engines;
        if (e == null) {
          throw new IOException("an engine message from " + w.name() + " before any call");
        }
        e.read(w, type, in);
        break;
      }
      default:
        throw new IOException("unknown message type " + type + " from " + w.name());
    }
  }

  /** {@return how many values the live workers hold for this program, asking each} */
  long heldByWorkers() {
    long total = 0;
    for (NodeEndpoint w : List.copyOf(endpoints.values())) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      Queue<CompletableFuture<Integer>> q =
          counts.computeIfAbsent(w, x -> new ConcurrentLinkedQueue<>());
      synchronized (q) {
        q.add(f);
        try {
          w.count();
        } catch (IOException e) {
          q.remove(f);
          continue;
        }
      }
      try {
        total += f.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.tessera.graph.ComputeCancelledException(
            "interrupted while counting held results");
      } catch (ExecutionException | TimeoutException e) {
        // the worker left meanwhile: it holds nothing
      }
    }
    return total;
  }

  private volatile boolean closed;

  @Override
  public void close() {
    closed = true;
    try {
      ignite.message().stopLocalListen(Wire.TO_CLIENT, listener);
      ignite.events().stopLocalListen(topology);
      ignite.events().stopLocalListen(disconnects);
    } catch (RuntimeException e) {
      // the node is already stopping
    }
    org.apache.ignite.Ignition.removeListener(stops);
    liveness.close();
    sender.close();
  }
}
