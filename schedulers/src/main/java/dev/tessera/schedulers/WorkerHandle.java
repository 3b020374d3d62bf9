package dev.tessera.schedulers;

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
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The parent's side of one worker JVM: the process, its connection, a thread that reads its
 * messages and hands them to a {@link Listener}, a thread that writes the queued messages to
 * it, and two threads that copy its stdout and stderr to ours, each line prefixed with the
 * worker's name.
 */
final class WorkerHandle {
  /** Receives a worker's messages, on the worker's reader thread. */
  interface Listener {
    void done(WorkerHandle w, long id, long nanos, long size);

    void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs);

    void data(WorkerHandle w, long id, byte[] bytes);

    void died(WorkerHandle w, String why);
  }

  final int index;
  final String name;
  final Process process;
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;
  private volatile boolean closing;

  WorkerHandle(int index, Process process, Socket socket) throws IOException {
    this.index = index;
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
    try {
      while (true) {
        byte type = in.readByte();
        switch (type) {
          case Protocol.DONE:
            listener.done(this, in.readLong(), in.readLong(), in.readLong());
            break;
          case Protocol.FAILED: {
            long id = in.readLong();
            byte[] error = Protocol.readBytes(in);
            listener.failed(this, id, error, FailedInputs.read(in));
            break;
          }
          case Protocol.DATA: {
            long id = in.readLong();
            listener.data(this, id, Protocol.readBytes(in));
            break;
          }
          case Protocol.CLASS_REQUEST:
            CallerClasses.answer(this, in.readUTF());
            break;
          default:
            throw new IOException("unknown message type " + type + " from " + name);
        }
      }
    } catch (IOException | RuntimeException e) {
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
    outbox.add(body);
  }

  private void writeLoop() {
    List<IoBody> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(outbox.take());
        outbox.drainTo(batch);
        for (IoBody b : batch) {
          if (b == STOP) {
            out.flush();
            return;
          }
          b.write(out);
        }
        out.flush();
        batch.clear();
      }
    } catch (IOException e) {
      writeError = e; // the reader sees the broken connection and reports the death
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final IoBody STOP = o -> { };
  private final LinkedBlockingQueue<IoBody> outbox = new LinkedBlockingQueue<>();
  private volatile IOException writeError;

  /** Writes one message. */
  interface IoBody {
    void write(DataOutputStream out) throws IOException;
  }

  boolean alive() {
    return process.isAlive() && !closing;
  }

  /** Asks the worker to exit, then makes sure it does. */
  void close() {
    closing = true;
    outbox.add(o -> o.writeByte(Protocol.SHUTDOWN));
    outbox.add(STOP);
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
  void kill() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return name;
  }
}
