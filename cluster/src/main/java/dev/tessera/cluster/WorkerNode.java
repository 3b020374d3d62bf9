package dev.tessera.cluster;

import dev.tessera.graph.core.Task;
import dev.tessera.schedulers.WireCodecs;
import dev.tessera.schedulers.engine.EngineHost;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import org.apache.ignite.Ignite;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * The worker side of a cluster node: runs the tasks programs send ({@link Wire}) on
 * {@code threads} threads in arrival order, keeps each result in this JVM's heap under the
 * id the program chose until the program releases it, and answers fetches. Every program (a
 * client node) has its own {@link Session}; when its node leaves or fails, its queued tasks are
 * dropped, its running ones interrupted and its results released, so a program that dies
 * leaves no work and no data behind. A program's engine calls (see {@link ClusterEngines}) run
 * on its session's {@link EngineHost}, on a thread of their own beside the task threads, with a
 * namespace that lives in this JVM until the program leaves. Published datasets are kept
 * apart, in {@link Published}, until they are unpublished.
 */
final class WorkerNode implements AutoCloseable {
  private final Ignite ignite;
  private final WireCodecs codecs = WireCodecs.create(List.of());
  private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
  private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
  private final List<Runner> runners = new ArrayList<>();
  private final Outbox.Sender sender = new Outbox.Sender("tessera-worker-sender");
  private final IgniteBiPredicate<UUID, byte[]> listener = this::receive;
  private final IgnitePredicate<DiscoveryEvent> leaves;
  private volatile boolean closed;

  /** A value that arrived with a task, kept as bytes until a runner decodes it. */
  private record Encoded(byte[] bytes) {}

  /** Stored in place of a null result (the maps cannot hold null). */
  private static final Object NULL_VALUE = new Object();

  private record Job(Session session, byte[] message, long id) {}

  private WorkerNode(Ignite ignite, int threads) {
    this.ignite = ignite;
    for (int i = 0; i < threads; i++) {
      Runner r = new Runner("tessera-task-" + i);
      runners.add(r);
      r.start();
    }
    ignite.message().localListen(Wire.TO_WORKER, listener);
    leaves = e -> {
      Session s = sessions.remove(e.eventNode().id());
      if (s != null) {
        drop(s);
      }
      return true;
    };
    ignite.events().localListen(leaves, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
  }

  /** This JVM's worker node, for the pulls of other workers ({@link Give}); null if none. */
  private static volatile WorkerNode current;

  /** How long a pull waits for the worker it pulls from. */
  static final long PULL_TIMEOUT_MILLIS = 60_000;

  /** Starts serving programs on this node. */
  static WorkerNode install(Ignite ignite, int threads) {
    Published.install(ignite); // published datasets live apart from the sessions
    WorkerNode w = new WorkerNode(ignite, threads);
    current = w;
    return w;
  }

  /** One program's state on this worker. */
  private final class Session {
    final UUID client;
    final Outbox out;
    final Map<Long, Object> store = new ConcurrentHashMap<>();
    /** Ids with a pull in flight; a release takes the id out, and the value is then dropped. */
    final java.util.Set<Long> pulling = ConcurrentHashMap.newKeySet();

    Session(UUID client) {
      this.client = client;
      this.out = new Outbox(ignite, client, Wire.TO_CLIENT, sender, e -> { });
    }

    /** This program's engine on this node; made by the first engine message. Guarded by this. */
    private EngineHost engine;
    private boolean dropped;

    void reply(Wire.Body body) {
      try {
        out.add(body);
      } catch (IOException e) {
        // the program is gone; its session is dropped when its node leaves
      }
    }

    /** {@return this program's engine here, made on first use; null once the session ended} */
    synchronized EngineHost engine() {
      if (engine == null && !dropped) {
        engine = new EngineHost("tessera-engine", codecs, codecs::decodeFunction,
            WorkerNode.class.getClassLoader(), new EngineReplies(this));
      }
      return engine;
    }

    /** Stops the engine: its running call is interrupted, its namespace dropped. */
    void closeEngine() {
      EngineHost e;
      synchronized (this) {
        dropped = true;
        e = engine;
        engine = null;
      }
      if (e != null) {
        e.close();
      }
    }
  }

  /** An engine's answers, to its program through the session's outbox. */
  private record EngineReplies(Session s) implements EngineHost.Replies {
    @Override
    public void done(long id, byte[] value) {
      s.reply(o -> {
        o.writeByte(Wire.ENGINE_DONE);
        o.writeLong(id);
        Wire.writeBytes(o, value);
      });
    }

    @Override
    public void failed(long id, Throwable error) {
      byte[] bytes = WireCodecs.encodeError(error);
      s.reply(o -> {
        o.writeByte(Wire.ENGINE_FAILED);
        o.writeLong(id);
        Wire.writeBytes(o, bytes);
      });
    }

    @Override
    public void send(int from, int to, int tag, byte[] value) {
      s.reply(o -> {
        o.writeByte(Wire.ENGINE_SEND);
        o.writeInt(from);
        o.writeInt(to);
        o.writeInt(tag);
        Wire.writeBytes(o, value);
      });
    }
  }

  private boolean receive(UUID from, byte[] batch) {
    if (closed) {
      return false;
    }
    Session s = sessions.computeIfAbsent(from, Session::new);
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch));
      while (in.available() > 0) {
        handle(s, in);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("tessera worker: a corrupt message from " + from + ": " + e);
    }
    return true;
  }

  private void handle(Session s, DataInputStream in) throws IOException {
    byte type = in.readByte();
    switch (type) {
      case Wire.RUN: {
        // inputs sent along are stored now, not when the task starts: the program counts this
        // worker as holding them from the moment it sent them
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream copy = new java.io.DataOutputStream(raw);
        long id = in.readLong();
        copy.writeLong(id);
        copy.writeUTF(in.readUTF());
        copy.writeBoolean(in.readBoolean());
        Wire.writeBytes(copy, Wire.readBytes(in));
        int deps = in.readInt();
        copy.writeInt(deps);
        for (int j = 0; j < deps; j++) {
          long depId = in.readLong();
          copy.writeLong(depId);
          if (in.readBoolean()) {
            s.store.put(depId, new Encoded(Wire.readBytes(in)));
          }
        }
        queue.add(new Job(s, raw.toByteArray(), id));
        break;
      }
      case Wire.FETCH: {
        long id = in.readLong();
        Object v = s.store.get(id);
        byte[] bytes;
        try {
          bytes = encoded(v);
        } catch (Throwable e) {
          // the task succeeded and would again: say the value cannot travel, not that it died
          byte[] error = WireCodecs.encodeError(unsendable(v, e));
          s.reply(o -> {
            o.writeByte(Wire.UNSENDABLE);
            o.writeLong(id);
            Wire.writeBytes(o, error);
          });
          break;
        }
        s.reply(o -> {
          o.writeByte(Wire.DATA);
          o.writeLong(id);
          Wire.writeBytes(o, bytes);
        });
        break;
      }
      case Wire.RELEASE: {
        int n = in.readInt();
        synchronized (s.pulling) { // against a pulled value stored at the same moment
          for (int i = 0; i < n; i++) {
            long id = in.readLong();
            s.store.remove(id);
            s.pulling.remove(id);
          }
        }
        break;
      }
      case Wire.PULL: {
        long id = in.readLong();
        UUID from = UUID.fromString(in.readUTF());
        long fromId = in.readLong();
        pull(s, id, from, fromId);
        break;
      }
      case Wire.CANCEL: {
        long lo = in.readLong();
        long hi = in.readLong();
        cancel(s, lo, hi, "cancelled before it started");
        break;
      }
      case Wire.ENGINE_CALL:
      case Wire.ENGINE_MESSAGE: {
        EngineHost e = s.engine();
        if (e == null) {
          throw new IOException("an engine message for a program that left");
        }
        if (type == Wire.ENGINE_CALL) {
          e.readCall(in);
        } else {
          e.readMessage(in);
        }
        break;
      }
      case Wire.COUNT: {
        int n = s.store.size();
        s.reply(o -> {
          o.writeByte(Wire.COUNTED);
          o.writeInt(n);
        });
        break;
      }
      case Wire.PING:
        break; // the program checks that this node can be reached
      default:
        throw new IOException("unknown message type " + type);
    }
  }

  /**
   * Fetches {@code fromId} of this session's program from worker node {@code from} (one
   * Ignite compute call, answered on Ignite's threads, never on the message thread), keeps it
   * under {@code id} and tells the program; always answers, within the call's timeout.
   */
  private void pull(Session s, long id, UUID from, long fromId) {
    s.pulling.add(id);
    org.apache.ignite.cluster.ClusterGroup g = ignite.cluster().forNodeId(from);
    if (g.nodes().isEmpty()) {
      pullFailed(s, id, false, "worker node " + from + " left the cluster");
      return;
    }
    org.apache.ignite.lang.IgniteFuture<byte[]> f;
    try {
      f = ignite.compute(g).withTimeout(PULL_TIMEOUT_MILLIS)
          .callAsync(new Give(s.client, fromId));
    } catch (RuntimeException e) {
      pullFailed(s, id, false, String.valueOf(e));
      return;
    }
    f.listen(done -> {
      byte[] bytes;
      try {
        bytes = done.get();
      } catch (RuntimeException e) {
        pullFailed(s, id, false, String.valueOf(e.getMessage()));
        return;
      }
      if (bytes.length == 0) {
        pullFailed(s, id, true, "not held there");
        return;
      }
      synchronized (s.pulling) {
        if (s.pulling.remove(id)) {
          s.store.put(id, new Encoded(bytes)); // decoded by the first task that reads it
        } // else released meanwhile: dropped
      }
      long size = bytes.length;
      s.reply(o -> {
        o.writeByte(Wire.PULLED);
        o.writeLong(id);
        o.writeLong(size);
      });
    });
  }

  private static void pullFailed(Session s, long id, boolean notHeld, String why) {
    s.pulling.remove(id);
    s.reply(o -> {
      o.writeByte(Wire.PULL_FAILED);
      o.writeLong(id);
      o.writeBoolean(notHeld);
      o.writeUTF(why.length() > 8000 ? why.substring(0, 8000) : why);
    });
  }

  /**
   * Runs on the worker a pull is from: the encoded value one program holds there under an id,
   * or no bytes if it is not held. A plain class with non-final fields (Ignite's marshaller
   * sets them through Unsafe, which Java 17 refuses for records).
   */
  static final class Give implements org.apache.ignite.lang.IgniteCallable<byte[]> {
    private static final long serialVersionUID = 1L;
    private UUID client;
    private long id;

    Give(UUID client, long id) {
      this.client = client;
      this.id = id;
    }

    /** For tests: the giver waits this long first, so that a death can land mid-pull. */
    static final String DELAY = "tessera.test.giveDelayMillis";

    @Override
    public byte[] call() throws IOException, InterruptedException {
      long delay = Long.getLong(DELAY, 0);
      if (delay > 0) {
        Thread.sleep(delay);
      }
      WorkerNode w = current;
      Session s = w == null ? null : w.sessions.get(client);
      return s == null ? new byte[0] : w.encoded(s.store.get(id));
    }
  }

  /** {@return a stored value's bytes to send: none when it is not held (null)} */
  private byte[] encoded(Object v) throws IOException {
    return v == null ? new byte[0] : v instanceof Encoded e ? e.bytes()
        : codecs.encode(v == NULL_VALUE ? null : v);
  }

  /** Drops a session's queued tasks in [lo, hi) and interrupts its running ones. */
  private void cancel(Session s, long lo, long hi, String why) {
    List<Job> dropped = new ArrayList<>();
    queue.removeIf(j -> {
      boolean hit = j.session == s && j.id >= lo && j.id < hi;
      if (hit) {
        dropped.add(j);
      }
      return hit;
    });
    for (Job j : dropped) {
      sendFailure(s, j.id, new InterruptedException(why), null);
    }
    for (Runner r : runners) {
      r.cancel(s, lo, hi);
    }
  }

  /** A program left: nothing of it runs or stays. */
  private void drop(Session s) {
    queue.removeIf(j -> j.session == s);
    for (Runner r : runners) {
      r.cancel(s, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    s.store.clear();
    s.pulling.clear();
    s.closeEngine();
  }

  /** {@return how many values this worker holds, over every program} */
  int held() {
    int n = 0;
    for (Session s : sessions.values()) {
      n += s.store.size();
    }
    return n;
  }

  /** One thread running tasks from the shared queue. */
  private final class Runner extends Thread {
    // guarded by this: a cancel never hits the next task
    private Job current;
    private boolean cancelled;

    Runner(String name) {
      super(name);
      setDaemon(true);
    }

    synchronized void cancel(Session s, long lo, long hi) {
      if (current != null && current.session == s && current.id >= lo && current.id < hi) {
        cancelled = true;
        interrupt();
      }
    }

    private synchronized void begin(Job j) {
      current = j;
      cancelled = false;
    }

    /** Ends the current task, clears a cancel's interrupt; returns whether it was cancelled. */
    private synchronized boolean end() {
      current = null;
      Thread.interrupted();
      boolean c = cancelled;
      cancelled = false;
      return c;
    }

    @Override
    public void run() {
      while (!closed) {
        Job job;
        try {
          job = queue.take();
        } catch (InterruptedException e) {
          continue; // a cancel with nothing running, or closing
        }
        begin(job);
        runJob(job);
      }
    }

    private void runJob(Job job) {
      Session s = job.session;
      Object[] inputs = null;
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(job.message));
        long id = in.readLong();
        in.readUTF();
        boolean wantValue = in.readBoolean();
        Task task;
        try {
          task = codecs.decodeTask(Wire.readBytes(in));
        } catch (IOException | ClassCastException | LinkageError e) {
          // a lambda whose class exists only in the program (jshell, java Demo.java) reads
          // as a SerializedLambda that fits nothing
          throw new IllegalStateException("the task cannot be read on this worker: a class it"
              + " uses is not on the worker's class path (" + e + "); start the workers with"
              + " the program's classes (tessera-worker --classpath ...; Cluster.local gives"
              + " them this JVM's class path)", e);
        }
        int deps = in.readInt();
        Object[] values = new Object[deps];
        for (int j = 0; j < deps; j++) {
          long depId = in.readLong();
          Object v = s.store.get(depId);
          if (v == null) {
            throw new IllegalStateException("result " + depId + " is not held here");
          }
          if (v instanceof Encoded e) {
            v = codecs.decode(e.bytes());
            v = v == null ? NULL_VALUE : v;
            s.store.replace(depId, e, v);
          }
          values[j] = v == NULL_VALUE ? null : v;
        }
        inputs = values.clone();
        long t0 = System.nanoTime();
        Object result = task.run(values);
        long nanos = System.nanoTime() - t0;
        if (end()) {
          throw new InterruptedException("cancelled");
        }
        s.store.put(id, result == null ? NULL_VALUE : result);
        long size = codecs.sizeOf(result);
        byte[] small = wantValue && size <= Wire.SMALL ? smallValue(result) : null;
        s.reply(o -> {
          o.writeByte(Wire.DONE);
          o.writeLong(id);
          o.writeLong(nanos);
          o.writeLong(size);
          o.writeBoolean(small != null);
          if (small != null) {
            Wire.writeBytes(o, small);
          }
        });
      } catch (Throwable e) {
        if (end() && !WireCodecs.isInterrupt(e)) {
          e = new InterruptedException("cancelled: " + e);
        }
        sendFailure(s, job.id, e, e instanceof InterruptedException ? null : inputs);
      }
    }
  }

  private byte[] smallValue(Object result) {
    try {
      byte[] b = codecs.encode(result);
      return b.length <= Wire.SMALL ? b : null;
    } catch (Throwable e) {
      return null; // fetched as usual, and a value that cannot travel fails there
    }
  }

  private void sendFailure(Session s, long id, Throwable e, Object[] inputs) {
    byte[] error = WireCodecs.encodeError(e);
    byte[][] encoded = null;
    String why = "the task failed before its inputs were read";
    if (inputs != null) {
      try {
        encoded = new byte[inputs.length][];
        for (int j = 0; j < inputs.length; j++) {
          encoded[j] = codecs.encode(inputs[j]);
        }
      } catch (IOException | RuntimeException notEncoded) {
        encoded = null;
        why = "its inputs could not be encoded in the worker: " + notEncoded;
      }
    }
    byte[][] values = encoded;
    String missing = why;
    s.reply(o -> {
      o.writeByte(Wire.FAILED);
      o.writeLong(id);
      Wire.writeBytes(o, error);
      if (values == null) {
        o.writeInt(-1);
        o.writeUTF(missing);
      } else {
        o.writeInt(values.length);
        for (byte[] b : values) {
          Wire.writeBytes(o, b);
        }
      }
    });
  }

  private static Throwable unsendable(Object v, Throwable e) {
    String type = v == null || v == NULL_VALUE ? "null" : v.getClass().getName();
    if (e instanceof OutOfMemoryError) {
      return new IOException("the worker ran out of memory while encoding the result (a "
          + type + ") to send it back; its heap is " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MB: return something smaller, reduce it in a further task, or give the workers"
          + " more heap (tessera-worker --heap 8g)", e);
    }
    return new java.io.NotSerializableException("the result (a " + type + ") cannot be"
        + " encoded to send it to another node: " + e + "; return a serializable value,"
        + " register a Codec for " + type + ", or use a threaded scheduler");
  }

  @Override
  public void close() {
    closed = true;
    ignite.message().stopLocalListen(Wire.TO_WORKER, listener);
    ignite.events().stopLocalListen(leaves);
    for (Runner r : runners) {
      r.interrupt();
    }
    for (Session s : sessions.values()) {
      s.closeEngine();
    }
    sender.close();
    sessions.clear();
  }
}
