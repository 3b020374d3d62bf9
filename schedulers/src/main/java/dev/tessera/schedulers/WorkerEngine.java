package dev.tessera.schedulers;

import dev.tessera.schedulers.engine.EngineHost;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The engine of one worker JVM (see {@link ProcessEngines} for the parent's side): the
 * transport-free {@link EngineHost} (calls one at a time in arrival order on a thread of its
 * own, the namespace, the inbox) on this worker's connection. The reader thread only queues
 * what arrives; functions and messages are decoded on the engine's thread, which may ask the
 * parent for classes. Messages to other engines go over direct links between workers
 * ({@link EnginePeers}) when one can be made, else they are relayed by the parent.
 */
final class WorkerEngine implements EngineHost.Replies {
  private final DataOutputStream out;
  private final EngineHost host;
  /** Direct links to the other workers' engines, made when messages are first sent. */
  private final EnginePeers peers;

  WorkerEngine(DataOutputStream out, Codecs codecs, ClassLoader classes) {
    this.out = out;
    this.host = new EngineHost("tessera-engine", codecs, codecs::decodeJava, classes, this);
    this.peers = new EnginePeers(out, host::message);
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
      host.readCall(in);
    } else {
      host.readMessage(in);
    }
  }

  @Override
  public void done(long id, byte[] value) {
    write(o -> {
      o.writeByte(Protocol.ENGINE_DONE);
      o.writeLong(id);
      Protocol.writeBytes(o, value);
    });
  }

  @Override
  public void failed(long id, Throwable e) {
    byte[] error;
    try {
      error = errorBytes(e);
    } catch (IOException notEncoded) {
      Runtime.getRuntime().halt(4);
      return;
    }
    write(o -> {
      o.writeByte(Protocol.ENGINE_FAILED);
      o.writeLong(id);
      Protocol.writeBytes(o, error);
    });
  }

  @Override
  public void send(int from, int to, int tag, byte[] value) {
    if (peers.send(from, to, tag, value)) {
      return;
    }
    write(o -> {
      o.writeByte(Protocol.ENGINE_SEND);
      o.writeInt(from);
      o.writeInt(to);
      o.writeInt(tag);
      Protocol.writeBytes(o, value);
    });
  }

  private interface Body {
    void write(DataOutputStream o) throws IOException;
  }

  private void write(Body body) {
    try {
      synchronized (out) {
        body.write(out);
        out.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4); // the parent is gone
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
}
