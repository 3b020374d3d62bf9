package dev.tessera.schedulers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Direct connections between the engines of two worker JVMs, the worker's side: messages from
 * one engine to another go over a loopback socket between the two workers (one hop) instead of
 * through the parent (two hops).
 *
 * <p>How a link is made: the first message from engine A to engine B asks the parent where B
 * listens ({@code PEER_ASK}); the parent asks B's worker ({@code PEER_LISTEN}), which opens its
 * listener on 127.0.0.1 (port 0, once, only when messages are used) with a secret of its own
 * and answers with both ({@code PEER_OPEN}); the parent hands them to A ({@code PEER_AT}).
 * A connects, presents the secret and its engine id; B refuses a connection whose secret is
 * wrong, so that nothing reachable on loopback takes unauthenticated messages. A's first message
 * waits for this exchange (a few round trips on loopback), so all of A's messages to B travel
 * one way and keep their order. When there is no link (the parent says no, the exchange takes
 * longer than {@link #SETUP_NANOS}, or the link breaks), messages are relayed by the parent as
 * before.
 *
 * <p>Threads: the engine's thread writes to the links (one at a time per link); one accept
 * thread and one reader thread per incoming link put what arrives into the engine's inbox.
 */
final class EnginePeers {
  /** How long a first message waits for its link before it is relayed instead. */
  static final long SETUP_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** The first byte of a link: what a peer sends before its secret. */
  static final byte PEER_HELLO = 0x50;

  /** Where the messages that arrive on a link go: the engine's inbox. */
  interface Inbox {
    void add(int from, int tag, byte[] value);
  }

  private final DataOutputStream parent;
  private final Inbox inbox;
  /** The links to other engines by engine id; a null link means "use the relay". */
  private final Map<Integer, CompletableFuture<Link>> links = new ConcurrentHashMap<>();
  /** This worker's engine id, the sender of every message on its links. */
  private volatile int self = -1;
  private ServerSocket listener; // guarded by this
  private String secret; // guarded by this

  /** An outgoing link to one engine's worker. */
  static final class Link {
    private final Socket socket;
    private final DataOutputStream out;

    Link(Socket socket) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(),
          1 << 16));
    }

    synchronized void write(int tag, byte[] value) throws IOException {
      out.writeInt(tag);
      Protocol.writeBytes(out, value);
      out.flush();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  EnginePeers(DataOutputStream parent, Inbox inbox) {
    this.parent = parent;
    this.inbox = inbox;
  }

  /**
   * Sends one message to engine {@code to} over its link; false if there is none (the caller
   * relays it through the parent).
   */
  boolean send(int from, int to, int tag, byte[] value) {
    self = from;
    CompletableFuture<Link> f = links.get(to);
    if (f == null) {
      CompletableFuture<Link> mine = new CompletableFuture<>();
      f = links.putIfAbsent(to, mine);
      if (f == null) {
        f = mine;
        ask(to);
      }
    }
    Link link;
    try {
      link = f.get(SETUP_NANOS, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      links.replace(to, f, CompletableFuture.completedFuture(null)); // relay from now on
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (link == null) {
      return false;
    }
    try {
      link.write(tag, value);
      return true;
    } catch (IOException e) {
      // B's worker died or the link broke: ask again next time (B may have been replaced)
      link.close();
      links.remove(to, f);
      return false;
    }
  }

  private void ask(int to) {
    try {
      synchronized (parent) {
        parent.writeByte(Protocol.PEER_ASK);
        parent.writeInt(to);
        parent.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4); // the parent is gone
    }
  }

  /** The parent's answer to a {@code PEER_ASK}, on the reader thread: connect (off it). */
  void at(int to, int port, String theirSecret) {
    int from = self;
    CompletableFuture<Link> f = links.get(to);
    if (f == null || f.isDone()) {
      return;
    }
    if (port < 0) {
      f.complete(null);
      return;
    }
    Thread t = new Thread(() -> {
      try {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        Link link = new Link(s);
        synchronized (link) {
          link.out.writeByte(PEER_HELLO);
          link.out.writeUTF(theirSecret);
          link.out.writeInt(from);
          link.out.flush();
        }
        f.complete(link);
      } catch (IOException e) {
        f.complete(null); // relay
      }
    }, "tessera-engine-link-" + to);
    t.setDaemon(true);
    t.start();
  }

  /**
   * The parent asks where this worker listens, on the reader thread: opens the listener once
   * and answers {@code PEER_OPEN port secret} (port -1 if it cannot listen).
   */
  void listen() {
    int port;
    String s;
    synchronized (this) {
      if (listener == null) {
        try {
          byte[] bytes = new byte[16];
          new SecureRandom().nextBytes(bytes);
          secret = HexFormat.of().formatHex(bytes);
          listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
          Thread t = new Thread(this::acceptLoop, "tessera-engine-listener");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          listener = null;
        }
      }
      port = listener == null ? -1 : listener.getLocalPort();
      s = secret == null ? "" : secret;
    }
    try {
      synchronized (parent) {
        parent.writeByte(Protocol.PEER_OPEN);
        parent.writeInt(port);
        parent.writeUTF(s);
        parent.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4);
    }
  }

  private void acceptLoop() {
    ServerSocket server;
    synchronized (this) {
      server = listener;
    }
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> readLink(s), "tessera-engine-link-reader");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Reads one incoming link: the handshake, then messages into the inbox until it ends. */
  private void readLink(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000); // a peer that connects and says nothing is dropped
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(),
          1 << 16));
      if (in.readByte() != PEER_HELLO) {
        return;
      }
      String theirs = in.readUTF();
      String mine;
      synchronized (this) {
        mine = secret;
      }
      if (!MessageDigest.isEqual(theirs.getBytes(StandardCharsets.UTF_8),
          mine.getBytes(StandardCharsets.UTF_8))) {
        return; // refused: not one of this pool's engines
      }
      int from = in.readInt();
      s.setSoTimeout(0);
      while (true) {
        int tag = in.readInt();
        byte[] value = Protocol.readBytes(in);
        inbox.add(from, tag, value);
      }
    } catch (IOException e) {
      // the peer closed the link or died, perhaps in the middle of a message, which is then
      // dropped; its engine's death fails its calls, and an MPI group wakes its other ranks
    }
  }

  /**
   * Engine {@code to}'s worker died, on the reader thread: its link is dropped before any later
   * call arrives (the first write into a dead peer's socket may seem to succeed, and a message
   * to its replacement would be lost), and the next message asks where the replacement
   * listens.
   */
  void gone(int to) {
    CompletableFuture<Link> f = links.remove(to);
    if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
      Link l = f.join();
      if (l != null) {
        l.close();
      }
    }
  }

  /** {@return the port this worker listens on for its peers, or -1 while it does not} */
  synchronized int port() {
    return listener == null ? -1 : listener.getLocalPort();
  }
}
