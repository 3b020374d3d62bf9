package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.spi.Engines;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs tasks in a pool of worker JVMs on this machine: for native code that is not
 * thread-safe, code that may crash or leak, and memory isolation. Workers start with the
 * parent's class path and JVM flags, are reused across computations, and exit on
 * {@link #close()}, at JVM shutdown, or when they notice the parent is gone.
 *
 * <p>Tasks travel with Java serialization and values with {@link dev.tessera.graph.spi.Codec}s (see
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
 * <p>Computations from several threads run at once on the same workers, each placed by data
 * locality; {@link #submit} starts one without waiting, and {@link #persist} (and submit)
 * leave the outputs on the workers, as {@link RemoteValue} handles, until released
 * ({@link #heldByWorkers()} counts what the workers hold).
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
  /** The computations in progress; worker events go to each (they ignore others' ids). */
  private final List<ProcessRun> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Results that outlive their computation, by id: the directory of what workers hold. */
  private final Map<Long, ProcessValue> held = new ConcurrentHashMap<>();
  /** Fetches of held results by their handles, by id. */
  private final Map<Long, CompletableFuture<byte[]>> fetches = new ConcurrentHashMap<>();
  /** Answers to COUNT, per worker, in order. */
  private final Map<WorkerHandle, java.util.Queue<CompletableFuture<Integer>>> counts =
      new ConcurrentHashMap<>();
  /** Runs submitted computations: one thread each while it runs, reused. */
  private final java.util.concurrent.ExecutorService submitted =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tessera-process-submit");
        t.setDaemon(true);
        return t;
      });
  private final Thread shutdownHook;
  private final AtomicLong transferredBytes = new AtomicLong();
  private final AtomicLong transfers = new AtomicLong();
  private volatile boolean closed;
  /** One engine per worker (see {@link #engines()}). */
  private final ProcessEngines engines;

  ProcessScheduler(ProcessOptions options) {
    this.options = options;
    this.codecs = new Codecs(options.codecs());
    this.engines = new ProcessEngines(this, codecs, options.workers(),
        options.startTimeout().toNanos(), this::closedError);
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
      WorkerHandle w = new WorkerHandle(index, p, s, options.maxValueBytes());
      w.engines = engines;
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
        for (ProcessRun run : runs) {
          run.workerJoined(w);
        }
      } catch (RuntimeException e) {
        for (ProcessRun run : runs) {
          run.workerStartFailed(e);
        }
      }
    }, "tessera-worker-replacer");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    return run(plan, callback, false);
  }

  /**
   * Runs the plan and returns handles to its outputs, which stay on the workers that made them
   * until released; later computations on this pool use them in place.
   */
  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    List<RemoteValue> out = new ArrayList<>();
    for (Object o : run(plan, callback, true)) {
      out.add((RemoteValue) o);
    }
    return out;
  }

  /**
   * Starts the plan on this pool's workers and returns at once; the outputs stay on the
   * workers (see {@link #persist}). Computations submitted from several threads run at once.
   */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback) {
    return Submitted.start(submitted, () -> persist(plan, callback), this::closedError);
  }

  private IllegalStateException closedError() {
    return new IllegalStateException(name() + " is closed; create a new one with"
        + " Schedulers.processes()");
  }

  private List<Object> run(ExecutionPlan plan, SchedulerCallback callback, boolean keep) {
    if (closed) {
      throw closedError();
    }
    Map<Integer, Object> inputs = heldInputs(plan);
    awaitLiveWorker();
    ProcessRun run = new ProcessRun(this, plan, callback, keep, inputs);
    runs.add(run);
    try {
      if (closed) {
        run.poolClosed();
      }
      return run.execute();
    } finally {
      runs.remove(run);
    }
  }

  /**
   * Finds the plan's tasks that stand for results held before it ({@link RemoteValue#task}):
   * this pool's are used in place; any other's value is fetched and encoded here, before the
   * computation starts, outside every lock.
   */
  private Map<Integer, Object> heldInputs(ExecutionPlan plan) {
    Map<Integer, Object> out = new java.util.HashMap<>();
    for (int t = 0; t < plan.size(); t++) {
      RemoteValue v = RemoteValue.of(plan.task(t));
      if (v == null) {
        continue;
      }
      try {
        v = v.resolve();
        if (v instanceof ProcessValue pv && pv.pool == this) {
          pv.check();
          out.put(t, pv);
        } else {
          out.put(t, codecs.encode(v.fetch()));
        }
      } catch (IOException | RuntimeException e) {
        throw new TaskFailedException(plan.key(t), ", the held result it stands for cannot be"
            + " used", e);
      }
    }
    return out;
  }

  ProcessValue register(ProcessValue v) {
    held.put(v.id, v);
    if (!v.worker.alive()) {
      v.lose(v.worker.name + " died");
      held.remove(v.id);
    }
    return v;
  }

  /** Brings a held value to this JVM: one FETCH, shared by concurrent callers. */
  Object fetch(ProcessValue v) {
    CompletableFuture<byte[]> nf = new CompletableFuture<>();
    CompletableFuture<byte[]> f = fetches.putIfAbsent(v.id, nf);
    if (f == null) {
      // registered before the FETCH leaves, so that the answer always finds it
      f = nf;
      try {
        v.worker.send(o -> {
          o.writeByte(Protocol.FETCH);
          o.writeLong(v.id);
        });
      } catch (IOException e) {
        nf.completeExceptionally(e);
      }
    }
    byte[] bytes;
    try {
      bytes = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while fetching " + v.key());
    } catch (ExecutionException e) {
      v.check(); // lost with its worker: says so
      throw new TesseraException("the result of " + v.key() + " could not be fetched from "
          + v.worker.name + ": " + e.getCause(), e.getCause());
    } finally {
      fetches.remove(v.id, f);
    }
    if (bytes.length == 0) {
      v.check();
      throw new TesseraException("the result of " + v.key() + " is no longer held by "
          + v.worker.name + "; compute it again");
    }
    return decode(v, bytes);
  }

  Object decode(ProcessValue v, byte[] bytes) {
    try {
      return codecs.decode(bytes);
    } catch (IOException e) {
      throw new TesseraException("the result of " + v.key() + " could not be decoded here: "
          + e, e);
    }
  }

  /** Drops a held value on its worker. */
  void release(ProcessValue v) {
    if (held.remove(v.id) != null) {
      try {
        v.worker.send(o -> {
          o.writeByte(Protocol.RELEASE);
          o.writeInt(1);
          o.writeLong(v.id);
        });
      } catch (IOException e) {
        // a dead worker holds nothing
      }
    }
  }

  /**
   * Returns how many values the live workers hold right now, asking each of them: results
   * of computations in progress, persisted results and futures' results. Zero when nothing
   * is in progress and every handle was released.
   *
   * @return the count
   * @throws ComputeCancelledException if interrupted while waiting for the answers
   */
  public long heldByWorkers() {
    long total = 0;
    for (WorkerHandle w : workers()) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      java.util.Queue<CompletableFuture<Integer>> q =
          counts.computeIfAbsent(w, x -> new java.util.concurrent.ConcurrentLinkedQueue<>());
      synchronized (q) {
        q.add(f);
        try {
          w.send(o -> o.writeByte(Protocol.COUNT));
        } catch (IOException e) {
          q.remove(f);
          continue;
        }
      }
      try {
        total += f.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ComputeCancelledException("interrupted while counting held results");
      } catch (ExecutionException | TimeoutException e) {
        // the worker died meanwhile: it holds nothing
      }
    }
    return total;
  }

  /** {@return how many results outlive their computation (persisted, futures), by handle} */
  public int heldValues() {
    return held.size();
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
        throw new ComputeCancelledException(
            "interrupted while waiting for a worker process to start");
      }
    }
  }

  /**
   * {@return one engine per worker JVM: engine {@code i} runs on the {@code i}-th worker, on a
   * thread of its own beside the tasks, its calls one at a time in the order sent, with a
   * namespace that lives as long as the worker; functions, results and messages travel
   * through the codecs. When a worker dies its engine's pending calls fail with an
   * {@link dev.tessera.graph.spi.EngineDiedException} naming it, and later calls run on its
   * replacement, with an empty namespace}
   */
  @Override
  public Optional<Engines> engines() {
    if (closed) {
      throw closedError();
    }
    return Optional.of(engines);
  }

  @Override
  public String name() {
    return "processes(" + options.workers() + ")";
  }

  // ---- worker events: to every computation in progress (each ignores others' ids) ----

  @Override
  public void done(WorkerHandle w, long id, long nanos, long size, byte[] small) {
    for (ProcessRun run : runs) {
      run.done(w, id, nanos, size, small);
    }
  }

  @Override
  public void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs) {
    for (ProcessRun run : runs) {
      run.failed(w, id, error, inputs);
    }
  }

  @Override
  public void data(WorkerHandle w, long id, byte[] bytes) {
    CompletableFuture<byte[]> f = fetches.get(id);
    if (f != null) {
      f.complete(bytes);
    }
    for (ProcessRun run : runs) {
      run.data(w, id, bytes);
    }
  }

  @Override
  public void unsendable(WorkerHandle w, long id, Throwable error) {
    CompletableFuture<byte[]> f = fetches.get(id);
    if (f != null) {
      f.completeExceptionally(error);
    }
    for (ProcessRun run : runs) {
      run.unsendable(w, id, error);
    }
  }

  @Override
  public void counted(WorkerHandle w, int n) {
    java.util.Queue<CompletableFuture<Integer>> q = counts.get(w);
    CompletableFuture<Integer> f = q == null ? null : q.poll();
    if (f != null) {
      f.complete(n);
    }
  }

  @Override
  public void died(WorkerHandle w, String why) {
    for (ProcessValue v : held.values()) {
      if (v.worker == w) {
        v.lose(w.name + " " + why);
        held.remove(v.id);
        CompletableFuture<byte[]> f = fetches.get(v.id);
        if (f != null) {
          f.completeExceptionally(new ProcessScheduler.WorkerDiedException(w.name + " " + why));
        }
      }
    }
    java.util.Queue<CompletableFuture<Integer>> q = counts.remove(w);
    if (q != null) {
      q.forEach(f -> f.completeExceptionally(new WorkerDiedException(w.name + " " + why)));
    }
    for (ProcessRun run : runs) {
      run.died(w, why);
    }
    engines.died(w, why);
    replace(w);
  }

  /** Stops every worker and waits for them to exit. */
  @Override
  public void close() {
    closed = true;
    for (ProcessRun run : runs) {
      run.poolClosed(); // its caller wakes with an error instead of waiting for dead workers
    }
    submitted.shutdown();
    for (ProcessValue v : held.values()) {
      v.lose(name() + " was closed");
    }
    held.clear();
    fetches.values().forEach(f -> f.completeExceptionally(closedError()));
    engines.close();
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
