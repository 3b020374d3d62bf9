package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.Engines;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.engine.Broadcasting;
import dev.tessera.schedulers.engine.Engine;
import dev.tessera.schedulers.engine.WorkerDiedException;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * input bytes, an input of 64 KiB or more held by another worker goes from that worker straight
 * to the one that needs it (on loopback, authenticated by the pool's secret; smaller ones, and
 * every one with {@code -Dtessera.taskInputs=relay}, go through this JVM), and every transfer
 * is counted ({@link #transfers()}, {@link #relayedBytes()}). A worker that dies
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
public final class ProcessScheduler implements Scheduler, AutoCloseable, Broadcasting,
    WorkerHandle.Listener {
  private final ProcessOptions options;
  private final Codecs codecs;
  private final ServerSocket server;
  private final Map<String, CompletableFuture<Socket>> pending = new ConcurrentHashMap<>();
  private final List<WorkerHandle> workers = new ArrayList<>(); // guarded by this
  private final AtomicInteger nextIndex = new AtomicInteger(1);
  /** The scheduler state: placement, the directory of results, recovery, release. */
  private final Engine engine;
  /** The pools of this JVM not yet closed, for diagnostics ({@link #openPools()}). */
  private static final java.util.Set<ProcessScheduler> OPEN =
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
  /** Answers to STATS, per worker, in order. */
  private final Map<WorkerHandle, java.util.Queue<CompletableFuture<WorkerStats>>> statsAsked =
      new ConcurrentHashMap<>();
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
  private volatile boolean closed;
  /** One engine per worker (see {@link #engines()}). */
  private final ProcessEngines engines;
  /**
   * The secret the workers present to each other when one pulls a task's input from another;
   * null when every input is relayed through this JVM ({@code -Dtessera.taskInputs=relay}).
   */
  private final String inputSecret;
  /** Told of every pull asked (the puller, the holder), for tests of their faults. */
  volatile java.util.function.BiConsumer<WorkerHandle, WorkerHandle> pullWatcher;
  /** Inputs at least this large go from worker to worker; smaller ones through here. */
  private final long minPullBytes;
  /** The system property that chooses how task inputs travel: {@code direct} or {@code relay}. */
  static final String TASK_INPUTS = "tessera.taskInputs";
  /** The system property with the smallest input (in bytes) that travels directly. */
  static final String MIN_PULL_BYTES = "tessera.directInputMinBytes";

  ProcessScheduler(ProcessOptions options) {
    this.options = options;
    String mode = System.getProperty(TASK_INPUTS, "direct");
    if (!mode.equals("direct") && !mode.equals("relay")) {
      throw new IllegalArgumentException("-D" + TASK_INPUTS + "=" + mode
          + " is not known: use direct (the default) or relay");
    }
    if (mode.equals("direct")) {
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      inputSecret = HexFormat.of().formatHex(secret);
    } else {
      inputSecret = null;
    }
    minPullBytes = Long.getLong(MIN_PULL_BYTES, Protocol.SMALL);
    this.codecs = new Codecs(options.codecs());
    this.engine = new Engine(this, name(), codecs, options.maxDeaths());
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
        engine.join(w);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    synchronized (OPEN) {
      OPEN.add(this);
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
    // how many engines the pool has, for the engines that the worker's tasks reach
    cmd.add("-D" + ForwardedEngines.COUNT_PROPERTY + "=" + options.workers());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WorkerMain.class.getName());
    cmd.add(Integer.toString(server.getLocalPort()));
    cmd.add(token);
    cmd.add(Long.toString(ProcessHandle.current().pid()));
    cmd.addAll(options.codecs());
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(options.workerEnvironment(System.getenv()));
      p = pb.start();
    } catch (IOException e) {
      pending.remove(token);
      throw new IllegalStateException("cannot start a worker JVM: " + e, e);
    }
    try {
      Socket s = connected.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      WorkerHandle w = new WorkerHandle(index, p, s, options.maxValueBytes(), minPullBytes);
      w.engines = engines;
      w.onPull = (to, from) -> {
        java.util.function.BiConsumer<WorkerHandle, WorkerHandle> c = pullWatcher;
        if (c != null) {
          c.accept(to, from);
        }
      };
      if (inputSecret != null) {
        // its first message: the worker opens its listener for its peers and says where
        w.send(o -> {
          o.writeByte(Protocol.INPUTS_SECRET);
          o.writeUTF(inputSecret);
        });
      }
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
    return engine.transfers();
  }

  /** {@return where each live worker listens for its peers' pulls (-1: nowhere), for tests} */
  List<Integer> inputPorts() {
    List<Integer> out = new ArrayList<>();
    for (WorkerHandle w : workers()) {
      out.add(w.inputPort());
    }
    return out;
  }

  /** {@return the engines, for tests of their links} */
  ProcessEngines processEngines() {
    return engines;
  }

  /** Counts a message between engines that this JVM relayed as a transfer. */
  void countTransfer(long bytes) {
    engine.countTransfer(bytes);
  }

  /**
   * {@return how many bytes were sent from one process to another so far, directly or
   * through this JVM}
   */
  public long transferredBytes() {
    return engine.transferredBytes();
  }

  /**
   * {@return how many of {@link #transferredBytes()} went through this JVM: inputs smaller
   * than {@code -Dtessera.directInputMinBytes} (64 KiB by default), every input with
   * {@code -Dtessera.taskInputs=relay}, inputs whose direct transfer failed, and relayed
   * messages between engines; the rest went from worker to worker directly}
   */
  public long relayedBytes() {
    return engine.relayedBytes();
  }

  Codecs codecs() {
    return codecs;
  }

  ProcessOptions options() {
    return options;
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
        engine.join(w);
      } catch (RuntimeException e) {
        engine.joinFailed(e);
      }
    }, "tessera-worker-replacer");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    checkOpen();
    return engine.get(plan, callback);
  }

  /**
   * Runs the plan and returns handles to its outputs, which stay on the workers that made them
   * until released; later computations on this pool use them in place.
   */
  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    checkOpen();
    return engine.persist(plan, callback);
  }

  /**
   * Like {@link #persist(ExecutionPlan, SchedulerCallback)}; with
   * {@link PersistOptions#backups(int)}, each output is also copied to that many other worker
   * processes once computed, so that a worker's death loses nothing and computes nothing again
   * (a lost copy is made again on a live worker, such as the dead one's replacement).
   *
   * @throws IllegalArgumentException if the pool does not have more live workers than backups
   */
  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen();
    return engine.persist(plan, callback, options.backupCount());
  }

  /**
   * Starts the plan on this pool's workers and returns at once; the outputs stay on the
   * workers (see {@link #persist}). Computations submitted from several threads run at once.
   */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback) {
    java.util.function.Supplier<Execution> onAThread =
        () -> Submitted.start(submitted, () -> persist(plan, callback), this::closedError);
    if (closed) {
      return onAThread.get(); // fails there, saying so
    }
    // without a thread of its own when it can start at once: the last worker answer ends it
    return engine.start(plan, callback, onAThread);
  }

  /**
   * Like {@link #submit(ExecutionPlan, SchedulerCallback)}; with
   * {@link PersistOptions#backups(int)}, the outputs are done once each is also copied to that
   * many other worker processes, as {@link #persist(ExecutionPlan, SchedulerCallback,
   * PersistOptions)} copies them (a future's result then outlives its worker without running
   * again). Fails the results with an {@link IllegalArgumentException} if the pool does not
   * have more live workers than backups.
   */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.backupCount() == 0) {
      return submit(plan, callback);
    }
    // on a thread: the copies are made after the computation, by the caller's side
    return Submitted.start(submitted, () -> persist(plan, callback, options),
        this::closedError);
  }

  /**
   * Starts putting {@code value} on every worker (encoded once, sent to each); later tasks on
   * any worker use it without a transfer. A worker started later (a replacement) receives it
   * when a task there needs it.
   */
  @Override
  public Execution broadcast(Key key, Object value) {
    Objects.requireNonNull(key, "key");
    return Submitted.start(submitted, () -> {
      checkOpen();
      return List.of(engine.broadcast(key, value));
    }, this::closedError);
  }

  private IllegalStateException closedError() {
    return new IllegalStateException(closedMessage());
  }

  private String closedMessage() {
    return name() + " is closed; create a new one with Schedulers.processes()";
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
    awaitLiveWorker();
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

  /**
   * Asks every live worker JVM how it is doing: heap, off-heap memory, the results it holds.
   * Workers that do not answer within two seconds (busy reading a large message, dying) are
   * left out.
   *
   * @return one entry per worker that answered
   * @throws ComputeCancelledException if interrupted while waiting for the answers
   */
  public List<WorkerStats> workerStats() {
    List<CompletableFuture<WorkerStats>> asked = new ArrayList<>();
    for (WorkerHandle w : workers()) {
      CompletableFuture<WorkerStats> f = new CompletableFuture<>();
      java.util.Queue<CompletableFuture<WorkerStats>> q = statsAsked.computeIfAbsent(w,
          x -> new java.util.concurrent.ConcurrentLinkedQueue<>());
      synchronized (q) {
        q.add(f);
        try {
          w.send(o -> o.writeByte(Protocol.STATS));
        } catch (IOException e) {
          q.remove(f);
          continue;
        }
      }
      asked.add(f);
    }
    List<WorkerStats> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (CompletableFuture<WorkerStats> f : asked) {
      try {
        out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ComputeCancelledException("interrupted while asking workers for their stats");
      } catch (ExecutionException | TimeoutException e) {
        // died or busy: left out
      }
    }
    return out;
  }

  /**
   * {@return the pools of worker JVMs in this JVM that are not closed, a snapshot; for
   * diagnostics such as the dashboard, which shows their workers' own figures}
   */
  public static List<ProcessScheduler> openPools() {
    synchronized (OPEN) {
      return new ArrayList<>(OPEN);
    }
  }

  @Override
  public void stats(WorkerHandle w, WorkerStats stats) {
    java.util.Queue<CompletableFuture<WorkerStats>> q = statsAsked.get(w);
    CompletableFuture<WorkerStats> f = q == null ? null : q.poll();
    if (f != null) {
      f.complete(stats);
    }
  }

  /** {@return how many results outlive their computation (persisted, futures), by handle} */
  public int heldValues() {
    return engine.heldValues();
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

  // ---- worker events: to the engine ----

  @Override
  public void done(WorkerHandle w, long id, long nanos, long size, byte[] small) {
    engine.done(w, id, nanos, size, small);
  }

  @Override
  public void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs) {
    StringBuilder why = new StringBuilder();
    List<Object> values = inputs.decode(codecs, why);
    engine.failed(w, id, decodeError(error), values, why.toString());
  }

  @Override
  public void data(WorkerHandle w, long id, byte[] bytes) {
    engine.data(w, id, bytes);
  }

  @Override
  public void unsendable(WorkerHandle w, long id, Throwable error) {
    engine.unsendable(w, id, error);
  }

  @Override
  public void pulled(WorkerHandle w, long id, long bytes) {
    engine.pulled(w, id, bytes);
    pullAnswered(w);
  }

  @Override
  public void pullFailed(WorkerHandle w, long id, boolean notHeld, String why) {
    engine.pullFailed(w, id, notHeld, why);
    pullAnswered(w);
  }

  /** Told of every pull answered (the puller), once the engine had it, for tests. */
  volatile java.util.function.Consumer<WorkerHandle> pullAnswerWatcher;

  private void pullAnswered(WorkerHandle w) {
    java.util.function.Consumer<WorkerHandle> c = pullAnswerWatcher;
    if (c != null) {
      c.accept(w);
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
    java.util.Queue<CompletableFuture<Integer>> q = counts.remove(w);
    if (q != null) {
      q.forEach(f -> f.completeExceptionally(new WorkerDiedException(w.name + " " + why)));
    }
    java.util.Queue<CompletableFuture<WorkerStats>> sq = statsAsked.remove(w);
    if (sq != null) {
      sq.forEach(f -> f.completeExceptionally(new WorkerDiedException(w.name + " " + why)));
    }
    int port = w.inputPort();
    if (port >= 0) {
      // pulls from it fail at once on every worker (its sockets closing may take a moment)
      for (WorkerHandle other : workers()) {
        if (other != w) {
          try {
            other.send(o -> {
              o.writeByte(Protocol.PULL_GONE);
              o.writeInt(port);
            });
          } catch (IOException e) {
            // dying too: its own death is reported
          }
        }
      }
    }
    engine.died(w, why);
    engines.died(w, why);
    replace(w);
  }

  /** {@return a worker's exception as it sent it, or one that says why it could not be read} */
  static Throwable decodeError(byte[] error) {
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(error))) {
      return (Throwable) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      return new RemoteTaskException("unknown", "the worker's exception could not be read: "
          + e, "");
    }
  }

  /** Stops every worker and waits for them to exit. */
  @Override
  public void close() {
    closed = true;
    synchronized (OPEN) {
      OPEN.remove(this);
    }
    engine.close(closedMessage()); // computations in progress wake with an error
    submitted.shutdown();
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
}
