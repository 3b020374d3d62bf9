package dev.tessera.schedulers;

import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.Engines;
import dev.tessera.schedulers.engine.EngineHost;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The engines of a pool of worker JVMs, the parent's side: engine {@code i} is the
 * {@code i}-th worker (its {@link WorkerEngine}). Calls and their results travel through the
 * codecs on the worker's connection. Messages between engines go over direct loopback links
 * between the two workers ({@link EnginePeers}): this side tells a worker where its peer
 * listens; with the system property {@value #MESSAGES_PROPERTY}{@code =relay}, or when a link
 * cannot be made, they are relayed here, as bytes, in the order each sender sent them. When a worker dies its engine's pending calls fail with
 * an {@link EngineDiedException} naming it, and the engine moves to the worker that replaces
 * it, with an empty namespace.
 */
final class ProcessEngines implements Engines {
  private final ProcessScheduler pool;
  private final Codecs codecs;
  private final int count;
  private final long bindTimeoutNanos;
  private final Supplier<RuntimeException> closedError;
  /** The worker of each engine; null until the first use. Guarded by this. */
  private final WorkerHandle[] bound;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Set<WorkerHandle> dead = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  /**
   * Completes the callers' futures off the workers' reader threads: a caller's callback that
   * waits for another result must not stop the thread that would read it.
   */
  private final ThreadPoolExecutor completions = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "tessera-engine-results");
        t.setDaemon(true);
        return t;
      });
  private volatile boolean closed;
  /**
   * The system property that turns direct links between workers off ({@code relay}): every
   * message between engines then goes through this JVM, as before links existed.
   */
  static final String MESSAGES_PROPERTY = "tessera.engineMessages";
  /** Whether workers may link to each other directly; read when the pool starts. */
  private final boolean direct = !"relay".equals(System.getProperty(MESSAGES_PROPERTY));
  /** Where each worker listens for its peers, once asked (port -1: it does not). */
  private final Map<WorkerHandle, CompletableFuture<PeerAddress>> listening =
      new ConcurrentHashMap<>();

  private record PeerAddress(int port, String secret) {}

  private static final PeerAddress NO_PEER = new PeerAddress(-1, "");

  /** A call in flight; a raw one (forwarded for a worker's task) completes with bytes. */
  private record Pending(CompletableFuture<Object> future, int engine, WorkerHandle worker,
      boolean raw) {}

  /** The error bytes of a raw call that failed on its engine. */
  private record RawError(byte[] bytes) {}

  ProcessEngines(ProcessScheduler pool, Codecs codecs, int count, long bindTimeoutNanos,
      Supplier<RuntimeException> closedError) {
    this.pool = pool;
    this.codecs = codecs;
    this.count = count;
    this.bindTimeoutNanos = bindTimeoutNanos;
    this.closedError = closedError;
    this.bound = new WorkerHandle[count];
  }

  @Override
  public int count() {
    return count;
  }

  /** Never waits: a dead engine's name is its last worker's until a call moves it. */
  @Override
  public String name(int engine) {
    checkEngine(engine);
    WorkerHandle w;
    synchronized (this) {
      w = bound[engine];
    }
    return w == null ? name(engine, worker(engine)) : name(engine, w);
  }

  private void checkEngine(int engine) {
    if (engine < 0 || engine >= count) {
      throw new IndexOutOfBoundsException("no engine " + engine + " on " + pool.name()
          + ": it has " + count + " engines, 0 to " + (count - 1));
    }
  }

  private static String name(int engine, WorkerHandle w) {
    return "engine-" + engine + " (" + w.name + ")";
  }

  @Override
  public <R> CompletableFuture<R> call(int engine, EngineFunction<R> fn) {
    Objects.requireNonNull(fn, "fn");
    WorkerHandle w = worker(engine);
    byte[] bytes;
    try {
      bytes = codecs.encodeJava(fn);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the function for " + name(engine, w) + " cannot be"
          + " serialized to send it to its worker JVM: " + e + "; make it capture only"
          + " serializable values (a lambda capturing 'this' serializes its whole object)", e);
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<R> typed = (CompletableFuture<R>) send(engine, w, bytes, false);
    return typed;
  }

  /** Sends an encoded function to an engine's worker; a raw call's result stays bytes. */
  private CompletableFuture<Object> send(int engine, WorkerHandle w, byte[] bytes,
      boolean raw) {
    long id = ids.incrementAndGet();
    CompletableFuture<Object> future = new CompletableFuture<>();
    pending.put(id, new Pending(future, engine, w, raw));
    String name = name(engine, w);
    try {
      w.send(o -> {
        o.writeByte(Protocol.ENGINE_CALL);
        EngineHost.writeCall(o, id, engine, count, name, bytes);
      });
    } catch (IOException e) {
      fail(id, died(engine, w, "its connection failed: " + e));
    }
    if (dead.contains(w)) { // died between worker() and put: nobody else fails it
      fail(id, died(engine, w, "it died"));
    }
    if (closed) {
      fail(id, closedError.get());
    }
    return future;
  }

  /**
   * A task on worker {@code from} calls an engine (see {@link ForwardedEngines}), on the
   * reader thread: the call goes to the engine's worker behind what was sent there before, and
   * its result, its error or the engine's death goes back to {@code from}.
   */
  private void forward(WorkerHandle from, long id, int engine, byte[] fn) {
    CompletableFuture<Object> f;
    try {
      if (engine < 0 || engine >= count) {
        throw new IndexOutOfBoundsException("no engine " + engine + " on " + pool.name());
      }
      WorkerHandle target;
      synchronized (this) {
        target = bound[engine];
      }
      // never wait for a replacement on a reader thread: an engine without a live worker is
      // dead for the task's call, as it would be for its pending calls
      f = target == null || dead.contains(target)
          ? CompletableFuture.failedFuture(died(engine, target == null ? from : target,
              "it has no live worker"))
          : send(engine, target, fn, true);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((v, e) -> {
      boolean ok = e == null && v instanceof byte[];
      byte[] bytes;
      try {
        bytes = ok ? (byte[]) v : v instanceof RawError r ? r.bytes()
            : WorkerEngine.errorBytes(e instanceof java.util.concurrent.CompletionException
                && e.getCause() != null ? e.getCause() : e);
      } catch (IOException x) {
        return;
      }
      byte[] out = bytes;
      try {
        from.send(o -> {
          o.writeByte(Protocol.ENGINE_FORWARDED);
          o.writeLong(id);
          o.writeBoolean(ok);
          Protocol.writeBytes(o, out);
        });
      } catch (IOException gone) {
        // the task's worker died: nobody waits for the answer
      }
    });
  }

  @Override
  public void post(int engine, int tag, Object value) {
    WorkerHandle w = worker(engine);
    byte[] bytes;
    try {
      bytes = codecs.encode(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("the message for " + name(engine, w) + " cannot be"
          + " encoded: " + e, e);
    }
    relay(w, OUTSIDE, tag, bytes);
  }

  private static void relay(WorkerHandle to, int from, int tag, byte[] bytes) {
    try {
      to.send(o -> {
        o.writeByte(Protocol.ENGINE_MESSAGE);
        EngineHost.writeMessage(o, from, tag, bytes);
      });
    } catch (IOException e) {
      // the receiver's worker is dead: its engine's calls fail, which is what its peers see
    }
  }

  /** The live worker of an engine: its first worker, or the one that replaced it. */
  private WorkerHandle worker(int engine) {
    checkEngine(engine);
    long deadline = System.nanoTime() + bindTimeoutNanos;
    while (true) {
      if (closed) {
        throw closedError.get();
      }
      synchronized (this) {
        WorkerHandle w = bound[engine];
        if (w != null && !dead.contains(w)) {
          return w;
        }
        List<WorkerHandle> free = new ArrayList<>(pool.workers());
        free.removeIf(dead::contains);
        for (WorkerHandle b : bound) {
          free.remove(b);
        }
        if (w == null) { // first use: engine i is the i-th worker, for all engines at once
          for (int i = 0; i < count && !free.isEmpty(); i++) {
            if (bound[i] == null) {
              bound[i] = free.remove(0);
            }
          }
        } else if (!free.isEmpty()) {
          bound[engine] = free.get(0);
        }
        if (bound[engine] != null && !dead.contains(bound[engine])) {
          return bound[engine];
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("engine-" + engine + " of " + pool.name() + " has no"
            + " live worker: its worker died and no replacement started in time");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for engine-" + engine
            + "'s replacement worker", e);
      }
    }
  }

  /** Reads one engine message from a worker, on its reader thread. */
  void read(WorkerHandle w, byte type, DataInputStream in) throws IOException {
    switch (type) {
      case Protocol.ENGINE_DONE: {
        long id = in.readLong();
        byte[] value = Protocol.readBytes(in);
        Pending p = pending.remove(id);
        if (p != null && p.raw()) {
          p.future().complete(value);
        } else if (p != null) {
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
      case Protocol.ENGINE_FAILED: {
        long id = in.readLong();
        byte[] error = Protocol.readBytes(in);
        Pending p = pending.remove(id);
        if (p != null && p.raw()) {
          p.future().complete(new RawError(error));
        } else if (p != null) {
          complete(() -> p.future().completeExceptionally(decodeError(error)));
        }
        break;
      }
      case Protocol.ENGINE_SEND: {
        int from = in.readInt();
        int to = in.readInt();
        int tag = in.readInt();
        byte[] value = Protocol.readBytes(in);
        WorkerHandle target;
        synchronized (this) {
          target = to >= 0 && to < count ? bound[to] : null;
        }
        if (target != null && !dead.contains(target)) {
          pool.countTransfer(value.length);
          relay(target, from, tag, value);
        }
        break;
      }
      case Protocol.ENGINE_FORWARD: {
        long id = in.readLong();
        int engine = in.readInt();
        forward(w, id, engine, Protocol.readBytes(in));
        break;
      }
      case Protocol.PEER_ASK: {
        int to = in.readInt();
        WorkerHandle target;
        synchronized (this) {
          target = to >= 0 && to < count ? bound[to] : null;
        }
        if (!direct || target == null || target == w || dead.contains(target)) {
          answerPeer(w, to, NO_PEER);
        } else {
          listening.computeIfAbsent(target, this::askListen)
              .thenAccept(a -> answerPeer(w, to, a));
        }
        break;
      }
      case Protocol.PEER_OPEN: {
        PeerAddress a = new PeerAddress(in.readInt(), in.readUTF());
        listening.computeIfAbsent(w, x -> new CompletableFuture<>()).complete(a);
        break;
      }
      default:
        throw new IOException("not an engine message: " + type);
    }
  }

  /** {@return the port engine's worker listens on for its peers, or -1 (for tests)} */
  int peerPort(int engine) {
    WorkerHandle w;
    synchronized (this) {
      w = bound[engine];
    }
    CompletableFuture<PeerAddress> f = w == null ? null : listening.get(w);
    return f == null || !f.isDone() ? -1 : f.join().port();
  }

  /** Asks a worker to open its listener for its peers; the answer is a PEER_OPEN. */
  private CompletableFuture<PeerAddress> askListen(WorkerHandle target) {
    CompletableFuture<PeerAddress> f = new CompletableFuture<>();
    try {
      target.send(o -> o.writeByte(Protocol.PEER_LISTEN));
    } catch (IOException e) {
      f.complete(NO_PEER);
    }
    return f;
  }

  /** Tells a worker where engine {@code to} listens (port -1: relay its messages here). */
  private static void answerPeer(WorkerHandle w, int to, PeerAddress a) {
    try {
      w.send(o -> {
        o.writeByte(Protocol.PEER_AT);
        o.writeInt(to);
        o.writeInt(a.port());
        o.writeUTF(a.secret());
      });
    } catch (IOException e) {
      // the asker is gone
    }
  }

  private void complete(Runnable r) {
    try {
      completions.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      r.run();
    }
  }

  private static Throwable decodeError(byte[] error) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(error))) {
      return (Throwable) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      return new RemoteTaskException("unknown", "the engine's exception could not be read: "
          + e, "");
    }
  }

  /**
   * A worker died: its engine's pending calls fail, naming the engine, off the reader thread
   * (a caller's callback may call this engine again, which waits for the replacement worker
   * that the pool starts only after this returns).
   */
  void died(WorkerHandle w, String why) {
    dead.add(w);
    CompletableFuture<PeerAddress> listener = listening.remove(w);
    if (listener != null) {
      listener.complete(NO_PEER); // peers still asking relay
    }
    if (direct) {
      // the other workers drop their links to its engines now, before any later call reaches
      // them on the same connection: a message to the replacement must not go down a dead link
      List<Integer> gone = new ArrayList<>();
      synchronized (this) {
        for (int i = 0; i < count; i++) {
          if (bound[i] == w) {
            gone.add(i);
          }
        }
      }
      for (WorkerHandle other : pool.workers()) {
        if (other != w && !dead.contains(other)) {
          for (int engine : gone) {
            try {
              other.send(o -> {
                o.writeByte(Protocol.PEER_GONE);
                o.writeInt(engine);
              });
            } catch (IOException e) {
              // that one is going too
            }
          }
        }
      }
    }
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.worker() == w && pending.remove(e.getKey(), p)) {
        EngineDiedException error = died(p.engine(), w, why);
        complete(() -> p.future().completeExceptionally(error));
      }
    }
  }

  private EngineDiedException died(int engine, WorkerHandle w, String why) {
    return new EngineDiedException(engine, name(engine, w) + " died (" + why + ") before this"
        + " call finished: the call and the engine's namespace are lost; later calls to"
        + " engine-" + engine + " run on the worker that replaces it, with an empty namespace");
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
    return "engines of " + pool.name() + " (" + count + ")";
  }
}
