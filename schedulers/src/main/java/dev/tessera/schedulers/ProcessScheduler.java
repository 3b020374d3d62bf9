package dev.tessera.schedulers;

import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.SchedulerCallback;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks in a pool of worker JVMs on this machine: for native code that is not
 * thread-safe, code that may crash or leak, and memory isolation. Workers start with the
 * parent's class path and JVM flags, are reused across computations, and exit on
 * {@link #close()}, at JVM shutdown, or when they notice the parent is gone.
 *
 * <p>Tasks travel with Java serialization and values with {@link Codec}s (see
 * {@code Codecs}); a task that does not serialize fails before it is sent, naming its key and
 * the offending class. Results stay on the worker that made them until a task elsewhere or the
 * caller needs them; a ready task goes preferably to the worker that already holds most of its
 * input bytes, and every transfer is counted ({@link #transfers()}). A worker that dies
 * (killed, out of memory, {@code System.exit} in user code) is replaced; its running tasks and
 * the results only it held are computed again from the graph, and after
 * {@link ProcessOptions#maxDeaths()} deaths during the same task the computation fails with
 * an error that names the task. Worker stdout and stderr reach ours, each line prefixed with
 * {@code [worker-N]}.
 *
 * <p>Computations on one pool run one at a time; calls from several threads queue.
 *
 * <pre>{@code
 * try (ProcessScheduler s = Schedulers.processes(2)) {
 *   x.compute(s);
 * }
 * }</pre>
 */
public final class ProcessScheduler implements Scheduler, AutoCloseable,
    WorkerHandle.Listener {
  private static final AtomicLong RESULT_IDS = new AtomicLong(1);

  private final ProcessOptions options;
  private final Codecs codecs;
  private final ServerSocket server;
  private final Map<String, CompletableFuture<Socket>> pending = new ConcurrentHashMap<>();
  private final List<WorkerHandle> workers = new ArrayList<>(); // guarded by this
  private final AtomicInteger nextIndex = new AtomicInteger(1);
  private final ReentrantLock runLock = new ReentrantLock(true);
  private final Thread shutdownHook;
  private final AtomicLong transferredBytes = new AtomicLong();
  private final AtomicLong transfers = new AtomicLong();
  private volatile ProcessRun current;
  private volatile boolean closed;

  ProcessScheduler(ProcessOptions options) {
    this.options = options;
    this.codecs = new Codecs(options.codecs());
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on loopback for worker processes: " + e, e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "tessera-process-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    this.shutdownHook = new Thread(this::closeWorkers, "tessera-process-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    List<CompletableFuture<WorkerHandle>> starting = new ArrayList<>();
    for (int i = 0; i < options.workers(); i++) {
      starting.add(CompletableFuture.supplyAsync(this::startWorker));
    }
    try {
      for (CompletableFuture<WorkerHandle> f : starting) {
        WorkerHandle w = f.join();
        synchronized (this) {
          workers.add(w);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        if (in.readByte() != Protocol.HELLO) {
          s.close();
          continue;
        }
        String token = in.readUTF();
        in.readLong();
        s.setSoTimeout(0);
        CompletableFuture<Socket> f = pending.remove(token);
        if (f == null) {
          s.close(); // not one of ours
        } else {
          f.complete(s);
        }
      } catch (IOException e) {
        // closed, or a bad connection: keep accepting while open
      }
    }
  }

  /** Starts one worker JVM and waits until it has connected. */
  private WorkerHandle startWorker() {
    int index = nextIndex.getAndIncrement();
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    CompletableFuture<Socket> connected = new CompletableFuture<>();
    pending.put(token, connected);
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    if (options.inheritJvmArgs()) {
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
          cmd.add(a);
        }
      }
    }
    cmd.addAll(options.jvmArgs());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WorkerMain.class.getName());
    cmd.add(Integer.toString(server.getLocalPort()));
    cmd.add(token);
    cmd.add(Long.toString(ProcessHandle.current().pid()));
    cmd.addAll(options.codecs());
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      pending.remove(token);
      throw new IllegalStateException("cannot start a worker JVM: " + e, e);
    }
    try {
      Socket s = connected.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      WorkerHandle w = new WorkerHandle(index, p, s);
      w.start(this);
      return w;
    } catch (TimeoutException | ExecutionException | IOException e) {
      pending.remove(token);
      p.destroyForcibly();
      throw new IllegalStateException("worker-" + index + " did not connect within "
          + options.startTimeout().toSeconds() + " s (exit: "
          + (p.isAlive() ? "still running" : p.exitValue()) + ")", e);
    } catch (InterruptedException e) {
      pending.remove(token);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a worker", e);
    }
  }

  /** Returns the live workers, a snapshot. */
  synchronized List<WorkerHandle> workers() {
    List<WorkerHandle> out = new ArrayList<>();
    for (WorkerHandle w : workers) {
      if (w.alive()) {
        out.add(w);
      }
    }
    return out;
  }

  /** {@return the process ids of the live workers} */
  public List<Long> workerPids() {
    List<Long> out = new ArrayList<>();
    for (WorkerHandle w : workers()) {
      out.add(w.process.pid());
    }
    return out;
  }

  /** {@return how many results were sent from one process to another so far} */
  public long transfers() {
    return transfers.get();
  }

  /** {@return how many bytes were sent from one process to another so far} */
  public long transferredBytes() {
    return transferredBytes.get();
  }

  void countTransfer(long bytes) {
    transfers.incrementAndGet();
    transferredBytes.addAndGet(bytes);
  }

  Codecs codecs() {
    return codecs;
  }

  ProcessOptions options() {
    return options;
  }

  static long newIds(int n) {
    return RESULT_IDS.getAndAdd(n);
  }

  /** Replaces a dead worker in the background; the new one joins the current run. */
  private void replace(WorkerHandle dead) {
    synchronized (this) {
      workers.remove(dead);
    }
    if (closed) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        WorkerHandle w = startWorker();
        synchronized (this) {
          if (closed) {
            w.close();
            return;
          }
          workers.add(w);
        }
        ProcessRun run = current;
        if (run != null) {
          run.workerJoined(w);
        }
      } catch (RuntimeException e) {
        ProcessRun run = current;
        if (run != null) {
          run.workerStartFailed(e);
        }
      }
    }, "tessera-worker-replacer");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    if (closed) {
      throw new IllegalStateException(name() + " is closed; create a new one with"
          + " Schedulers.processes()");
    }
    try {
      runLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.tessera.graph.ComputeCancelledException(
          "interrupted while waiting for the process pool");
    }
    try {
      awaitLiveWorker();
      ProcessRun run = new ProcessRun(this, plan, callback);
      current = run;
      try {
        return run.execute();
      } finally {
        current = null;
      }
    } finally {
      runLock.unlock();
    }
  }

  /** Waits (up to the start timeout) while every worker is dead and being replaced. */
  private void awaitLiveWorker() {
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    while (workers().isEmpty()) {
      if (System.nanoTime() > deadline || closed) {
        throw new IllegalStateException(name() + " has no live worker and none could be"
            + " started within " + options.startTimeout().toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.tessera.graph.ComputeCancelledException(
            "interrupted while waiting for a worker process to start");
      }
    }
  }

  @Override
  public String name() {
    return "processes(" + options.workers() + ")";
  }

  // ---- worker events: forwarded to the computation in progress ----

  @Override
  public void done(WorkerHandle w, long id, long nanos, long size) {
    ProcessRun run = current;
    if (run != null) {
      run.done(w, id, nanos, size);
    }
  }

  @Override
  public void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs) {
    ProcessRun run = current;
    if (run != null) {
      run.failed(w, id, error, inputs);
    }
  }

  @Override
  public void data(WorkerHandle w, long id, byte[] bytes) {
    ProcessRun run = current;
    if (run != null) {
      run.data(w, id, bytes);
    }
  }

  @Override
  public void died(WorkerHandle w, String why) {
    ProcessRun run = current;
    if (run != null) {
      run.died(w, why);
    }
    replace(w);
  }

  /** Stops every worker and waits for them to exit. */
  @Override
  public void close() {
    closed = true;
    closeWorkers();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }

  private void closeWorkers() {
    closed = true;
    List<WorkerHandle> all;
    synchronized (this) {
      all = new ArrayList<>(workers);
      workers.clear();
    }
    all.parallelStream().forEach(WorkerHandle::close);
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public String toString() {
    return "ProcessScheduler(" + options.workers() + " workers)";
  }

  /** Thrown as the cause when a task's worker dies while running it. */
  static final class WorkerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkerDiedException(String message) {
      super(message);
    }
  }
}
