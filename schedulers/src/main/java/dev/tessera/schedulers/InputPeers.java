package dev.tessera.schedulers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Task inputs that travel from one worker JVM straight to another, the worker's side: the
 * parent tells worker B that an input of a task it will run is held by worker A ({@code PULL
 * id port fromId}); B connects to A's listener, presents the pool's secret and the id, reads
 * the encoded value, keeps it under its own id (decoded later by the task runner, as an input
 * sent along with a task) and answers {@code PULLED} or {@code PULL_FAILED}. The bytes never
 * pass through the parent.
 *
 * <p>The listener is on loopback, opened when the parent sends the pool's secret (its first
 * message, unless the pool relays every input: {@code -Dtessera.taskInputs=relay}); a
 * connection that does not present the secret is refused. One connection per value:
 * connecting on loopback costs far less than the values worth pulling (small ones still go
 * through the parent, see {@link ProcessScheduler}).
 *
 * <p>Every pull is answered once, in a bounded time: connecting waits at most
 * {@link #CONNECT_MILLIS}, each read at most {@link #READ_MILLIS}, and when the parent says
 * that a worker died ({@code PULL_GONE port}) the pulls from it are failed at once. Threads:
 * one accept thread, one thread per connection served, and a pool of threads that pull.
 */
final class InputPeers {
  /** What a puller sends first: this byte, the secret (UTF) and the id (long). */
  static final byte ASK = 0x49;
  static final byte VALUE = 0;
  static final byte NOT_HELD = 1;
  static final byte REFUSED = 2;
  static final byte CANNOT = 3;
  /** How long a pull waits for a connection. */
  static final int CONNECT_MILLIS = 5_000;
  /** How long either side waits on a silent connection. */
  static final int READ_MILLIS = 10_000;
  /**
   * For tests of the fault paths only: how long a worker waits before it answers a pull
   * (a window in which a test kills one side).
   */
  private static final long SERVE_DELAY_MILLIS = Long.getLong("tessera.test.inputServeDelayMillis",
      0);

  /** The worker's values, as the listener and the pullers see them. */
  interface Store {
    /**
     * {@return the encoded value held under id, or null if none}
     *
     * @throws Exception if it cannot be encoded; the message says why
     */
    byte[] encoded(long id) throws Exception;

    /**
     * Keeps a pulled value under id, still encoded, in place of any value held under it (as
     * a value sent along with a task replaces one: a copy left from an earlier pull of a
     * result since computed again is stale).
     */
    void keep(long id, byte[] bytes);
  }

  private final DataOutputStream parent;
  private final Store store;
  /** The pool's secret, set once by the parent; null until then (everything is refused). */
  private volatile String secret;
  private ServerSocket server; // guarded by this
  /** Pulls in flight, by id: true once the id was released (the value is dropped on arrival). */
  private final Map<Long, Boolean> inFlight = new ConcurrentHashMap<>();
  /** Open pull connections, with the port each goes to (closed when that worker died). */
  private final Map<Socket, Integer> open = new ConcurrentHashMap<>();
  private final ExecutorService pullers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tessera-input-puller");
    t.setDaemon(true);
    return t;
  });

  InputPeers(DataOutputStream parent, Store store) {
    this.parent = parent;
    this.store = store;
  }

  /** The parent's {@code INPUTS_SECRET}: opens the listener, answers {@code INPUTS_AT port}. */
  void open(String poolSecret) {
    int port;
    synchronized (this) {
      secret = poolSecret;
      if (server == null) {
        try {
          server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
          Thread t = new Thread(this::acceptLoop, "tessera-input-listener");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          server = null;
        }
      }
      port = server == null ? -1 : server.getLocalPort();
    }
    toParent(o -> {
      o.writeByte(Protocol.INPUTS_AT);
      o.writeInt(port);
    });
  }

  private void acceptLoop() {
    ServerSocket s;
    synchronized (this) {
      s = server;
    }
    while (!s.isClosed()) {
      Socket c;
      try {
        c = s.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> serve(c), "tessera-input-server");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Answers one pull from a peer: the value, "not held", "refused" or why it cannot. */
  private void serve(Socket c) {
    try (c) {
      c.setSoTimeout(READ_MILLIS);
      c.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(c.getInputStream()));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(c.getOutputStream(),
          1 << 16));
      if (in.readByte() != ASK) {
        return;
      }
      // the secret first: nothing else is read from, or said to, a peer that lacks it
      String theirs = in.readUTF();
      String mine = secret;
      if (mine == null || !MessageDigest.isEqual(theirs.getBytes(StandardCharsets.UTF_8),
          mine.getBytes(StandardCharsets.UTF_8))) {
        out.writeByte(REFUSED); // not one of this pool's workers
        out.flush();
        return;
      }
      long id = in.readLong();
      if (SERVE_DELAY_MILLIS > 0) {
        Thread.sleep(SERVE_DELAY_MILLIS);
      }
      byte[] bytes;
      try {
        bytes = store.encoded(id);
      } catch (Throwable e) {
        out.writeByte(CANNOT);
        out.writeUTF(String.valueOf(e.getMessage()));
        out.flush();
        return;
      }
      if (bytes == null) {
        out.writeByte(NOT_HELD);
      } else {
        out.writeByte(VALUE);
        Protocol.writeBytes(out, bytes);
      }
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the puller died or gave up: it answers the parent itself
    }
  }

  /** The parent's {@code PULL}: fetch {@code fromId} from the worker on {@code port}. */
  void pull(long id, int port, long fromId) {
    inFlight.put(id, false);
    Socket s = new Socket();
    open.put(s, port); // now, so that a PULL_GONE read after this PULL finds it
    try {
      pullers.execute(() -> fetch(s, id, port, fromId));
    } catch (RuntimeException e) {
      open.remove(s);
      failed(id, false, "cannot start a pull: " + e);
    }
  }

  private void fetch(Socket s, long id, int port, long fromId) {
    try {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_MILLIS);
      s.setSoTimeout(READ_MILLIS);
      s.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      out.writeByte(ASK);
      out.writeUTF(secret == null ? "" : secret);
      out.writeLong(fromId);
      out.flush();
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(),
          1 << 16));
      byte status = in.readByte();
      switch (status) {
        case VALUE: {
          byte[] bytes = Protocol.readBytes(in);
          inFlight.compute(id, (k, released) -> {
            if (released == null || !released) {
              store.keep(id, bytes);
            }
            return null;
          });
          toParent(o -> {
            o.writeByte(Protocol.PULLED);
            o.writeLong(id);
            o.writeLong(bytes.length);
          });
          return;
        }
        case NOT_HELD:
          failed(id, true, "not held by the worker on port " + port);
          return;
        case REFUSED:
          failed(id, false, "refused by the worker on port " + port + " (wrong secret)");
          return;
        case CANNOT:
          failed(id, false, "the worker on port " + port + " cannot send it: " + in.readUTF());
          return;
        default:
          failed(id, false, "unknown answer " + status + " from the worker on port " + port);
      }
    } catch (Throwable e) { // IOException (timeouts, PULL_GONE), OutOfMemoryError...
      failed(id, false, "from the worker on port " + port + ": " + e); // answered all the same
    } finally {
      open.remove(s);
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void failed(long id, boolean notHeld, String why) {
    inFlight.remove(id);
    toParent(o -> {
      o.writeByte(Protocol.PULL_FAILED);
      o.writeLong(id);
      o.writeBoolean(notHeld);
      o.writeUTF(why.length() > 1000 ? why.substring(0, 1000) : why);
    });
  }

  /** The id was released: a value still on its way is dropped when it arrives. */
  void released(long id) {
    inFlight.computeIfPresent(id, (k, v) -> true);
  }

  /** The parent's {@code PULL_GONE}: the worker on {@code port} died; fail its pulls now. */
  void gone(int port) {
    for (Map.Entry<Socket, Integer> e : open.entrySet()) {
      if (e.getValue() == port) {
        try {
          e.getKey().close(); // the pull's read fails: it answers PULL_FAILED
        } catch (IOException x) {
          // closed anyway
        }
      }
    }
  }

  private interface Body {
    void write(DataOutputStream o) throws IOException;
  }

  private void toParent(Body b) {
    try {
      synchronized (parent) {
        b.write(parent);
        parent.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4); // the parent is gone
    }
  }
}
