package dev.tessera.schedulers.engine;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The scheduler state of a pool of remote workers for the pool's lifetime, independent of the
 * transport: which workers are live and how loaded, the computations in progress (each placed
 * by data locality, recovered when a worker dies), and the directory of results that outlive
 * their computation ({@link #persist}), each with its lineage: a result lost with its workers
 * is computed again from its graph the next time it is needed (fetched, or used by a later
 * computation, which also runs again when one of its inputs is lost while it runs). When every
 * worker is dead, a computation waits up to 60 s for the transport to join a replacement. A
 * transport (worker JVMs on sockets, an Ignite cluster)
 * implements {@link WorkerEndpoint} for each worker, tells the engine when one {@link #join joins},
 * and reports what workers answer through {@link WorkerEvents}, which this class implements.
 *
 * <pre>{@code
 * Engine engine = new Engine(myScheduler, "cluster(3)", myEncoding, 3);
 * for (MyNode node : nodes) {
 *   engine.join(node);                      // node implements WorkerEndpoint
 * }
 * // from the nodes' message threads: engine.done(node, id, nanos, size, small), ...
 * List<Object> results = engine.get(plan, callback);
 * }</pre>
 *
 * Thread-safe: any number of threads may compute at once.
 */
public final class Engine implements WorkerEvents {
  final Scheduler owner;
  final String name;
  final Encoding encoding;
  final int maxDeaths;
  private final AtomicLong ids = new AtomicLong(1);
  final List<WorkerEndpoint> live = new CopyOnWriteArrayList<>();
  /** Tasks placed on each worker and not yet answered, over every computation. */
  private final Map<WorkerEndpoint, AtomicInteger> loads = new ConcurrentHashMap<>();
  /** The computations in progress; worker events go to each (they ignore others' ids). */
  private final List<Computation> runs = new CopyOnWriteArrayList<>();
  /** Which computation in progress computes each key, for later ones to borrow. */
  final KeyClaims claims = new KeyClaims();
  /** Results that outlive their computation, by id. */
  final Map<Long, HeldValue> held = new ConcurrentHashMap<>();
  /** The copies of held values on other workers, made and repaired in the background. */
  private final Backups backups = new Backups(this);
  /** Broadcasts and backups in progress, by id. */
  final Map<Long, Spread> spreads = new ConcurrentHashMap<>();
  /** Fetches of held results by their handles, by id. */
  private final Map<Long, CompletableFuture<byte[]>> fetches = new ConcurrentHashMap<>();
  private final AtomicLong transferredBytes = new AtomicLong();
  private final AtomicLong transfers = new AtomicLong();
  private final AtomicLong relayedBytes = new AtomicLong();
  volatile String closed;
  /** The engines of this JVM not yet closed, for diagnostics ({@link #open()}). */
  private static final java.util.Set<Engine> OPEN =
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
  /** Notified when a worker joins or the engine closes. */
  private final Object joined = new Object();
  /** How long a computation waits for a worker when every one is dead. */
  private static final long WORKER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  /**
   * Creates the engine of a pool with no worker yet.
   *
   * @param owner the scheduler whose handles this engine's results are ({@link RemoteValue#owner})
   * @param name the pool's name, for messages
   * @param encoding how tasks and values travel
   * @param maxDeaths after this many worker deaths while running the same task, its computation
   *     fails naming it
   */
  public Engine(Scheduler owner, String name, Encoding encoding, int maxDeaths) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.name = Objects.requireNonNull(name, "name");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    if (maxDeaths < 1) {
      throw new IllegalArgumentException("maxDeaths must be at least 1, not " + maxDeaths);
    }
    this.maxDeaths = maxDeaths;
    synchronized (OPEN) {
      OPEN.add(this);
    }
  }

  /**
   * {@return the engines of this JVM that are not closed, a snapshot: for diagnostics such as
   * the dashboard, which lists their workers whatever the transport}
   */
  public static List<Engine> open() {
    synchronized (OPEN) {
      return new ArrayList<>(OPEN);
    }
  }

  /** {@return the scheduler whose engine this is} */
  public Scheduler owner() {
    return owner;
  }

  /**
   * A worker is ready for tasks: computations in progress start using it at once.
   *
   * @param w the worker
   */
  public void join(WorkerEndpoint w) {
    Objects.requireNonNull(w, "w");
    loads.putIfAbsent(w, new AtomicInteger());
    live.add(w);
    synchronized (joined) {
      joined.notifyAll();
    }
    for (Computation c : runs) {
      c.workerJoined(w);
    }
    for (HeldValue v : held.values()) {
      if (v.backups() > 0 && v.liveHolders() < v.backups() + 1) {
        backups.repair(v); // a copy lost with a worker earlier, or none could be made then
      }
    }
  }

  /**
   * A worker that should have replaced a dead one could not be started: computations left
   * without any worker fail with {@code why}.
   *
   * @param why the error
   */
  public void joinFailed(RuntimeException why) {
    Objects.requireNonNull(why, "why");
    for (Computation c : runs) {
      c.workerStartFailed(why);
    }
  }

  /** {@return the live workers, a snapshot} */
  public List<WorkerEndpoint> workers() {
    List<WorkerEndpoint> out = new ArrayList<>();
    for (WorkerEndpoint w : live) {
      if (w.alive()) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Runs the plan on the workers and returns its outputs' values, brought to this JVM.
   *
   * @param plan the plan
   * @param callback diagnostics, called outside the engine's lock
   * @return the outputs, in the plan's order
   * @throws TaskFailedException naming the key of the first task that failed
   * @throws ComputeCancelledException if the calling thread was interrupted
   */
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    return run(Objects.requireNonNull(plan, "plan"), Objects.requireNonNull(callback, "callback"),
        false);
  }

  /**
   * Runs the plan and returns handles to its outputs, which stay on the workers that made them
   * until released; later computations on this engine use them in place.
   *
   * @param plan the plan
   * @param callback diagnostics, called outside the engine's lock
   * @return a handle per output, in the plan's order
   * @throws TaskFailedException naming the key of the first task that failed
   * @throws ComputeCancelledException if the calling thread was interrupted
   */
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    List<RemoteValue> out = new ArrayList<>();
    for (Object o : run(Objects.requireNonNull(plan, "plan"),
        Objects.requireNonNull(callback, "callback"), true)) {
      out.add((RemoteValue) o);
    }
    return out;
  }

  /**
   * Like {@link #persist(ExecutionPlan, SchedulerCallback)}, with {@code backups} copies of
   * every output on other live workers, made once the computation is done (fetched here from
   * the worker that made it, sent on to the others, under the same id: the handle's directory
   * lists every holder). When a holder dies, a copy takes its place (computations in progress
   * and later ones read it there, nothing is computed again) and a new copy is made in the
   * background on a live worker that does not hold one, now or when one joins; a value is lost
   * only when every holder died before a copy could be made, and is then computed again from
   * its graph as without backups. {@link RemoteValue#release()} drops every copy.
   *
   * @param plan the plan
   * @param callback diagnostics, called outside the engine's lock
   * @param backups the copies of each output besides its own, 0 for none; fewer than the live
   *     workers
   * @return a handle per output, in the plan's order
   * @throws IllegalArgumentException if {@code backups} is negative, or not below the number of
   *     live workers (naming the fix; with no live worker it first waits up to 60 s for one)
   * @throws IllegalStateException if the engine is closed, or no worker joins within 60 s
   * @throws TaskFailedException naming the key of the first task that failed, or of an output
   *     whose copy failed on a worker (its handles are then released)
   * @throws ComputeCancelledException if the calling thread was interrupted
   */
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback,
      int backups) {
    if (backups < 0) {
      throw new IllegalArgumentException("backups must be 0 or more, not " + backups);
    }
    if (backups == 0) {
      return persist(plan, callback);
    }
    if (closed != null) {
      throw new IllegalStateException(closed);
    }
    awaitWorker(); // every worker dead and being replaced: count them once one is back
    this.backups.check(backups);
    List<RemoteValue> out = persist(plan, callback);
    try {
      java.util.Set<HeldValue> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (RemoteValue v : out) {
        if (v instanceof HeldValue h && h.engine == this && seen.add(h)) {
          h.wantBackups(backups);
          this.backups.backUp(h, true);
        }
      }
    } catch (RuntimeException e) {
      out.forEach(RemoteValue::release);
      throw e;
    }
    return out;
  }

  private List<Object> run(ExecutionPlan plan, SchedulerCallback callback, boolean keep) {
    if (closed != null) {
      throw new IllegalStateException(closed);
    }
    boolean borrows = true;
    for (int attempt = 1; ; attempt++) {
      awaitWorker();
      Map<Integer, HeldValue> placed = new HashMap<>();
      Map<Integer, byte[]> encoded = new HashMap<>();
      heldInputs(plan, placed, encoded);
      Computation run = new Computation(this, plan, callback, keep, placed, encoded);
      run.sharing.share(borrows);
      runs.add(run);
      try {
        if (closed != null) {
          run.poolClosed();
        }
        return run.execute();
      } catch (RuntimeException e) {
        if (run.borrowLost && borrows && closed == null) {
          // a result it took from another computation was not made: by itself this time
          borrows = false;
          attempt--;
          continue;
        }
        if (!run.inputLost || attempt >= maxDeaths || closed != null) {
          throw e;
        }
        // a result it used was lost with its worker: computed again below, then run again
      } finally {
        runs.remove(run);
      }
    }
  }

  /**
   * Starts the plan without a thread of its own when it can start at once, like
   * {@link #persist} (the outputs stay on the workers) but returning at once: the calling
   * thread places and sends the first tasks, and the thread of the last worker answer completes
   * the results, outside every engine lock. A computation that cannot start at once (no live
   * worker, the engine closed, a held input that must first be computed again or fetched) and
   * one that must run again because an input was lost with its worker use {@code otherwise},
   * which runs {@link #persist} on a thread of the transport's.
   *
   * @param plan the plan
   * @param callback diagnostics, called outside the engine's lock
   * @param otherwise starts the plan on a thread of its own
   * @return the execution: its results, and a cancel that stops it as an interrupt stops
   *     {@link #persist}
   */
  public Execution start(ExecutionPlan plan, SchedulerCallback callback,
      Supplier<Execution> otherwise) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(otherwise, "otherwise");
    if (closed != null || workers().isEmpty()) {
      return otherwise.get();
    }
    Map<Integer, HeldValue> placed = new HashMap<>();
    for (int t = 0; t < plan.size(); t++) {
      RemoteValue v = RemoteValue.of(plan.task(t));
      if (v == null) {
        continue;
      }
      try {
        v = v.resolve();
        if (!(v instanceof HeldValue hv) || hv.engine != this || hv.isLost()) {
          return otherwise.get(); // fetched here or computed again first: on a thread
        }
        hv.check();
        placed.put(t, hv);
      } catch (RuntimeException e) {
        return otherwise.get(); // fails there, naming the task
      }
    }
    Computation run = new Computation(this, plan, callback, true, placed, new HashMap<>());
    run.sharing.share(true);
    runs.add(run);
    CompletableFuture<List<RemoteValue>> results = new CompletableFuture<>();
    AtomicReference<Execution> again = new AtomicReference<>();
    AtomicBoolean cancelled = new AtomicBoolean();
    if (closed != null) {
      run.poolClosed();
    }
    run.start().whenComplete((values, error) -> {
      runs.remove(run);
      if (error == null) {
        List<RemoteValue> out = new ArrayList<>(values.size());
        for (Object o : values) {
          out.add((RemoteValue) o);
        }
        results.complete(out);
      } else if ((run.inputLost && maxDeaths > 1 || run.borrowLost) && closed == null
          && !cancelled.get()) {
        // a result it used was lost with its worker, or one it borrowed was not made:
        // computed again and run again there
        Execution e = otherwise.get();
        again.set(e);
        if (cancelled.get()) {
          e.cancel();
        }
        e.results().whenComplete((v, x) -> {
          if (x != null) {
            results.completeExceptionally(x instanceof java.util.concurrent.CompletionException
                && x.getCause() != null ? x.getCause() : x);
          } else {
            results.complete(v);
          }
        });
      } else {
        results.completeExceptionally(error);
      }
    });
    return Execution.of(results, () -> {
      cancelled.set(true);
      run.cancel();
      Execution e = again.get();
      if (e != null) {
        e.cancel();
      }
    });
  }

  /** Runs {@code r} once after a delay, on the engines' timer thread (made on first use). */
  static void later(Runnable r, long delay, TimeUnit unit) {
    Timer.TIMER.schedule(r, delay, unit);
  }

  /** The engines' timer: one daemon thread, for the checks of stopped computations. */
  private static final class Timer {
    static final java.util.concurrent.ScheduledThreadPoolExecutor TIMER = make();

    private static java.util.concurrent.ScheduledThreadPoolExecutor make() {
      java.util.concurrent.ScheduledThreadPoolExecutor t =
          new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "tessera-engine-timer");
            th.setDaemon(true);
            return th;
          });
      t.setRemoveOnCancelPolicy(true);
      return t;
    }
  }

  /** Waits (up to 60 s) while every worker is dead and the transport replaces them. */
  private void awaitWorker() {
    long deadline = System.nanoTime() + WORKER_WAIT_NANOS;
    synchronized (joined) {
      while (workers().isEmpty()) {
        if (closed != null) {
          throw new IllegalStateException(closed);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(name + " has no live worker and none joined within "
              + TimeUnit.NANOSECONDS.toSeconds(WORKER_WAIT_NANOS) + " s");
        }
        try {
          joined.wait(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ComputeCancelledException("interrupted while waiting for a worker of "
              + name);
        }
      }
    }
  }

  /**
   * Computes a lost value again from its lineage, once for concurrent users; returns at once
   * if it is not lost. Outside every engine lock.
   *
   * @throws TesseraException if it has no lineage, was released, or the engine closed
   */
  void ensure(HeldValue v) {
    if (!v.isLost()) {
      return;
    }
    synchronized (v.recovery) {
      for (int attempt = 1; v.isLost(); attempt++) {
        if (v.lineage == null || closed != null || attempt > maxDeaths) {
          v.check(); // says it is lost, and why
          return;
        }
        Object again = run(ExecutionPlan.of(v.lineage.graph(), List.of(v.key())),
            SchedulerCallback.NONE, true).get(0);
        if (!(again instanceof HeldValue h) || h.engine != this) {
          throw new TesseraException("the result of " + v.key() + " was lost with its worker"
              + " and computed again outside the workers; compute it again");
        }
        held.remove(h.id());
        v.adopt(h.id(), h.holders());
        held.put(v.id(), v);
        if (v.holder() == null) { // died meanwhile: once more
          held.remove(v.id());
          v.lose("its worker died again");
        }
      }
    }
    backups.repair(v); // computed again on one worker: its backups are made again
  }

  /**
   * Finds the plan's tasks that stand for results held before it ({@link RemoteValue#task}):
   * this engine's are used in place; any other's value is fetched and encoded here, before the
   * computation starts, outside every lock.
   */
  private void heldInputs(ExecutionPlan plan, Map<Integer, HeldValue> placed,
      Map<Integer, byte[]> encoded) {
    for (int t = 0; t < plan.size(); t++) {
      RemoteValue v = RemoteValue.of(plan.task(t));
      if (v == null) {
        continue;
      }
      try {
        v = v.resolve();
        if (v instanceof HeldValue hv && hv.engine == this) {
          if (hv.isLost() && hv.small() != null) {
            encoded.put(t, hv.small()); // lost on the workers, but its bytes are here
            continue;
          }
          ensure(hv); // lost with its workers: computed again from its graph
          hv.check();
          placed.put(t, hv);
        } else {
          encoded.put(t, encoding.encode(v.fetch()));
        }
      } catch (IOException | RuntimeException e) {
        throw new TaskFailedException(plan.key(t), ", the held result it stands for cannot be"
            + " used", e);
      }
    }
  }

  long newIds(int n) {
    return ids.getAndAdd(n);
  }

  /**
   * Takes the least loaded of {@code candidates} (the first on ties) and counts one more task
   * on it, in one step for every computation: placement's choice of a worker is atomic.
   */
  WorkerEndpoint reserve(List<WorkerEndpoint> candidates) {
    synchronized (loads) {
      WorkerEndpoint best = null;
      int bestLoad = Integer.MAX_VALUE;
      for (WorkerEndpoint w : candidates) {
        int l = load(w).get();
        if (l < bestLoad) {
          best = w;
          bestLoad = l;
        }
      }
      load(best).incrementAndGet();
      return best;
    }
  }

  /** {@return the tasks placed on w and not yet answered, over every computation} */
  AtomicInteger load(WorkerEndpoint w) {
    AtomicInteger l = loads.get(w);
    return l != null ? l : new AtomicInteger(); // a worker that died meanwhile
  }

  /**
   * Counts a transfer between workers that went through this JVM (a task's input sent along
   * with it; a message between engines that the transport relayed), so that
   * {@link #transfers()} covers every byte moved between workers and {@link #relayedBytes()}
   * those that passed through here.
   *
   * @param bytes the encoded size
   */
  public void countTransfer(long bytes) {
    transfers.incrementAndGet();
    transferredBytes.addAndGet(bytes);
    relayedBytes.addAndGet(bytes);
  }

  /** Counts a transfer from one worker straight to another ({@link WorkerEndpoint#pull}). */
  void countDirect(long bytes) {
    transfers.incrementAndGet();
    transferredBytes.addAndGet(bytes);
  }

  /**
   * {@return how many results were sent from one worker to another so far, directly or through
   * this JVM}
   */
  public long transfers() {
    return transfers.get();
  }

  /** {@return how many bytes were sent from one worker to another so far, directly or not} */
  public long transferredBytes() {
    return transferredBytes.get();
  }

  /**
   * {@return how many of {@link #transferredBytes()} went through this JVM (fetched here from
   * one worker, then sent to another); the rest went from worker to worker directly}
   */
  public long relayedBytes() {
    return relayedBytes.get();
  }

  /** {@return how many results outlive their computation (persisted, futures), by handle} */
  public int heldValues() {
    return held.size();
  }

  /**
   * {@return how many keys computations in progress claim, for later ones to borrow} (0 once
   * nothing runs; for tests and diagnostics)
   */
  public int claimedKeys() {
    return claims.size();
  }

  HeldValue register(HeldValue v) {
    held.put(v.id(), v);
    if (v.holder() == null) {
      v.lose(v.holders() + " died");
      held.remove(v.id());
    }
    return v;
  }

  /** Brings a held value to this JVM: one fetch, shared by concurrent callers. */
  Object fetch(HeldValue v) {
    return decode(v.key(), fetchBytes(v));
  }

  /**
   * Brings a held value's bytes to this JVM: one fetch, shared by concurrent callers. When the
   * worker asked dies before it answers and another live worker holds the value (a backup, a
   * broadcast's copy), that one is asked instead.
   */
  byte[] fetchBytes(HeldValue v) {
    for (int attempt = 1; ; attempt++) {
      WorkerEndpoint from = liveHolder(v);
      if (from == null) {
        v.check();
        throw new TesseraException("the result of " + v.key() + " is held by no live worker;"
            + " compute it again");
      }
      long id = v.id();
      CompletableFuture<byte[]> nf = new CompletableFuture<>();
      CompletableFuture<byte[]> f = fetches.putIfAbsent(id, nf);
      if (f == null) {
        // registered before the fetch leaves, so that the answer always finds it
        f = nf;
        try {
          from.fetch(id);
          if (!live.contains(from)) {
            // its death was reported before the fetch was registered: nobody else ends it
            nf.completeExceptionally(new WorkerDiedException(from.name() + " died"));
          }
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
        WorkerEndpoint next = liveHolder(v);
        if (!live.contains(from) && next != null && next != from
            && attempt <= v.holders().size() + maxDeaths) {
          continue; // its worker died: another holder answers
        }
        v.check(); // lost with its worker: says so
        throw new TesseraException("the result of " + v.key() + " could not be fetched from "
            + from.name() + ": " + e.getCause(), e.getCause());
      } finally {
        fetches.remove(id, f);
      }
      if (bytes.length == 0) {
        v.check();
        throw new TesseraException("the result of " + v.key() + " is no longer held by "
            + from.name() + "; compute it again");
      }
      return bytes;
    }
  }

  /** {@return a worker holding {@code v} whose death was not reported, or null} */
  WorkerEndpoint liveHolder(HeldValue v) {
    for (WorkerEndpoint w : v.holders()) {
      if (w.alive() && live.contains(w)) {
        return w;
      }
    }
    return null;
  }

  Object decode(Key key, byte[] bytes) {
    try {
      return encoding.decode(bytes);
    } catch (IOException e) {
      throw new TesseraException("the result of " + key + " could not be decoded here: "
          + e, e);
    }
  }

  /** Drops a held value on its workers. */
  void release(HeldValue v) {
    long id = v.id();
    // this very handle: a lent handle that went stale never releases the newer one of its id
    if (held.remove(id, v)) {
      for (WorkerEndpoint w : v.holders()) {
        try {
          w.release(new long[] {id});
        } catch (IOException e) {
          // a dead worker holds nothing
        }
      }
    }
  }

  /**
   * Puts one value on every live worker, encoded once here and sent to each: later tasks on
   * any of them read it where they run, without a transfer. Blocks until every worker has it.
   * The handle stays usable while any of its workers lives; {@link RemoteValue#release()}
   * drops every copy.
   *
   * @param key the value's key
   * @param value the value (serializable or with a codec)
   * @return the handle, held by every worker live now
   * @throws TaskFailedException naming the key if the value cannot be encoded or kept
   * @throws ComputeCancelledException if interrupted while waiting for the workers
   */
  public RemoteValue broadcast(Key key, Object value) {
    Objects.requireNonNull(key, "key");
    if (closed != null) {
      throw new IllegalStateException(closed);
    }
    byte[] task;
    try {
      task = encoding.encodeTask(dev.tessera.graph.core.Task.constant(value));
    } catch (IOException e) {
      throw new TaskFailedException(key, " before it was sent to the workers", e);
    }
    List<WorkerEndpoint> to = workers();
    if (to.isEmpty()) {
      throw new IllegalStateException(name + " has no live worker to broadcast " + key + " to");
    }
    long id = newIds(1);
    Spread spread = new Spread(to);
    spreads.put(id, spread);
    spread.loseGone(live);
    String k = key.toString();
    try {
      for (WorkerEndpoint w : to) {
        try {
          w.run(id, k.length() > 1000 ? k.substring(0, 1000) : k, false, task, new long[0],
              new byte[0][]);
          countTransfer(task.length);
        } catch (IOException e) {
          spread.lost(w, e.toString());
        }
      }
      List<WorkerEndpoint> holders = spread.await(key);
      return register(new HeldValue(this, id, key, holders, spread.sizeBytes, null, null));
    } catch (RuntimeException e) {
      for (WorkerEndpoint w : to) {
        try {
          w.release(new long[] {id});
        } catch (IOException io) {
          // gone
        }
      }
      throw e;
    } finally {
      spreads.remove(id);
    }
  }

  // ---- worker events: to every computation in progress (each ignores others' ids) ----

  @Override
  public void done(WorkerEndpoint w, long id, long nanos, long sizeBytes, byte[] small) {
    Objects.requireNonNull(w, "w");
    if (!spreads.isEmpty()) {
      Spread s = spreads.get(id);
      if (s != null) {
        s.done(w, sizeBytes);
        return;
      }
    }
    for (Computation run : runs) {
      run.done(w, id, nanos, sizeBytes, small);
    }
  }

  @Override
  public void failed(WorkerEndpoint w, long id, Throwable error, List<Object> inputs,
      String missing) {
    Objects.requireNonNull(w, "w");
    Spread s = spreads.get(id);
    if (s != null) {
      s.failed(w, error);
      return;
    }
    for (Computation run : runs) {
      run.failed(w, id, error, inputs, missing);
    }
  }

  @Override
  public void data(WorkerEndpoint w, long id, byte[] bytes) {
    Objects.requireNonNull(w, "w");
    CompletableFuture<byte[]> f = fetches.get(id);
    if (f != null) {
      f.complete(bytes);
    }
    for (Computation run : runs) {
      run.data(w, id, bytes);
    }
  }

  @Override
  public void unsendable(WorkerEndpoint w, long id, Throwable error) {
    Objects.requireNonNull(w, "w");
    CompletableFuture<byte[]> f = fetches.get(id);
    if (f != null) {
      f.completeExceptionally(error);
    }
    for (Computation run : runs) {
      run.unsendable(w, id, error);
    }
  }

  @Override
  public void pulled(WorkerEndpoint w, long id, long bytes) {
    Objects.requireNonNull(w, "w");
    Spread s = spreads.get(id);
    if (s != null) {
      s.done(w, bytes); // a backup copy the worker took from another holder
      countDirect(bytes);
      return;
    }
    for (Computation run : runs) {
      run.pulled(w, id, bytes);
    }
  }

  @Override
  public void pullFailed(WorkerEndpoint w, long id, boolean notHeld, String why) {
    Objects.requireNonNull(w, "w");
    Spread s = spreads.get(id);
    if (s != null) {
      s.refused(w); // that backup copy goes through here instead
      return;
    }
    for (Computation run : runs) {
      run.pullFailed(w, id, notHeld, why);
    }
  }

  @Override
  public void died(WorkerEndpoint w, String why) {
    Objects.requireNonNull(w, "w");
    live.remove(w);
    loads.remove(w);
    for (Spread s : spreads.values()) {
      s.lost(w, why);
    }
    for (HeldValue v : held.values()) {
      if (!v.holders().contains(w)) {
        continue;
      }
      if (v.drop(w)) {
        v.lose(w.name() + " " + why);
        held.remove(v.id());
        CompletableFuture<byte[]> f = fetches.get(v.id());
        if (f != null) {
          f.completeExceptionally(new WorkerDiedException(w.name() + " " + why));
        }
      } else {
        CompletableFuture<byte[]> f = fetches.get(v.id());
        if (f != null && v.holder() != null) {
          // a fetch in flight from w: its backup answers instead
          try {
            v.holder().fetch(v.id());
          } catch (IOException e) {
            // dying too: its own death ends the fetch
          }
        }
        backups.repair(v); // a backup took its place: a new copy replaces the lost one
      }
    }
    for (Computation run : runs) {
      run.died(w, why);
    }
  }

  /**
   * The pool closes: computations in progress end at once with {@code why}, every held result
   * is lost, and nothing more can run.
   *
   * @param why for messages, with the fix (for example how to make a new pool)
   */
  public void close(String why) {
    closed = Objects.requireNonNull(why, "why");
    synchronized (OPEN) {
      OPEN.remove(this);
    }
    synchronized (joined) {
      joined.notifyAll();
    }
    for (Computation run : runs) {
      run.poolClosed(); // its caller wakes with an error instead of waiting for dead workers
    }
    for (HeldValue v : held.values()) {
      v.lose(name + " was closed");
    }
    held.clear();
    fetches.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why)));
    backups.close();
  }
}
