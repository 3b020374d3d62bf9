package dev.tessera.schedulers;

import dev.tessera.graph.core.Task;
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

/**
 * The main class of a worker JVM started by {@link ProcessScheduler}: connects back to the
 * parent on loopback, runs tasks one at a time in arrival order, keeps their results until
 * released, and exits when the parent says so, closes the connection, or dies.
 */
public final class WorkerMain {
  private final DataOutputStream out;
  private final Codecs codecs;
  private final Map<Long, Object> store = new ConcurrentHashMap<>();
  /** Tasks read while another runs, in arrival order; guarded by {@link #runLock}. */
  private final java.util.ArrayDeque<byte[]> runs = new java.util.ArrayDeque<>();
  /** The thread reading the parent's messages, or null while the next one takes over. */
  private Thread readerThread;
  /** Whether a task is running (guarded by {@link #runLock}). */
  private boolean busy;
  /** The thread running {@link #current} (guarded by {@link #runLock}). */
  private Thread running;
  /** The connection from the parent; read by one thread at a time, {@link #readerThread}. */
  private DataInputStream in;
  /**
   * Guards {@link #current} and {@link #cancelled} (a cancel never hits the next task), and who
   * reads and who runs.
   */
  private final Object runLock = new Object();
  private long current = -1;
  private boolean cancelled;
  /** The last few cancelled id ranges, {lo, hi}: for a task taken just before its cancel. */
  private final java.util.ArrayDeque<long[]> recentCancels = new java.util.ArrayDeque<>();
  /** Asks the parent for classes only it has (jshell, java Demo.java); null in tests. */
  private CallerClassLoader callerClasses;
  /** This worker's engine: its calls, namespace and inbox. */
  private WorkerEngine engine;
  /** The engines as this worker's tasks reach them, through the parent. */
  private ForwardedEngines forwarded;
  /** Task inputs pulled from other workers, and served to them. */
  private InputPeers inputs;

  /** A value that arrived with a task, kept as bytes until the runner decodes it. */
  private record Encoded(byte[] bytes) {}

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
    w.inputs = new InputPeers(out, w.new Values());
    w.callerClasses = new CallerClassLoader(WorkerMain.class.getClassLoader(), out);
    w.callerClasses.readerIs(Thread.currentThread());
    Thread.currentThread().setContextClassLoader(w.callerClasses);
    w.engine = new WorkerEngine(out, codecs, w.callerClasses);
    w.forwarded = new ForwardedEngines(out, codecs, w.callerClasses);
    dev.tessera.graph.spi.WorkerEngines.install(w.forwarded);
    w.in = in;
    w.readerThread = Thread.currentThread();
    Thread other = new Thread(w::loop, "tessera-task-runner");
    other.setContextClassLoader(w.callerClasses); // tasks and values resolve classes here
    other.setDaemon(true);
    other.start();
    w.loop();
  }

  /**
   * What each of the worker's two threads does: read the parent's messages while the other
   * runs a task, or run a task while the other reads. The thread that reads a task when no
   * task is running runs it itself and hands the reading to the other thread, so that a task
   * starts without waking a thread first (tens of microseconds of a round trip on a small
   * machine; the woken thread starts reading while the task runs). A task that arrives while
   * one runs is queued, and run in arrival order by the thread that ran the previous one.
   * Reading never waits for a task, so cancels, fetches and the answers to class requests
   * are read while a task runs.
   */
  private void loop() {
    Thread me = Thread.currentThread();
    while (true) {
      byte[] task = null;
      synchronized (runLock) {
        while (readerThread != me) {
          if (!busy && !runs.isEmpty()) {
            task = runs.pollFirst();
            busy = true;
            break;
          }
          if (readerThread == null) {
            readerThread = me;
            break;
          }
          try {
            runLock.wait();
          } catch (InterruptedException e) {
            // a cancel that came after its task ended: nothing to do
          }
        }
      }
      if (task == null) {
        if (callerClasses != null) {
          callerClasses.readerIs(me);
        }
        byte[] run;
        try {
          run = readOne(in);
        } catch (EOFException | java.net.SocketException e) {
          Runtime.getRuntime().halt(0); // the parent closed the connection or died
          return;
        } catch (IOException e) {
          e.printStackTrace(); // a corrupt message: the parent sees the death
          Runtime.getRuntime().halt(1);
          return;
        }
        if (run == null) {
          continue;
        }
        synchronized (runLock) {
          if (busy || !runs.isEmpty()) {
            runs.addLast(run);
            runLock.notifyAll();
            continue;
          }
          busy = true;
          readerThread = null; // the other thread reads from now on
          if (callerClasses != null) {
            callerClasses.readerIs(null); // this one may now ask for classes
          }
          runLock.notifyAll();
        }
        task = run;
      }
      runTask(task);
      synchronized (runLock) {
        busy = false;
        runLock.notifyAll();
      }
    }
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

  /**
   * Reads and handles one message; returns a task's message (RUN) for the caller to run or
   * queue, else null. Exits on SHUTDOWN.
   */
  private byte[] readOne(DataInputStream in) throws IOException {
    {
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
          copy.writeBoolean(in.readBoolean());
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
          return raw.toByteArray();
        }
        case Protocol.FETCH: {
          long id = in.readLong();
          Object v = store.get(id);
          byte[] bytes;
          try {
            bytes = v == null ? new byte[0] : v instanceof Encoded e ? e.bytes()
                : encode(v == NULL_VALUE ? null : v);
          } catch (Throwable e) {
            // Not serializable, or out of memory while encoding: the task itself succeeded and
            // would succeed again, so this must not look like a death (that would recompute it
            // forever). Say so instead; the value stays held until released.
            sendError(Protocol.UNSENDABLE, id, unsendable(v, e), null);
            break;
          }
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
            long id = in.readLong();
            store.remove(id);
            inputs.released(id);
          }
          break;
        }
        case Protocol.INPUTS_SECRET:
          inputs.open(in.readUTF());
          break;
        case Protocol.PULL:
          inputs.pull(in.readLong(), in.readInt(), in.readLong());
          break;
        case Protocol.PULL_GONE:
          inputs.gone(in.readInt());
          break;
        case Protocol.CANCEL: {
          // only the tasks of one computation: others share this worker
          long lo = in.readLong();
          long hi = in.readLong();
          synchronized (runLock) {
            // the runner may have taken a task of this range from the queue and not yet made
            // it current: it finds the range here instead
            recentCancels.addLast(new long[] {lo, hi});
            if (recentCancels.size() > 16) {
              recentCancels.removeFirst();
            }
          }
          List<byte[]> dropped = new ArrayList<>();
          synchronized (runLock) {
            for (java.util.Iterator<byte[]> it = runs.iterator(); it.hasNext(); ) {
              byte[] d = it.next();
              long id = new DataInputStream(new java.io.ByteArrayInputStream(d)).readLong();
              if (id >= lo && id < hi) {
                it.remove();
                dropped.add(d);
              }
            }
            if (current >= lo && current < hi) {
              cancelled = true;
              running.interrupt();
            }
          }
          for (byte[] d : dropped) {
            long id = new DataInputStream(new java.io.ByteArrayInputStream(d)).readLong();
            sendFailure(id, new InterruptedException("cancelled before it started"), null);
          }
          break;
        }
        case Protocol.STATS: {
          long[] m = memory();
          long bytes = 0;
          int values = 0;
          for (Object v : store.values()) {
            values++;
            bytes += v == NULL_VALUE ? 0 : Math.max(0, codecs.sizeOf(v));
          }
          synchronized (out) {
            out.writeByte(Protocol.STATS_REPLY);
            out.writeLong(m[0]);
            out.writeLong(m[1]);
            out.writeLong(m[2]);
            out.writeInt(values);
            out.writeLong(bytes);
            out.flush();
          }
          break;
        }
        case Protocol.COUNT: {
          synchronized (out) {
            out.writeByte(Protocol.COUNTED);
            out.writeInt(store.size());
            out.flush();
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
        case Protocol.ENGINE_FORWARDED:
          forwarded.read(in);
          break;
        case Protocol.ENGINE_CALL:
        case Protocol.ENGINE_MESSAGE:
        case Protocol.PEER_LISTEN:
        case Protocol.PEER_AT:
        case Protocol.PEER_GONE:
          engine.read(type, in);
          break;
        case Protocol.SHUTDOWN:
          Runtime.getRuntime().halt(0);
          return null;
        default:
          throw new IOException("unknown message type " + type);
      }
    }
    return null;
  }

  private byte[] encode(Object v) throws IOException {
    return codecs.encode(v);
  }

  /** This worker's values as its peers reach them ({@link InputPeers}). */
  private final class Values implements InputPeers.Store {
    @Override
    public byte[] encoded(long id) throws Exception {
      Object v = store.get(id);
      if (v == null) {
        return null;
      }
      if (v instanceof Encoded e) {
        return e.bytes();
      }
      try {
        return encode(v == NULL_VALUE ? null : v);
      } catch (Throwable e) {
        throw new IOException(unsendable(v, e).getMessage(), e);
      }
    }

    @Override
    public void keep(long id, byte[] bytes) {
      store.put(id, new Encoded(bytes));
    }
  }

  /** Runs one task and sends its answer, on the calling thread. */
  private void runTask(byte[] msg) {
    {
      long id = -1;
      Object[] inputs = null; // what the task ran on: sent back if it fails, for a re-run
      try {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(msg));
        id = in.readLong();
        boolean cancelledBefore = false;
        synchronized (runLock) {
          current = id;
          cancelled = false;
          running = Thread.currentThread();
          for (long[] r : recentCancels) {
            cancelledBefore |= id >= r[0] && id < r[1];
          }
        }
        if (cancelledBefore) {
          throw new InterruptedException("cancelled before it started");
        }
        in.readUTF();
        boolean wantValue = in.readBoolean();
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
        endTask();
        store.put(id, result == null ? NULL_VALUE : result);
        long size = codecs.sizeOf(result);
        byte[] small = wantValue && size <= Protocol.SMALL ? smallValue(result) : null;
        synchronized (out) {
          out.writeByte(Protocol.DONE);
          out.writeLong(id);
          out.writeLong(nanos);
          out.writeLong(size);
          out.writeBoolean(small != null);
          if (small != null) {
            Protocol.writeBytes(out, small);
          }
          out.flush();
        }
      } catch (Throwable e) {
        if (endTask() && !LocalEngine.isInterrupt(e)) {
          e = new InterruptedException("cancelled: " + e);
        }
        try {
          sendFailure(id, e, e instanceof InterruptedException ? null : inputs);
        } catch (IOException io) {
          Runtime.getRuntime().halt(4); // the parent is gone
        }
      }
    }
  }

  /**
   * Encodes a small output to send along with DONE, saving the parent a FETCH round trip;
   * null if it does not encode or is not small after all (it is then fetched as usual, and a
   * value that cannot travel fails there, naming its task).
   */
  private byte[] smallValue(Object result) {
    try {
      byte[] b = encode(result);
      return b.length <= Protocol.SMALL ? b : null;
    } catch (Throwable e) {
      return null;
    }
  }

  /** Ends the current task: clears a cancel's interrupt; returns whether it was cancelled. */
  private boolean endTask() {
    synchronized (runLock) {
      current = -1;
      Thread.interrupted();
      boolean c = cancelled;
      cancelled = false;
      return c;
    }
  }

  private static Throwable unsendable(Object v, Throwable e) {
    String type = v == null || v == NULL_VALUE ? "null" : v.getClass().getName();
    if (e instanceof OutOfMemoryError) {
      long max = Runtime.getRuntime().maxMemory() >> 20;
      return new IOException("the worker ran out of memory while encoding the result (a "
          + type + ") to send it back; its heap is " + max + " MB: return something smaller,"
          + " reduce it in a further task, or give the workers more heap"
          + " (ProcessOptions.builder().jvmArgs(\"-Xmx4g\"))", e);
    }
    return new java.io.NotSerializableException("the result (a " + type + ") cannot be"
        + " encoded to send it to another process: " + e + "; return a serializable value,"
        + " register a Codec for " + type + ", or use a threaded scheduler");
  }

  /** Stored in place of a null result (the store cannot hold null). */
  private static final Object NULL_VALUE = new Object();

  private void sendFailure(long id, Throwable e, Object[] inputs) throws IOException {
    sendError(Protocol.FAILED, id, e, inputs);
  }

  /** Sends a FAILED (with the inputs, for a re-run) or an UNSENDABLE (without). */
  private void sendError(byte type, long id, Throwable e, Object[] inputs) throws IOException {
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
      out.writeByte(type);
      out.writeLong(id);
      Protocol.writeBytes(out, bytes);
      if (type == Protocol.FAILED) {
        FailedInputs.write(out, encoded, noInputs);
      }
      out.flush();
    }
  }

  /** {@return heap used, heap max, and off-heap (resident minus committed; -1 without /proc)} */
  static long[] memory() {
    java.lang.management.MemoryMXBean mx = java.lang.management.ManagementFactory.getMemoryMXBean();
    java.lang.management.MemoryUsage heap = mx.getHeapMemoryUsage();
    java.lang.management.MemoryUsage other = mx.getNonHeapMemoryUsage();
    long rss = -1;
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // no /proc: off-heap unknown
    }
    long off = rss < 0 ? -1 : Math.max(0, rss - heap.getCommitted() - other.getCommitted());
    return new long[] {heap.getUsed(), heap.getMax(), off};
  }
}
