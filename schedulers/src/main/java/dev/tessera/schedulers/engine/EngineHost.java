package dev.tessera.schedulers.engine;

import dev.tessera.graph.spi.EngineContext;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.EngineMessage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The worker side of one engine (see {@link dev.tessera.graph.spi.Engines}), for any
 * transport: a thread of its own, beside the task runners, that runs the engine calls one at a
 * time in arrival order, a namespace that lives as long as this host, and an inbox of messages
 * from other engines. The transport's reading thread only queues what arrives ({@link #call},
 * {@link #message}, or {@link #readCall} / {@link #readMessage} for the two messages in their
 * wire layout); functions and messages are decoded on the engine's thread, which may ask the
 * caller for classes. What the engine answers goes out through the transport's {@link Replies}.
 *
 * <p>The worker JVMs' transport ({@code WorkerEngine}) and the Ignite cluster's use it; both
 * write the parent-to-worker messages with {@link #writeCall} and {@link #writeMessage}:
 *
 * <pre>
 * ENGINE_CALL    id:long engine:int count:int name:UTF fn:bytes
 * ENGINE_MESSAGE from:int tag:int value:bytes       (into the engine's inbox)
 * </pre>
 *
 * where {@code bytes} is a length ({@code int}) and that many bytes. Thread-safe.
 */
public final class EngineHost implements AutoCloseable {
  /** Decodes an engine call's function (serialized by the caller). */
  @FunctionalInterface
  public interface Functions {
    /**
     * Decodes a function.
     *
     * @param bytes what the caller serialized
     * @return the function
     * @throws IOException if the bytes are corrupt or name a class not found here
     */
    Object decode(byte[] bytes) throws IOException;
  }

  /**
   * What the engine sends back, written by the transport; each method is called on the
   * engine's thread and returns once the answer is queued. A transport whose caller is gone
   * drops it (or ends the worker).
   */
  public interface Replies {
    /**
     * A call finished.
     *
     * @param id the call's id
     * @param value its result, encoded
     */
    void done(long id, byte[] value);

    /**
     * A call failed.
     *
     * @param id the call's id
     * @param error its exception, for the transport to encode
     */
    void failed(long id, Throwable error);

    /**
     * A message for another engine, to relay.
     *
     * @param from the sending engine
     * @param to the receiving engine
     * @param tag the sender's tag
     * @param value the message, encoded
     */
    void send(int from, int to, int tag, byte[] value);
  }

  private final String threadName;
  private final Encoding values;
  private final Functions functions;
  private final ClassLoader classes;
  private final Replies replies;
  private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Raw> inbox = new LinkedBlockingQueue<>();
  private final Map<String, Object> namespace = new ConcurrentHashMap<>();
  /** Started on the first call. Guarded by this. */
  private Thread lane;
  private volatile boolean closed;

  private record Call(long id, int engine, int count, String name, byte[] fn) {}

  private record Raw(int from, int tag, byte[] value) {}

  /**
   * Creates the host; its thread starts with the first call.
   *
   * @param threadName the name of the engine's thread
   * @param values the codecs of results and messages
   * @param functions how to decode a call's function
   * @param classes the engine thread's context class loader
   * @param replies where the answers go
   */
  public EngineHost(String threadName, Encoding values, Functions functions,
      ClassLoader classes, Replies replies) {
    this.threadName = Objects.requireNonNull(threadName, "threadName");
    this.values = Objects.requireNonNull(values, "values");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.classes = Objects.requireNonNull(classes, "classes");
    this.replies = Objects.requireNonNull(replies, "replies");
  }

  /**
   * Queues a call, after those already queued.
   *
   * @param id the caller's id of the call
   * @param engine this engine's id
   * @param count how many engines there are
   * @param name this engine's name
   * @param fn the serialized {@link EngineFunction}
   */
  public void call(long id, int engine, int count, String name, byte[] fn) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fn, "fn");
    calls.add(new Call(id, engine, count, name, fn));
    synchronized (this) {
      if (lane == null && !closed) {
        lane = new Thread(this::laneLoop, threadName);
        lane.setContextClassLoader(classes);
        lane.setDaemon(true);
        lane.start();
      }
    }
  }

  /**
   * Puts a message into the inbox.
   *
   * @param from the sending engine, or {@link dev.tessera.graph.spi.Engines#OUTSIDE}
   * @param tag the sender's tag
   * @param value the message, encoded
   */
  public void message(int from, int tag, byte[] value) {
    Objects.requireNonNull(value, "value");
    inbox.add(new Raw(from, tag, value));
  }

  /**
   * Reads the fields of an {@code ENGINE_CALL} (after its type byte) and queues the call.
   *
   * @param in the message
   * @throws IOException if it is corrupt
   */
  public void readCall(DataInputStream in) throws IOException {
    call(in.readLong(), in.readInt(), in.readInt(), in.readUTF(), readBytes(in));
  }

  /**
   * Reads the fields of an {@code ENGINE_MESSAGE} (after its type byte) into the inbox.
   *
   * @param in the message
   * @throws IOException if it is corrupt
   */
  public void readMessage(DataInputStream in) throws IOException {
    message(in.readInt(), in.readInt(), readBytes(in));
  }

  /**
   * Writes the fields of an {@code ENGINE_CALL}, after the transport's type byte.
   *
   * @param out the message
   * @param id the call's id
   * @param engine the engine's id
   * @param count how many engines there are
   * @param name the engine's name
   * @param fn the serialized function
   * @throws IOException if the stream fails
   */
  public static void writeCall(DataOutputStream out, long id, int engine, int count,
      String name, byte[] fn) throws IOException {
    out.writeLong(id);
    out.writeInt(engine);
    out.writeInt(count);
    out.writeUTF(name);
    writeBytes(out, fn);
  }

  /**
   * Writes the fields of an {@code ENGINE_MESSAGE}, after the transport's type byte.
   *
   * @param out the message
   * @param from the sending engine
   * @param tag the sender's tag
   * @param value the encoded message
   * @throws IOException if the stream fails
   */
  public static void writeMessage(DataOutputStream out, int from, int tag, byte[] value)
      throws IOException {
    out.writeInt(from);
    out.writeInt(tag);
    writeBytes(out, value);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("corrupt message: negative length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /**
   * Stops the engine's thread (interrupting a running call) and drops the queued calls, the
   * inbox and the namespace: for a transport whose caller went away. Idempotent.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = lane;
    }
    calls.clear();
    inbox.clear();
    namespace.clear();
    if (t != null) {
      t.interrupt();
    }
  }

  private void laneLoop() {
    while (!closed) {
      Call call;
      try {
        call = calls.take();
      } catch (InterruptedException e) {
        continue;
      }
      run(call);
      Thread.interrupted();
    }
  }

  private void run(Call call) {
    Object result;
    try {
      EngineFunction<?> fn = (EngineFunction<?>) functions.decode(call.fn());
      result = fn.apply(new Context(call));
    } catch (Throwable e) {
      if (!closed) {
        replies.failed(call.id(), e);
      }
      return;
    }
    byte[] bytes;
    try {
      bytes = values.encode(result);
    } catch (Throwable e) {
      String type = result == null ? "null" : result.getClass().getName();
      replies.failed(call.id(), new java.io.NotSerializableException("the result of the call"
          + " on " + call.name() + " (a " + type + ") cannot be encoded to send it back: " + e
          + "; return a serializable value, register a Codec for " + type
          + ", or keep it in the engine's namespace"));
      return;
    }
    if (!closed) {
      replies.done(call.id(), bytes);
    }
  }

  /** What one call's function sees. */
  private final class Context implements EngineContext {
    private final Call call;

    Context(Call call) {
      this.call = call;
    }

    @Override
    public int engine() {
      return call.engine();
    }

    @Override
    public int count() {
      return call.count();
    }

    @Override
    public String name() {
      return call.name();
    }

    @Override
    public Map<String, Object> namespace() {
      return namespace;
    }

    @Override
    public void send(int engine, int tag, Object value) {
      if (engine < 0 || engine >= call.count()) {
        throw new IndexOutOfBoundsException("no engine " + engine + ": there are "
            + call.count() + " engines, 0 to " + (call.count() - 1));
      }
      byte[] bytes;
      try {
        bytes = values.encode(value);
      } catch (IOException e) {
        throw new IllegalArgumentException("the message to engine " + engine + " (a "
            + value.getClass().getName() + ") cannot be encoded: " + e, e);
      }
      if (engine == call.engine()) {
        inbox.add(new Raw(engine, tag, bytes));
        return;
      }
      replies.send(call.engine(), engine, tag, bytes);
    }

    @Override
    public EngineMessage receive(Duration timeout) throws InterruptedException {
      Objects.requireNonNull(timeout, "timeout");
      Raw raw = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (raw == null) {
        return null;
      }
      try {
        return new EngineMessage(raw.from(), raw.tag(), values.decode(raw.value()));
      } catch (IOException e) {
        throw new IllegalStateException("a message from engine " + raw.from() + " to "
            + call.name() + " cannot be decoded: " + e, e);
      }
    }
  }
}
