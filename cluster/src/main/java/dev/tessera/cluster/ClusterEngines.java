package dev.tessera.cluster;

import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.Engines;
import dev.tessera.schedulers.WireCodecs;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The engines of a cluster, the program's side: one engine per worker node, as the worker JVMs
 * have one per worker JVM. Engine {@code i} is the {@code i}-th of the workers present when
 * the program first asked for the engines, by name ({@code worker-0}, {@code worker-1}, ...);
 * each runs on its node in an {@link dev.tessera.schedulers.engine.EngineHost} of this
 * program's session there, so its namespace lives in that node's JVM. Calls, results and
 * messages travel as {@link Wire} messages through the nodes' outboxes (in order per node),
 * values with the {@link WireCodecs}; messages between engines are relayed here, in the order
 * each sender sent them.
 *
 * <p>When a worker node leaves or fails, its engine's pending calls fail with an
 * {@link EngineDiedException} naming the engine and the node. A later call moves the engine to
 * a live worker that no engine has (a replacement of {@link Cluster#local}, or a node that
 * joined later), with an empty namespace; when there is none, the call fails with an
 * {@code EngineDiedException} too: at once after {@link Cluster#connect}, after waiting up to
 * the start timeout for the replacement on a local cluster. Nothing waits for ever.
 */
final class ClusterEngines implements Engines {
  private final Transport transport;
  private final WireCodecs codecs;
  private final int count;
  /** Whether a dead worker is replaced (a local cluster): a call then waits for it. */
  private final boolean replaced;
  private final long bindTimeoutNanos;
  private final Supplier<RuntimeException> closedError;
  private final LongConsumer transfers;
  /** The worker of each engine. Guarded by this. */
  private final NodeEndpoint[] bound;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  /**
   * Completes the callers' futures off Ignite's threads: a caller's callback that waits for
   * another result must not stop the thread that would deliver it.
   */
  private final ThreadPoolExecutor completions = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      2, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "tessera-cluster-engine-results");
        t.setDaemon(true);
        return t;
      });
  private volatile boolean closed;

  private record Pending(CompletableFuture<Object> future, int engine, NodeEndpoint worker) {}

  /** Orders workers by name, {@code worker-2} before {@code worker-10}. */
  private static final Comparator<NodeEndpoint> BY_NAME = Comparator
      .comparingInt((NodeEndpoint w) -> Topology.name(w.node).length())
      .thenComparing(w -> Topology.name(w.node));

  private ClusterEngines(Transport transport, WireCodecs codecs, List<NodeEndpoint> workers,
      boolean replaced, long bindTimeoutNanos, Supplier<RuntimeException> closedError,
      LongConsumer transfers) {
    this.transport = transport;
    this.codecs = codecs;
    this.count = workers.size();
    this.replaced = replaced;
    this.bindTimeoutNanos = bindTimeoutNanos;
    this.closedError = closedError;
    this.transfers = transfers;
    this.bound = workers.toArray(new NodeEndpoint[0]);
  }

  /**
   * Makes one engine per live worker and routes the transport's engine messages to them.
   *
   * @throws IllegalStateException if no worker is in the cluster now
   */
  static ClusterEngines start(Transport transport, WireCodecs codecs, boolean replaced,
      long bindTimeoutNanos, Supplier<RuntimeException> closedError, LongConsumer transfers) {
    List<NodeEndpoint> workers = transport.live();
    if (workers.isEmpty()) {
      throw new IllegalStateException("the cluster has no worker now, so no engines: start"
          + " workers (cluster/bin/tessera-worker) and ask again");
    }
    workers.sort(BY_NAME);
    ClusterEngines e = new ClusterEngines(transport, codecs, workers, replaced,
        bindTimeoutNanos, closedError, transfers);
    transport.engines(e);
    return e;
  }

  @Override
  public int count() {
    return count;
  }

  /** Never waits: a dead engine's name is its last worker's until a call moves it. */
  @Override
  public String name(int engine) {
    checkEngine(engine);
    synchronized (this) {
      return name(engine, bound[engine]);
    }
  }

  private static String name(int engine, NodeEndpoint w) {
    return "engine-" + engine + " (" + w.name() + ")";
  }

  private void checkEngine(int engine) {
    if (engine < 0 || engine >= count) {
      throw new IndexOutOfBoundsException("no engine " + engine + " on the cluster: it has "
          + count + " engines, 0 to " + (count - 1));
    }
  }

  @Override
  public <R> CompletableFuture<R> call(int engine, EngineFunction<R> fn) {
    Objects.requireNonNull(fn, "fn");
    checkEngine(engine);
    if (closed) {
      throw closedError.get();
    }
    byte[] bytes;
    try {
      bytes = codecs.encodeFunction(fn);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the function for " + name(engine) + " cannot be"
          + " serialized to send it to its worker node: " + e + "; make it capture only"
          + " serializable values (a lambda capturing 'this' serializes its whole object)", e);
    }
    CompletableFuture<Object> future = new CompletableFuture<>();
    @SuppressWarnings("unchecked")
    CompletableFuture<R> typed = (CompletableFuture<R>) future;
    NodeEndpoint w;
    try {
      w = worker(engine, true);
    } catch (EngineDiedException e) {
      future.completeExceptionally(e);
      return typed;
    }
    long id = ids.incrementAndGet();
    pending.put(id, new Pending(future, engine, w));
    String name = name(engine, w);
    try {
      w.engineCall(id, engine, count, name, bytes);
    } catch (IOException e) {
      fail(id, died(engine, w, "it cannot be reached: " + e.getMessage()));
    }
    if (!w.alive()) { // died between worker() and put: its death may have missed this call
      fail(id, died(engine, w, "it left the cluster"));
    }
    if (closed) {
      fail(id, closedError.get());
    }
    return typed;
  }

  /**
   * Drops the message when the engine's worker is gone and none can take its place: that
   * engine's calls fail, which is what its peers see.
   */
  @Override
  public void post(int engine, int tag, Object value) {
    checkEngine(engine);
    byte[] bytes;
    try {
      bytes = codecs.encode(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("the message for " + name(engine) + " cannot be"
          + " encoded: " + e, e);
    }
    NodeEndpoint w;
    try {
      w = worker(engine, false);
    } catch (EngineDiedException gone) {
      return;
    }
    relay(w, OUTSIDE, tag, bytes);
  }

  private static void relay(NodeEndpoint to, int from, int tag, byte[] bytes) {
    try {
      to.engineMessage(from, tag, bytes);
    } catch (IOException e) {
      // the receiver's worker is gone: its engine's calls fail, which is what its peers see
    }
  }

  /**
   * The live worker of an engine: its first one, or a free live worker that takes its place
   * (waiting for a replacement if {@code wait} and the cluster replaces its workers).
   *
   * @throws EngineDiedException if there is none
   */
  private NodeEndpoint worker(int engine, boolean wait) {
    long deadline = System.nanoTime() + bindTimeoutNanos;
    NodeEndpoint last;
    while (true) {
      if (closed) {
        throw closedError.get();
      }
      synchronized (this) {
        last = bound[engine];
        if (last.alive()) {
          return last;
        }
        List<NodeEndpoint> free = new ArrayList<>(transport.live());
        for (NodeEndpoint b : bound) {
          free.remove(b);
        }
        if (!free.isEmpty()) {
          free.sort(BY_NAME);
          bound[engine] = free.get(0);
          return bound[engine];
        }
      }
      if (!wait || !replaced || System.nanoTime() > deadline) {
        throw new EngineDiedException(engine, name(engine, last) + " died with its worker"
            + " node and no other worker is free to take its place"
            + (wait && replaced ? " (none joined within " + TimeUnit.NANOSECONDS.toSeconds(
                bindTimeoutNanos) + " s)" : "") + "; start more workers, or make a new group"
            + " of fewer engines");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineDiedException(engine, "interrupted while waiting for a worker to take"
            + " the place of " + name(engine, last));
      }
    }
  }

  /** Reads one engine message from a worker, on an Ignite thread. */
  void read(NodeEndpoint w, byte type, DataInputStream in) throws IOException {
    switch (type) {
      case Wire.ENGINE_DONE: {
        long id = in.readLong();
        byte[] value = Wire.readBytes(in);
        Pending p = pending.remove(id);
        if (p != null) {
          complete(() -> {
            try {
              p.future().complete(codecs.decode(value));
            } catch (Throwable e) {
              p.future().completeExceptionally(new IllegalStateException("the result of the"
                  + " call on " + name(p.engine(), p.worker()) + " cannot be decoded here: "
                  + e, e));
            }
          });
        }
        break;
      }
      case Wire.ENGINE_FAILED: {
        long id = in.readLong();
        byte[] error = Wire.readBytes(in);
        Pending p = pending.remove(id);
        if (p != null) {
          complete(() -> p.future().completeExceptionally(WireCodecs.decodeError(error)));
        }
        break;
      }
      case Wire.ENGINE_SEND: {
        int from = in.readInt();
        int to = in.readInt();
        int tag = in.readInt();
        byte[] value = Wire.readBytes(in);
        NodeEndpoint target;
        synchronized (this) {
          target = to >= 0 && to < count ? bound[to] : null;
        }
        if (target != null && target.alive()) {
          transfers.accept(value.length);
          relay(target, from, tag, value);
        }
        break;
      }
      default:
        throw new IOException("not an engine message: " + type);
    }
  }

  private void complete(Runnable r) {
    try {
      completions.execute(r);
    } catch (RejectedExecutionException closing) {
      r.run();
    }
  }

  /**
   * A worker node left or failed: its engine's pending calls fail, naming the engine and the
   * node, off the transport's thread (a caller's callback may call the engine again).
   */
  void died(NodeEndpoint w, String why) {
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.worker() == w && pending.remove(e.getKey(), p)) {
        EngineDiedException error = died(p.engine(), w, why);
        complete(() -> p.future().completeExceptionally(error));
      }
    }
  }

  private EngineDiedException died(int engine, NodeEndpoint w, String why) {
    return new EngineDiedException(engine, name(engine, w) + " died before this call finished"
        + " (its worker node " + why + "): the call and the engine's namespace are lost; later"
        + " calls to engine-" + engine + " run on a free worker that takes its place, with an"
        + " empty namespace");
  }

  private void fail(long id, Throwable error) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.future().completeExceptionally(error);
    }
  }

  /** Fails every pending call; later calls are refused. */
  void close() {
    closed = true;
    for (Long id : new ArrayList<>(pending.keySet())) {
      fail(id, closedError.get());
    }
    completions.shutdown();
  }

  @Override
  public String toString() {
    return "engines of the cluster (" + count + ")";
  }
}
