package dev.tessera.schedulers;

import dev.tessera.schedulers.engine.WorkerEndpoint;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent's side of one worker JVM, as the engine's {@link WorkerEndpoint}: the process, its
 * connection, a thread that reads its messages and hands them to a {@link Listener}, a thread
 * that writes the queued messages to it, and two threads that copy its stdout and stderr to ours, each line prefixed with the
 * worker's name.
 */
final class WorkerHandle implements WorkerEndpoint {
  /** Receives a worker's messages, on the worker's reader thread. */
  interface Listener {
    void done(WorkerHandle w, long id, long nanos, long size, byte[] small);

    void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs);

    void data(WorkerHandle w, long id, byte[] bytes);

    /**
     * The value of a FETCH cannot reach this JVM: the worker could not encode it, or it is
     * larger than this JVM can take. {@code error} says why and what to do.
     */
    void unsendable(WorkerHandle w, long id, Throwable error);

    void died(WorkerHandle w, String why);

    /** The answer to a STATS. */
    void stats(WorkerHandle w, WorkerStats stats);

    /** The answer to a COUNT: how many values the worker holds. */
    void counted(WorkerHandle w, int n);

    /** The answer to a PULL: the worker holds the value now. */
    void pulled(WorkerHandle w, long id, long bytes);

    /** The answer to a PULL: the value did not arrive. */
    void pullFailed(WorkerHandle w, long id, boolean notHeld, String why);
  }

  final int index;
  final String name;
  final Process process;
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;
  private volatile boolean closing;
  /** Receives this worker's engine messages; set before {@link #start}. */
  volatile ProcessEngines engines;

  /** The largest value this JVM accepts from a worker, in bytes. */
  private final long maxValueBytes;
  /** Where the worker listens for its peers' pulls, once it said so; -1 before or if never. */
  private volatile int inputPort = -1;
  /** Inputs at least this large (as measured) are pulled by workers from workers. */
  private final long minPullBytes;

  WorkerHandle(int index, Process process, Socket socket, long maxValueBytes, long minPullBytes)
      throws IOException {
    this.index = index;
    this.maxValueBytes = maxValueBytes;
    this.minPullBytes = minPullBytes;
    this.process = process;
    this.name = "worker-" + index + " (pid " + process.pid() + ")";
    this.socket = socket;
    socket.setTcpNoDelay(true);
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
  }

  /** Starts relaying output and reading messages. */
  void start(Listener listener) {
    relay(process.getInputStream(), System.out, "stdout");
    relay(process.getErrorStream(), System.err, "stderr");
    Thread reader = new Thread(() -> readLoop(listener), "tessera-worker-" + index + "-reader");
    reader.setDaemon(true);
    reader.start();
    Thread writer = new Thread(this::writeLoop, "tessera-worker-" + index + "-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private void relay(InputStream from, PrintStream to, String what) {
    String prefix = "[worker-" + index + "] ";
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(from,
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          to.println(prefix + line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "tessera-worker-" + index + "-" + what);
    t.setDaemon(true);
    t.start();
  }

  private void readLoop(Listener listener) {
    READER.set(true);
    try {
      while (true) {
        byte type = in.readByte();
        switch (type) {
          case Protocol.DONE: {
            long id = in.readLong();
            long nanos = in.readLong();
            long size = in.readLong();
            byte[] small = in.readBoolean() ? Protocol.readBytes(in) : null;
            listener.done(this, id, nanos, size, small);
            break;
          }
          case Protocol.FAILED: {
            long id = in.readLong();
            byte[] error = Protocol.readBytes(in);
            listener.failed(this, id, error, FailedInputs.read(in));
            break;
          }
          case Protocol.DATA: {
            long id = in.readLong();
            byte[] value = readValue(id);
            if (value != null) {
              listener.data(this, id, value);
            } else {
              listener.unsendable(this, id, tooLarge);
            }
            break;
          }
          case Protocol.STATS_REPLY:
            listener.stats(this, new WorkerStats(process.pid(), in.readLong(), in.readLong(),
                in.readLong(), in.readInt(), in.readLong()));
            break;
          case Protocol.COUNTED:
            listener.counted(this, in.readInt());
            break;
          case Protocol.UNSENDABLE: {
            long id = in.readLong();
            listener.unsendable(this, id, ProcessScheduler.decodeError(Protocol.readBytes(in)));
            break;
          }
          case Protocol.INPUTS_AT:
            inputPort = in.readInt();
            break;
          case Protocol.PULLED: {
            long id = in.readLong();
            listener.pulled(this, id, in.readLong());
            break;
          }
          case Protocol.PULL_FAILED: {
            long id = in.readLong();
            boolean notHeld = in.readBoolean();
            listener.pullFailed(this, id, notHeld, in.readUTF());
            break;
          }
          case Protocol.CLASS_REQUEST:
            CallerClasses.answer(this, in.readUTF());
            break;
          case Protocol.ENGINE_DONE:
          case Protocol.ENGINE_FAILED:
          case Protocol.ENGINE_SEND:
          case Protocol.PEER_ASK:
          case Protocol.ENGINE_FORWARD:
          case Protocol.PEER_OPEN:
            engines.read(this, type, in);
            break;
          default:
            throw new IOException("unknown message type " + type + " from " + name);
        }
      }
    } catch (Throwable e) {
      // Whatever stops this thread (a broken connection, a bug, an Error in a listener) must
      // end in a death event: a reader that dies silently leaves computations waiting forever.
      if (!closing) {
        String why;
        try {
          why = process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)
              ? "exited with code " + process.exitValue() : "connection lost: " + e;
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          why = "connection lost: " + e;
        }
        process.destroyForcibly();
        listener.died(this, why);
      }
    }
  }

  private Throwable tooLarge;

  /**
   * Reads a DATA value, or skips it and returns null (with {@link #tooLarge} set) when it is
   * larger than this JVM can hold: the connection stays in step and the reader alive.
   */
  private byte[] readValue(long id) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("corrupt message: negative length " + n);
    }
    String fix = ": reduce it in a task before computing it (for example a sum or a sample),"
        + " persist it and compute smaller pieces, or give this JVM more heap (-Xmx)";
    if (n > maxValueBytes) {
      in.skipNBytes(n);
      tooLarge = new OutOfMemoryError("the result is " + mb(n) + " MB, more than the "
          + mb(maxValueBytes) + " MB this JVM accepts from a worker" + fix);
      return null;
    }
    byte[] b;
    try {
      b = new byte[n];
    } catch (OutOfMemoryError e) {
      in.skipNBytes(n);
      tooLarge = new OutOfMemoryError("the result is " + mb(n) + " MB, more than this JVM's"
          + " heap can take now (max " + mb(Runtime.getRuntime().maxMemory()) + " MB)" + fix);
      return null;
    }
    in.readFully(b);
    return b;
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  /**
   * Queues a message written by {@code body}; thread-safe and never blocks on the socket, so
   * that a thread reading one worker's messages can never wait on another's full buffer.
   *
   * @throws IOException if the worker's connection already failed
   */
  void send(IoBody body) throws IOException {
    if (writeError != null) {
      throw writeError;
    }
    enqueue(body);
  }

  private void enqueue(IoBody body) {
    synchronized (outbox) {
      outbox.addLast(body);
      if (outbox.size() == 1) {
        outbox.notify(); // the writer waits only while it is empty
      }
    }
  }

  /**
   * Writes a message on the calling thread, after everything queued before it, when that
   * cannot deadlock: the caller is not a thread that reads a worker's messages (those only
   * queue, see {@link #send}), and no other thread is writing to this worker right now
   * (else it is queued). Saves a hand-off to the writer thread, tens of microseconds of a
   * round trip on a small machine. Called without any engine lock held: it may wait while
   * the worker's socket buffer is full, and the worker always reads.
   *
   * @throws IOException if the worker's connection failed
   */
  void sendNow(IoBody body) throws IOException {
    if (writeError != null) {
      throw writeError;
    }
    if (READER.get() || !writing.tryLock()) {
      enqueue(body);
      return;
    }
    try {
      if (writeQueued()) {
        body.write(out);
      }
      out.flush();
    } catch (IOException e) {
      writeError = e; // the reader sees the broken connection and reports the death
      throw e;
    } finally {
      writing.unlock();
    }
  }

  /**
   * Writes what is queued, in order, until the queue is empty; false after STOP. Holding
   * {@link #writing}: messages leave the queue only under it, so a message written at once
   * never overtakes one queued before it.
   */
  private boolean writeQueued() throws IOException {
    if (stopped) {
      return false;
    }
    List<IoBody> batch = new ArrayList<>();
    while (true) {
      synchronized (outbox) {
        batch.addAll(outbox);
        outbox.clear();
      }
      if (batch.isEmpty()) {
        return true;
      }
      for (IoBody b : batch) {
        if (b == STOP) {
          stopped = true;
          synchronized (outbox) {
            outbox.addFirst(STOP); // wakes the writer thread, which then ends
            outbox.notify();
          }
          return false;
        }
        b.write(out);
      }
      batch.clear();
    }
  }

  private void writeLoop() {
    try {
      while (true) {
        synchronized (outbox) {
          while (outbox.isEmpty()) {
            outbox.wait();
          }
        }
        writing.lock();
        try {
          boolean more = writeQueued();
          out.flush();
          if (!more) {
            return;
          }
        } finally {
          writing.unlock();
        }
      }
    } catch (IOException e) {
      writeError = e; // the reader sees the broken connection and reports the death
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final IoBody STOP = o -> { };
  /** Messages to write, in order; guarded by itself, taken only under {@link #writing}. */
  private final java.util.ArrayDeque<IoBody> outbox = new java.util.ArrayDeque<>();
  /** Held by whoever writes to the socket: the writer thread, or a {@link #sendNow} caller. */
  private final java.util.concurrent.locks.ReentrantLock writing =
      new java.util.concurrent.locks.ReentrantLock();
  /** STOP was written: nothing more goes out (guarded by {@link #writing}). */
  private boolean stopped;
  /** Set on the threads that read workers' messages: they never write to a socket. */
  private static final ThreadLocal<Boolean> READER = ThreadLocal.withInitial(() -> false);
  private volatile IOException writeError;

  /** Writes one message. */
  interface IoBody {
    void write(DataOutputStream out) throws IOException;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean alive() {
    return process.isAlive() && !closing;
  }

  @Override
  public void run(long id, String key, boolean output, byte[] task, long[] inputIds,
      byte[][] inline) throws IOException {
    sendNow(o -> {
      o.writeByte(Protocol.RUN);
      o.writeLong(id);
      o.writeUTF(key);
      o.writeBoolean(output);
      Protocol.writeBytes(o, task);
      o.writeInt(inputIds.length);
      for (int j = 0; j < inputIds.length; j++) {
        o.writeLong(inputIds[j]);
        o.writeBoolean(inline[j] != null);
        if (inline[j] != null) {
          Protocol.writeBytes(o, inline[j]);
        }
      }
    });
  }

  /**
   * Asks this worker to pull a value straight from worker {@code from}, when both listen for
   * their peers and the value is large enough to be worth a connection of its own; queued
   * (the engine's lock is held).
   */
  @Override
  public boolean pull(long id, WorkerEndpoint from, long fromId, long sizeBytes)
      throws IOException {
    if (!(from instanceof WorkerHandle a) || sizeBytes < minPullBytes || inputPort < 0) {
      return false;
    }
    int port = a.inputPort;
    if (port < 0) {
      return false;
    }
    send(o -> {
      o.writeByte(Protocol.PULL);
      o.writeLong(id);
      o.writeInt(port);
      o.writeLong(fromId);
    });
    java.util.function.BiConsumer<WorkerHandle, WorkerHandle> watcher = onPull;
    if (watcher != null) {
      watcher.accept(this, a);
    }
    return true;
  }

  /** Told of every pull asked (this worker, the one it pulls from), for tests; null if none. */
  volatile java.util.function.BiConsumer<WorkerHandle, WorkerHandle> onPull;

  /** {@return where the worker listens for its peers' pulls, or -1} */
  int inputPort() {
    return inputPort;
  }

  @Override
  public void fetch(long id) throws IOException {
    send(o -> {
      o.writeByte(Protocol.FETCH);
      o.writeLong(id);
    });
  }

  /**
   * Queues the release of {@code ids}, joined to a release still queued: a run of releases (a
   * gather's futures dropped one by one) becomes one message instead of one each. A release
   * may so leave earlier than it would have, which is safe: nothing still to be sent needs a
   * result the engine releases.
   */
  @Override
  public void release(long[] ids) throws IOException {
    if (writeError != null) {
      throw writeError;
    }
    synchronized (releases) {
      boolean queued = releases.size() > 0;
      for (long id : ids) {
        releases.add(id);
      }
      if (queued) {
        return; // the queued message takes these too
      }
    }
    send(o -> {
      long[] all;
      synchronized (releases) {
        all = releases.toArray();
        releases.clear();
      }
      o.writeByte(Protocol.RELEASE);
      o.writeInt(all.length);
      for (long id : all) {
        o.writeLong(id);
      }
    });
  }

  /** Ids to release, written by the one release message queued; guarded by itself. */
  private final Ids releases = new Ids();

  /** A growable list of ids. */
  private static final class Ids {
    private long[] a = new long[16];
    private int n;

    int size() {
      return n;
    }

    void add(long id) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, 2 * n);
      }
      a[n++] = id;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }

    void clear() {
      n = 0;
      if (a.length > 1024) {
        a = new long[16];
      }
    }
  }

  @Override
  public void cancel(long lo, long hi) throws IOException {
    send(o -> {
      o.writeByte(Protocol.CANCEL);
      o.writeLong(lo);
      o.writeLong(hi);
    });
  }

  /** Asks the worker to exit, then makes sure it does. */
  void close() {
    closing = true;
    enqueue(o -> o.writeByte(Protocol.SHUTDOWN));
    enqueue(STOP);
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Kills the worker at once (for tests of worker death and for stuck workers). */
  @Override
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return name;
  }
}
