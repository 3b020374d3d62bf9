package dev.tessera.schedulers;

import dev.tessera.graph.Task;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The main class of a worker JVM started by {@link ProcessScheduler}: connects back to the
 * parent on loopback, runs tasks one at a time in arrival order, keeps their results until
 * released, and exits when the parent says so, closes the connection, or dies.
 */
public final class WorkerMain {
  private final DataOutputStream out;
  private final Codecs codecs;
  private final Map<Long, Object> store = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<byte[]> runs = new LinkedBlockingQueue<>();
  private volatile Thread runner;
  /** Asks the parent for classes only it has (jshell, java Demo.java); null in tests. */
  private CallerClassLoader callerClasses;

  /** A value that arrived with a task, kept as bytes until the runner decodes it. */
  private record Encoded(byte[] bytes) {}
  private volatile long generation;

  private WorkerMain(DataOutputStream out, Codecs codecs) {
    this.out = out;
    this.codecs = codecs;
  }

  /**
   * Entry point: {@code WorkerMain port token parentPid [codecClass...]}.
   *
   * @param args the parent's port, the connection token, the parent's pid, extra codecs
   * @throws Exception if the connection fails
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String token = args[1];
    long parentPid = Long.parseLong(args[2]);
    watchParent(parentPid);
    Codecs codecs = new Codecs(Arrays.asList(args).subList(3, args.length));
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    DataInputStream in =
        new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    out.writeByte(Protocol.HELLO);
    out.writeUTF(token);
    out.writeLong(ProcessHandle.current().pid());
    out.flush();
    WorkerMain w = new WorkerMain(out, codecs);
    w.callerClasses = new CallerClassLoader(WorkerMain.class.getClassLoader(), out);
    w.callerClasses.readerIs(Thread.currentThread());
    Thread.currentThread().setContextClassLoader(w.callerClasses);
    Thread runner = new Thread(w::runLoop, "tessera-task-runner");
    runner.setContextClassLoader(w.callerClasses); // tasks and values resolve classes here
    runner.setDaemon(true);
    w.runner = runner;
    runner.start();
    try {
      w.readLoop(in);
    } catch (EOFException | java.net.SocketException e) {
      // the parent closed the connection or died: nothing left to do
    }
    Runtime.getRuntime().halt(0);
  }

  /** Exits when the parent process is gone, even if the connection lingers. */
  private static void watchParent(long parentPid) {
    Thread t = new Thread(() -> {
      while (true) {
        if (!ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
          Runtime.getRuntime().halt(3);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "tessera-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  private void readLoop(DataInputStream in) throws IOException {
    while (true) {
      byte type = in.readByte();
      switch (type) {
        case Protocol.RUN: {
          // Inputs sent along are stored now, not when the task starts: the parent counts
          // this worker as holding them from the moment it sent them, and may ask for them
          // (FETCH) before the queued task runs.
          ByteArrayOutputStream raw = new ByteArrayOutputStream();
          DataOutputStream copy = new DataOutputStream(raw);
          copy.writeLong(in.readLong());
          copy.writeUTF(in.readUTF());
          Protocol.writeBytes(copy, Protocol.readBytes(in));
          int deps = in.readInt();
          copy.writeInt(deps);
          for (int j = 0; j < deps; j++) {
            long depId = in.readLong();
            copy.writeLong(depId);
            if (in.readBoolean()) {
              // decoded by the runner: its class may have to be asked for, which this thread,
              // the one that reads the answers, cannot wait for
              store.put(depId, new Encoded(Protocol.readBytes(in)));
            }
          }
          runs.add(raw.toByteArray());
          break;
        }
        case Protocol.FETCH: {
          long id = in.readLong();
          Object v = store.get(id);
          byte[] bytes = v == null ? new byte[0] : v instanceof Encoded e ? e.bytes()
              : encode(v == NULL_VALUE ? null : v);
          synchronized (out) {
            out.writeByte(Protocol.DATA);
            out.writeLong(id);
            Protocol.writeBytes(out, bytes);
            out.flush();
          }
          break;
        }
        case Protocol.RELEASE: {
          int n = in.readInt();
          for (int i = 0; i < n; i++) {
            store.remove(in.readLong());
          }
          break;
        }
        case Protocol.CANCEL: {
          List<byte[]> dropped = new ArrayList<>();
          runs.drainTo(dropped);
          generation++;
          Thread r = runner;
          if (r != null) {
            r.interrupt();
          }
          for (byte[] d : dropped) {
            long id = new DataInputStream(new java.io.ByteArrayInputStream(d)).readLong();
            sendFailure(id, new InterruptedException("cancelled before it started"), null);
          }
          break;
        }
        case Protocol.CLASS_BYTES: {
          String name = in.readUTF();
          byte[] bytes = Protocol.readBytes(in);
          if (callerClasses != null) {
            callerClasses.answer(name, bytes);
          }
          break;
        }
        case Protocol.SHUTDOWN:
          return;
        default:
          throw new IOException("unknown message type " + type);
      }
    }
  }

  private byte[] encode(Object v) throws IOException {
    return codecs.encode(v);
  }

  private void runLoop() {
    while (true) {
      byte[] msg;
      try {
        msg = runs.take();
      } catch (InterruptedException e) {
        continue; // a cancel with nothing running
      }
      long id = -1;
      long gen = generation;
      Object[] inputs = null; // what the task ran on: sent back if it fails, for a re-run
      try {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(msg));
        id = in.readLong();
        in.readUTF();
        Task task = codecs.decodeTask(Protocol.readBytes(in));
        int deps = in.readInt();
        Object[] values = new Object[deps];
        for (int j = 0; j < deps; j++) {
          long depId = in.readLong();
          Object v = store.get(depId);
          if (v == null) {
            throw new IllegalStateException("result " + depId + " is not held here");
          }
          if (v instanceof Encoded e) {
            v = codecs.decode(e.bytes());
            v = v == null ? NULL_VALUE : v;
            store.replace(depId, e, v);
          }
          values[j] = v == NULL_VALUE ? null : v;
        }
        inputs = values.clone();
        long t0 = System.nanoTime();
        Object result = task.run(values);
        long nanos = System.nanoTime() - t0;
        Thread.interrupted();
        store.put(id, result == null ? NULL_VALUE : result);
        synchronized (out) {
          out.writeByte(Protocol.DONE);
          out.writeLong(id);
          out.writeLong(nanos);
          out.writeLong(codecs.sizeOf(result));
          out.flush();
        }
      } catch (Throwable e) {
        Thread.interrupted();
        if (e instanceof IOException io && gen != generation) {
          e = new InterruptedException("cancelled: " + io);
        }
        try {
          sendFailure(id, e, e instanceof InterruptedException ? null : inputs);
        } catch (IOException io) {
          Runtime.getRuntime().halt(4); // the parent is gone
        }
      }
    }
  }

  /** Stored in place of a null result (the store cannot hold null). */
  private static final Object NULL_VALUE = new Object();

  private void sendFailure(long id, Throwable e, Object[] inputs) throws IOException {
    byte[] bytes;
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ObjectOutputStream o = new ObjectOutputStream(b)) {
        o.writeObject(e);
      }
      bytes = b.toByteArray();
    } catch (IOException | RuntimeException notSerializable) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ObjectOutputStream o = new ObjectOutputStream(b)) {
        o.writeObject(new RemoteTaskException(e.getClass().getName(), e.getMessage(),
            trace.toString()));
      }
      bytes = b.toByteArray();
    }
    byte[][] encoded = null;
    String noInputs = "the task failed before its inputs were read";
    if (inputs != null) {
      try {
        encoded = new byte[inputs.length][];
        for (int j = 0; j < inputs.length; j++) {
          encoded[j] = encode(inputs[j]);
        }
      } catch (IOException | RuntimeException notEncoded) {
        encoded = null;
        noInputs = "its inputs could not be encoded in the worker: " + notEncoded;
      }
    }
    synchronized (out) {
      out.writeByte(Protocol.FAILED);
      out.writeLong(id);
      Protocol.writeBytes(out, bytes);
      FailedInputs.write(out, encoded, noInputs);
      out.flush();
    }
  }
}
