package dev.tessera.schedulers;

import dev.tessera.graph.spi.EngineContext;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.EngineMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The engine of one worker JVM (see {@link ProcessEngines} for the parent's side): a thread of
 * its own, beside the task runner, that runs the engine calls one at a time in arrival order,
 * with a namespace that lives as long as the worker and an inbox of messages from other
 * engines, sent over direct links between workers ({@link EnginePeers}) or relayed by the
 * parent. The reader thread only queues what arrives; functions and
 * messages are decoded on the engine's thread, which may ask the parent for classes.
 */
final class WorkerEngine {
  private final DataOutputStream out;
  private final Codecs codecs;
  private final ClassLoader classes;
  private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Raw> inbox = new LinkedBlockingQueue<>();
  private final Map<String, Object> namespace = new ConcurrentHashMap<>();
  private Thread lane; // started on the first call, by the reader thread only
  /** Direct links to the other workers' engines, made when messages are first sent. */
  private final EnginePeers peers;

  private record Call(long id, int engine, int count, String name, byte[] fn) {}

  private record Raw(int from, int tag, byte[] value) {}

  WorkerEngine(DataOutputStream out, Codecs codecs, ClassLoader classes) {
    this.out = out;
    this.codecs = codecs;
    this.classes = classes;
    this.peers = new EnginePeers(out, (from, tag, value) -> inbox.add(new Raw(from, tag,
        value)));
  }

  /** Reads one engine message from the parent, on the reader thread; queues it. */
  void read(byte type, DataInputStream in) throws IOException {
    if (type == Protocol.PEER_LISTEN) {
      peers.listen();
      return;
    }
    if (type == Protocol.PEER_GONE) {
      peers.gone(in.readInt());
      return;
    }
    if (type == Protocol.PEER_AT) {
      peers.at(in.readInt(), in.readInt(), in.readUTF());
      return;
    }
    if (type == Protocol.ENGINE_CALL) {
      calls.add(new Call(in.readLong(), in.readInt(), in.readInt(), in.readUTF(),
          Protocol.readBytes(in)));
      if (lane == null) {
        lane = new Thread(this::laneLoop, "tessera-engine");
        lane.setContextClassLoader(classes);
        lane.setDaemon(true);
        lane.start();
      }
    } else {
      inbox.add(new Raw(in.readInt(), in.readInt(), Protocol.readBytes(in)));
    }
  }

  private void laneLoop() {
    while (true) {
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
      EngineFunction<?> fn = (EngineFunction<?>) codecs.decodeJava(call.fn());
      result = fn.apply(new Context(call));
    } catch (Throwable e) {
      fail(call.id(), e);
      return;
    }
    byte[] bytes;
    try {
      bytes = codecs.encode(result);
    } catch (Throwable e) {
      String type = result == null ? "null" : result.getClass().getName();
      fail(call.id(), new java.io.NotSerializableException("the result of the call on "
          + call.name() + " (a " + type + ") cannot be encoded to send it back: " + e
          + "; return a serializable value, register a Codec for " + type
          + ", or keep it in the engine's namespace"));
      return;
    }
    try {
      synchronized (out) {
        out.writeByte(Protocol.ENGINE_DONE);
        out.writeLong(call.id());
        Protocol.writeBytes(out, bytes);
        out.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4); // the parent is gone
    }
  }

  private void fail(long id, Throwable e) {
    try {
      byte[] error = errorBytes(e);
      synchronized (out) {
        out.writeByte(Protocol.ENGINE_FAILED);
        out.writeLong(id);
        Protocol.writeBytes(out, error);
        out.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4);
    }
  }

  /** The exception serialized, or its class, message and trace when it does not serialize. */
  static byte[] errorBytes(Throwable e) throws IOException {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ObjectOutputStream o = new ObjectOutputStream(b)) {
        o.writeObject(e);
      }
      return b.toByteArray();
    } catch (IOException | RuntimeException notSerializable) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ObjectOutputStream o = new ObjectOutputStream(b)) {
        o.writeObject(new RemoteTaskException(e.getClass().getName(), e.getMessage(),
            trace.toString()));
      }
      return b.toByteArray();
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
        bytes = codecs.encode(value);
      } catch (IOException e) {
        throw new IllegalArgumentException("the message to engine " + engine + " (a "
            + value.getClass().getName() + ") cannot be encoded: " + e, e);
      }
      if (engine == call.engine()) {
        inbox.add(new Raw(engine, tag, bytes));
        return;
      }
      if (peers.send(call.engine(), engine, tag, bytes)) {
        return;
      }
      try {
        synchronized (out) {
          out.writeByte(Protocol.ENGINE_SEND);
          out.writeInt(call.engine());
          out.writeInt(engine);
          out.writeInt(tag);
          Protocol.writeBytes(out, bytes);
          out.flush();
        }
      } catch (IOException gone) {
        Runtime.getRuntime().halt(4);
      }
    }

    @Override
    public EngineMessage receive(Duration timeout) throws InterruptedException {
      Objects.requireNonNull(timeout, "timeout");
      Raw raw = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (raw == null) {
        return null;
      }
      try {
        return new EngineMessage(raw.from(), raw.tag(), codecs.decode(raw.value()));
      } catch (IOException e) {
        throw new IllegalStateException("a message from engine " + raw.from() + " to "
            + call.name() + " cannot be decoded: " + e, e);
      }
    }
  }
}
