package dev.tessera.schedulers.engine;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.spi.TransferEvent;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One computation (one plan) on an {@link Engine}: the task states and their transitions. The
 * other concerns live next to it, each in its own file, all on this state and its lock:
 * {@link Directory} (which worker holds which result, its size, the bytes fetched here),
 * {@link Placement} (which ready task goes to which worker: data locality, load),
 * {@link Recovery} (a worker died, or no longer holds a result) and {@link Releases} (results no
 * pending task needs, and everything at the end). Several computations run at once on one
 * engine; each has its own range of result ids and ignores events for ids not its own.
 *
 * <h2>Task states (Dask distributed's, per task of this computation)</h2>
 * <pre>
 *   WAITING  some input is not DONE                      (Dask: waiting)
 *   READY    every input DONE, in the heap               (Dask: queued)
 *   PARKED   placed on a worker, waiting for an input held by another one to reach it
 *            (pulled there directly, or fetched here to go along with the task)
 *   SENT     sent to a worker, no answer yet             (Dask: processing)
 *   DONE     result held by a worker (the directory's home, plus copies) or in the
 *            directory's cache here                      (Dask: memory)
 * </pre>
 * Transitions: WAITING→READY when the last input is DONE; READY→SENT (or →PARKED→SENT) by
 * placement, on the worker holding most of its input bytes among the least loaded;
 * SENT→DONE on done; SENT→WAITING on failed (the computation stops: Dask's erred) or, when the
 * worker dies, SENT→READY (up to {@link Engine#maxDeaths} times); DONE→WAITING when the only
 * worker holding a result still needed dies (recovery computes it again, with whatever it
 * needs); a result is released (Dask: released, then forgotten) when no pending task needs it,
 * except outputs that {@code persist} keeps on its worker, as a {@link HeldValue}, after the
 * computation ends. Results held before the computation (persisted data, futures) enter DONE,
 * under their own ids ({@code ext}), and are never released here.
 *
 * <h2>Threads and the lock</h2>
 * Worker events arrive on the transport's threads; the calling thread waits on
 * {@link #changed}. Every field below {@link #lock} is guarded by it. Callbacks
 * ({@code pretask}, {@code posttask}) and the encoding and sending of tasks happen without the
 * lock: what is decided under it is queued in {@link #outbox} and run by the thread that
 * decided it, after unlocking ({@link #unlock()}).
 */
final class Computation {
  static final byte WAITING = 0;
  static final byte READY = 1;
  static final byte SENT = 2;
  static final byte PARKED = 3;
  static final byte DONE = 4;

  final Engine engine;
  final ExecutionPlan plan;
  final SchedulerCallback callback;
  final RunInfo info;
  final int n;
  final long idBase;
  /** Whether outputs stay on their workers at the end (persist) or come home (get). */
  final boolean keep;
  final Directory directory;
  final Placement placement;
  final Recovery recovery;
  final Releases releases;
  /** The keys it shares with other computations in progress: borrowed, lent, claimed. */
  final Sharing sharing;

  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();

  // guarded by lock
  final byte[] state;
  /** waiting[i]: dependencies of task i that are not DONE. */
  final int[] waiting;
  /** holders[i]: tasks still to run that need i's result, plus 1 if i is an output. */
  final int[] holders;
  final boolean[] isOutput;
  final int distinctOutputs;
  /** Tasks whose dependencies are all DONE, lowest priority first. */
  final IntHeap ready;
  final int[] deaths;
  final long[] sentAt;
  /** The worker each SENT or PARKED task was placed on. */
  final WorkerEndpoint[] assigned;
  /** Held before this run: the handles, by task. */
  final Map<Integer, HeldValue> inputs;
  int finished;
  int outputsFetched;
  /** Results held now (by workers or here), for the task events. */
  int held;
  String lastDeath = "";
  /** Threads calling callbacks right now, without the lock: the run does not end before. */
  int delivering;
  /** The engine closed: its workers are gone and will report nothing more. */
  boolean abandoned;
  /** It failed because a result held before it was lost: worth running again. */
  boolean inputLost;
  /**
   * It failed because a result it borrowed from another computation was not made: worth
   * running again without borrowing ({@link Sharing}).
   */
  boolean borrowLost;
  /** Whether {@link #begin} ran: the first tasks were placed. */
  private boolean begun;
  /** The first failure or the cancellation; once set, nothing new is placed. */
  RuntimeException failure;
  /**
   * Whether {@link #failure} is set, readable without the lock: a task decided before the
   * failure and not yet sent is then not sent at all (it would reach its worker after the
   * cancel and run to its end).
   */
  private volatile boolean stopped;
  boolean interrupted;
  /** Whether anyone listens to task events (no events are made for the no-op callback). */
  private final boolean observed;
  /** Work decided under the lock, to run after it is released (sends, callbacks). */
  private List<Runnable> outbox = new ArrayList<>();
  /** Whether some thread is running the outbox (see {@link #unlock()}). */
  private boolean draining;
  /** Completed at the end of a computation started by {@link #start}; null for execute. */
  private CompletableFuture<List<Object>> async;
  /** Whether a computation started by {@link #start} has ended. */
  private boolean over;

  Computation(Engine engine, ExecutionPlan plan, SchedulerCallback callback, boolean keep,
      Map<Integer, HeldValue> placed, Map<Integer, byte[]> encoded) {
    this.engine = engine;
    this.plan = plan;
    this.callback = callback;
    this.observed = callback != SchedulerCallback.NONE;
    this.keep = keep;
    this.n = plan.size();
    this.info = new RunInfo(RunInfo.nextId(), engine.name, plan, System.nanoTime());
    this.idBase = engine.newIds(Math.max(1, n));
    state = new byte[n];
    waiting = new int[n];
    holders = new int[n];
    isOutput = new boolean[n];
    deaths = new int[n];
    sentAt = new long[n];
    assigned = new WorkerEndpoint[n];
    int[] priority = new int[n];
    for (int i = 0; i < n; i++) {
      priority[i] = plan.priority(i);
      waiting[i] = plan.dependencyCount(i);
      holders[i] = plan.dependentCount(i);
    }
    int outputs = 0;
    for (int j = 0; j < plan.outputs().size(); j++) {
      int o = plan.outputIndex(j);
      if (!isOutput[o]) {
        isOutput[o] = true;
        holders[o]++;
        outputs++;
      }
    }
    distinctOutputs = outputs;
    ready = new IntHeap(priority, Math.min(n, 1024));
    directory = new Directory(this);
    placement = new Placement(this);
    recovery = new Recovery(this);
    releases = new Releases(this);
    sharing = new Sharing(this);
    inputs = placed;
    for (WorkerEndpoint w : engine.workers()) {
      placement.addWorker(w);
    }
    placed.forEach((t, v) -> directory.heldBefore(t, v));
    encoded.forEach((t, b) -> directory.cache.put(t, b));
    for (int t : placed.keySet()) {
      enterDone(t);
    }
    for (int t : encoded.keySet()) {
      enterDone(t);
    }
  }

  void enterDone(int t) {
    state[t] = DONE;
    finished++;
    held++;
    for (int j = 0, k = plan.dependentCount(t); j < k; j++) {
      waiting[plan.dependent(t, j)]--;
    }
  }

  /**
   * Task t's result, borrowed from another computation ({@link Sharing}), was made: t is DONE,
   * held as {@code v} is. Lock held.
   */
  void borrowedDone(int t, HeldValue v) {
    directory.heldBefore(t, v);
    waiting[t] = 0;
    enterDone(t);
    for (int j = 0, k = plan.dependentCount(t); j < k; j++) {
      int p = plan.dependent(t, j);
      if (waiting[p] == 0 && state[p] == WAITING) {
        state[p] = READY;
        ready.add(p);
      }
    }
    if (begun) { // else begin() does both
      if (!keep && isOutput[t]) {
        directory.fetchFrom(t, directory.home[t]);
      }
      placement.pump();
    }
    wake();
  }

  /** Runs the computation on the calling thread and returns the outputs (values or handles). */
  List<Object> execute() {
    callback.start(info);
    try {
      lock.lock();
      try {
        return runLocked();
      } finally {
        unlock();
      }
    } finally {
      RunOutcome outcome;
      lock.lock();
      try {
        outcome = new RunOutcome(finished, n, failure, System.nanoTime());
      } finally {
        lock.unlock();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      callback.finish(info, outcome);
    }
  }

  /** Starts the computation: the ready tasks, the fetches of outputs held before. Lock held. */
  private void begin() {
    if (!placement.hasWorkers()) {
      throw new IllegalStateException(engine.name + " has no live worker");
    }
    begun = true;
    for (int i = 0; i < n; i++) {
      if (waiting[i] == 0 && state[i] == WAITING) {
        state[i] = READY;
        ready.add(i);
      }
    }
    if (!keep) {
      // outputs that were held before this run: fetch them now
      for (int i = 0; i < n; i++) {
        if (isOutput[i] && state[i] == DONE) {
          if (directory.cache.containsKey(i)) {
            outputsFetched++;
          } else {
            directory.fetchFrom(i, directory.home[i]);
          }
        }
      }
    }
    placement.pump();
  }

  /**
   * Starts the computation without a thread of its own: the calling thread places and sends
   * the first tasks, and the thread of the event that ends it (a worker's answer, a cancel,
   * the pool closing) completes the future, after {@code finish}, outside the lock. Waiting on
   * a thread instead cost two thread hand-offs per computation, a third of a round trip.
   *
   * @return the outputs (values or handles), or the failure
   */
  CompletableFuture<List<Object>> start() {
    CompletableFuture<List<Object>> f = new CompletableFuture<>();
    callback.start(info);
    lock.lock();
    try {
      async = f;
      try {
        begin();
      } catch (RuntimeException e) {
        stop(e);
      }
    } finally {
      unlock();
    }
    return f;
  }

  /** Cancels a computation started by {@link #start}, as an interrupt cancels execute. */
  void cancel() {
    lock.lock();
    try {
      stop(new ComputeCancelledException("computation of " + plan.outputs().size()
          + " output(s) on " + engine.name + " cancelled after " + finished + " of " + n
          + " tasks"));
    } finally {
      unlock();
    }
  }

  /**
   * For a computation started by {@link #start}: if it is over (the conditions of
   * {@code runLocked}'s loop), builds its outcome and returns what completes it, to run
   * without the lock; else null. Lock held, outbox drained.
   */
  private Runnable endIfOver() {
    boolean end = failure != null ? (placement.busy() == 0 && delivering == 0) || abandoned
        : finished == n && (keep || outputsFetched == distinctOutputs) && delivering == 0;
    if (!end) {
      return null;
    }
    over = true;
    List<Object> values = null;
    RuntimeException error = failure;
    try {
      if (error == null) {
        values = keep ? handles() : gather();
      }
    } catch (RuntimeException e) {
      error = e;
    } finally {
      releases.releaseAll();
    }
    // what the end queued (borrowers told their result will not come): run with the rest
    List<Runnable> tail = takeOutbox();
    RunOutcome outcome = new RunOutcome(finished, n, failure, System.nanoTime());
    CompletableFuture<List<Object>> f = async;
    List<Object> v = values;
    RuntimeException err = error;
    return () -> {
      tail.forEach(Runnable::run);
      RuntimeException e = err;
      try {
        callback.finish(info, outcome);
      } catch (RuntimeException x) {
        e = e == null ? x : e; // as from execute: a failing finish fails the computation
      }
      if (e != null) {
        f.completeExceptionally(e);
      } else {
        f.complete(v);
      }
    };
  }

  /**
   * After a failure, a computation started by {@link #start} whose tasks ignore the cancel
   * for {@code 10 s} has their workers killed (as {@code runLocked} does): their deaths end it.
   */
  private void killIfStuck() {
    lock.lock();
    try {
      if (over || placement.busy() == 0) {
        return;
      }
      placement.killBusyWorkers();
    } finally {
      unlock();
    }
    Engine.later(this::killIfStuck, 1, TimeUnit.SECONDS);
  }

  private List<Object> runLocked() {
    try {
      begin();
      long cancelDeadline = 0;
      while (true) {
        flush();
        if (failure != null && ((placement.busy() == 0 && delivering == 0) || abandoned)) {
          break;
        }
        if (failure == null && finished == n && (keep || outputsFetched == distinctOutputs)
            && delivering == 0) {
          break;
        }
        try {
          if (failure != null) {
            if (cancelDeadline == 0) {
              cancelDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            if (!changed.await(500, TimeUnit.MILLISECONDS)
                && System.nanoTime() > cancelDeadline) {
              placement.killBusyWorkers(); // they ignored the cancel: their deaths end the wait
            }
          } else {
            changed.await();
          }
        } catch (InterruptedException e) {
          interrupted = true;
          stop(new ComputeCancelledException("computation of " + plan.outputs().size()
              + " output(s) on " + engine.name + " cancelled by an interrupt after "
              + finished + " of " + n + " tasks"));
        }
      }
      if (failure != null) {
        throw failure;
      }
      return keep ? handles() : gather();
    } finally {
      releases.releaseAll();
    }
  }

  /** The outputs as handles to data that stays on the workers; registered with the engine. */
  private List<Object> handles() {
    Map<Integer, RemoteValue> made = new HashMap<>();
    List<Object> out = new ArrayList<>(plan.outputs().size());
    for (int j = 0; j < plan.outputs().size(); j++) {
      int o = plan.outputIndex(j);
      RemoteValue v = inputs.get(o);
      if (v == null && directory.home[o] == null) {
        v = RemoteValue.local(plan.key(o), decodeOutput(o), directory.size[o]); // from here
      } else if (v == null) {
        v = made.computeIfAbsent(o, x -> engine.register(new HeldValue(engine, idBase + x,
            plan.key(x), List.of(directory.home[x]), directory.size[x],
            directory.cache.get(x), plan)));
      }
      out.add(v);
    }
    return out;
  }

  private List<Object> gather() {
    List<Object> out = new ArrayList<>(plan.outputs().size());
    Map<Integer, Object> decoded = new HashMap<>();
    for (int j = 0; j < plan.outputs().size(); j++) {
      int o = plan.outputIndex(j);
      Object v = decoded.get(o);
      if (v == null && !decoded.containsKey(o)) {
        v = decodeOutput(o);
        decoded.put(o, v);
      }
      out.add(v);
    }
    return out;
  }

  private Object decodeOutput(int o) {
    try {
      return engine.encoding.decode(directory.cache.get(o));
    } catch (IOException e) {
      throw new TesseraException("the result of " + plan.key(o)
          + " could not be decoded in the parent: " + e, e);
    }
  }

  // ---- the lock and the work done after it ----

  /**
   * Wakes the calling thread when it may have something to do: the computation may be over
   * (every task done, or a failure). Not on every event: a wake-up per task costs the caller a
   * context switch for nothing. Lock held.
   */
  void wake() {
    if (failure != null || finished == n) {
      changed.signal();
    }
  }

  /** Queues work to run without the lock, by the thread that releases it. Lock held. */
  void later(Runnable r) {
    outbox.add(r);
  }

  /**
   * Releases the lock, then runs what was queued under it. One thread at a time runs the
   * outbox, in the order it was filled: a send that carries an input to a worker records the
   * copy at once, so a later send to that worker leaves the input out, and must not overtake
   * the first (the worker failed with "result N is not held here"). A thread that finds
   * another one draining leaves its work to it.
   */
  void unlock() {
    if (draining) {
      lock.unlock(); // the draining thread checks the end when it is done
      return;
    }
    drain();
    Runnable end = async != null && !over ? endIfOver() : null;
    lock.unlock();
    if (end != null) {
      end.run();
    }
  }

  /** Runs what was queued without the lock, then takes the lock again. Lock held (once). */
  private void flush() {
    if (!draining) {
      drain();
    }
  }

  /** Lock held, not draining: runs the outbox until it is empty; returns with the lock held. */
  private void drain() {
    draining = true;
    try {
      while (!outbox.isEmpty()) {
        List<Runnable> todo = takeOutbox();
        lock.unlock();
        try {
          for (Runnable r : todo) {
            r.run();
          }
        } finally {
          lock.lock();
        }
      }
    } finally {
      draining = false;
    }
  }

  private List<Runnable> takeOutbox() {
    if (outbox.isEmpty()) {
      return List.of();
    }
    List<Runnable> todo = outbox;
    outbox = new ArrayList<>();
    return todo;
  }

  // ---- sending a task ----

  /**
   * Marks t SENT to w and queues the encoding, the pretask callback and the send, to run
   * without the lock. Lock held; every input is on w or in the directory's cache.
   */
  void send(int t, WorkerEndpoint w) {
    int k = plan.dependencyCount(t);
    long[] ids = new long[k];
    byte[][] inline = new byte[k][];
    String[] from = null; // where each input sent along came from, for the transfer callback
    for (int j = 0; j < k; j++) {
      int d = plan.dependency(t, j);
      ids[j] = directory.idOn(d, w);
      if (!directory.holds(d, w)) {
        inline[j] = directory.cache.get(d);
        engine.countTransfer(inline[j].length);
        if (observed) {
          from = from == null ? new String[k] : from;
          WorkerEndpoint h = directory.holder(d);
          from[j] = h == null ? "this JVM" : h.name(); // its holder died: it was cached here
        }
        directory.addCopy(d, w);
      }
    }
    state[t] = SENT;
    sentAt[t] = System.nanoTime();
    String[] sources = from;
    later(() -> transmit(t, w, ids, inline, sources));
  }

  /** Encodes and sends a task placed by {@link #send}; without the lock. */
  private void transmit(int t, WorkerEndpoint w, long[] ids, byte[][] inline, String[] from) {
    Task task = plan.task(t);
    byte[] taskBytes;
    try {
      taskBytes = engine.encoding.encodeTask(task);
    } catch (NotSerializableException e) {
      unsent(t, w, new TaskFailedException(plan.key(t), " before it was sent to a worker",
          new NotSerializableException(e.getMessage() + " is not serializable: the task's"
              + " function captures it or takes it as an argument; make it Serializable,"
              + " register a Codec for it, or use a threaded scheduler")));
      return;
    } catch (IOException | RuntimeException e) {
      unsent(t, w, new TaskFailedException(plan.key(t), " before it was sent to a worker", e));
      return;
    }
    if (stopped) {
      // stopped meanwhile (the failure is set): never announced, never sent. Checked before
      // pretask, not after: a task announced as started must end, and it ends only on its
      // worker's answer (ProcessSchedulerTest once saw "started 3, ended 1")
      unsent(t, w, null);
      return;
    }
    try {
      callback.pretask(info, plan.key(t), w.name());
      for (int j = 0; from != null && j < from.length; j++) {
        if (from[j] != null) {
          callback.transfer(info, new TransferEvent(plan.key(plan.dependency(t, j)), from[j],
              w.name(), inline[j].length, System.nanoTime()));
        }
      }
    } catch (RuntimeException e) {
      unsent(t, w, new TaskFailedException(plan.key(t), "", e));
      return;
    }
    // sent even if stopped since the check above: its cancel follows it through the outbox
    String key = plan.key(t).toString();
    try {
      w.run(idBase + t, key.length() > 1000 ? key.substring(0, 1000) : key, isOutput[t],
          taskBytes, ids, inline);
    } catch (IOException e) {
      // the worker is dying; its death puts the task back
    }
  }

  /** A task marked SENT was not sent: the computation stops with {@code why} (if not yet). */
  private void unsent(int t, WorkerEndpoint w, RuntimeException why) {
    lock.lock();
    try {
      if (state[t] == SENT && assigned[t] == w) {
        state[t] = WAITING;
        placement.answered(w);
      }
      if (why != null) {
        stop(why);
      }
      changed.signal();
    } finally {
      unlock();
    }
  }

  // ---- worker events (the transport's threads) ----

  int task(long id) {
    long t = id - idBase;
    if (t >= 0 && t < n) {
      return (int) t;
    }
    return directory.extTask(id);
  }

  void done(WorkerEndpoint w, long id, long nanos, long bytes, byte[] small) {
    TaskEvent event = null;
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || state[t] != SENT || assigned[t] != w) {
        return; // stale: from before a worker death
      }
      state[t] = DONE;
      directory.made(t, w, bytes);
      sharing.done(t);
      placement.answered(w);
      finished++;
      held++;
      for (int j = 0, k = plan.dependencyCount(t); j < k; j++) {
        int d = plan.dependency(t, j);
        if (--holders[d] == 0) {
          releases.release(d);
        }
      }
      for (int j = 0, k = plan.dependentCount(t); j < k; j++) {
        int p = plan.dependent(t, j);
        if (--waiting[p] == 0 && state[p] == WAITING) {
          state[p] = READY;
          ready.add(p);
        }
      }
      if (isOutput[t] && small != null && !directory.cache.containsKey(t)) {
        directory.cache.put(t, small); // came with done: no fetch
        if (!keep) {
          outputsFetched++;
        }
      } else if (!keep && isOutput[t] && !directory.cache.containsKey(t)) {
        directory.fetchFrom(t, w);
      }
      if (observed) {
        long end = System.nanoTime();
        event = new TaskEvent(plan.key(t), w.name(), Math.max(sentAt[t], end - nanos), end,
            null, held, directory.size[t]);
        delivering++;
      }
      placement.pump();
      wake();
    } catch (RuntimeException e) {
      stop(e);
    } finally {
      unlock();
    }
    deliver(event);
  }

  /**
   * Calls {@code posttask} without the lock (a slow callback must not hold up the others'
   * messages); the computation does not end before it returned ({@link #delivering}).
   */
  void deliver(TaskEvent... events) {
    if (events.length == 0 || events[0] == null) {
      return;
    }
    RuntimeException error = null;
    for (TaskEvent e : events) {
      try {
        callback.posttask(info, e);
      } catch (RuntimeException x) {
        error = error == null ? x : error;
      }
    }
    lock.lock();
    try {
      delivering--;
      if (error != null) {
        stop(error);
      }
      wake();
    } finally {
      unlock();
    }
  }

  void failed(WorkerEndpoint w, long id, Throwable cause, List<Object> values, String missing) {
    TaskEvent event = null;
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || state[t] != SENT || assigned[t] != w) {
        return;
      }
      state[t] = WAITING;
      placement.answered(w);
      if (observed) {
        event = new TaskEvent(plan.key(t), w.name(), sentAt[t], System.nanoTime(), cause, held,
            -1);
        delivering++;
      }
      if (failure == null) {
        stop(new TaskFailedException(plan.key(t), " on " + w.name(), cause, plan.task(t), values,
            missing));
      }
      changed.signal();
    } finally {
      unlock();
    }
    deliver(event);
  }

  /**
   * The result of {@code id} cannot be brought from {@code w}: it does not encode, or it is too
   * large. Computing it again would end the same way, so the computation fails, naming it.
   */
  void unsendable(WorkerEndpoint w, long id, Throwable error) {
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || !directory.fetching.remove(t)) {
        return;
      }
      stop(new TaskFailedException(plan.key(t), " on " + w.name() + ", but its result could not"
          + " be sent " + (isOutput[t] ? "back to this JVM" : "to the task that needs it"),
          error));
    } finally {
      unlock();
    }
  }

  void data(WorkerEndpoint w, long id, byte[] bytes) {
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || !directory.fetching.remove(t)) {
        return;
      }
      if (bytes.length == 0) {
        recovery.notHeld(t, w);
        return;
      }
      directory.cache.put(t, bytes);
      if (isOutput[t]) {
        outputsFetched++;
      }
      placement.arrived(t);
      wake();
    } finally {
      unlock();
    }
  }

  /** {@code w} pulled the result of {@code id} straight from another worker; it holds it now. */
  void pulled(WorkerEndpoint w, long id, long bytes) {
    lock.lock();
    try {
      int d = task(id);
      WorkerEndpoint from = d < 0 ? null : directory.pullEnded(d, w);
      if (from == null) {
        return; // stale: w died meanwhile, or not this computation's
      }
      engine.countDirect(bytes);
      if (state[d] != DONE) {
        // lost meanwhile and being computed again: w's copy is left out of the directory
        // (the new result may differ) and dropped at the end
        directory.strays.computeIfAbsent(d, x -> new java.util.HashSet<>()).add(w);
        return;
      }
      directory.addCopy(d, w);
      if (observed) {
        TransferEvent e = new TransferEvent(plan.key(d), from.name(), w.name(), bytes,
            System.nanoTime());
        later(() -> {
          try {
            callback.transfer(info, e);
          } catch (RuntimeException x) {
            lock.lock();
            try {
              stop(x);
            } finally {
              unlock();
            }
          }
        });
      }
      placement.arrivedAt(d, w);
      wake();
    } catch (RuntimeException e) {
      stop(e);
    } finally {
      unlock();
    }
  }

  /**
   * The pull of {@code id}'s result by {@code w} failed. When the worker it came from does
   * not hold it, or is dead, that copy is lost: recovery fetches it from another holder or
   * computes it again. Otherwise (it could not be reached, refused, could not send it) the
   * value comes through this JVM instead, as without direct transfers.
   */
  void pullFailed(WorkerEndpoint w, long id, boolean notHeld, String why) {
    lock.lock();
    try {
      int d = task(id);
      WorkerEndpoint from = d < 0 ? null : directory.pullEnded(d, w);
      if (from == null || state[d] != DONE || directory.cache.containsKey(d)) {
        if (from != null && directory.cache.containsKey(d)) {
          placement.arrived(d);
        }
        return; // stale, lost meanwhile (recovery has it), or already here
      }
      if (notHeld || !from.alive()) {
        recovery.notHeld(d, from);
      } else if (!directory.fetchFrom(d, from)) {
        recovery.notHeld(d, from);
      }
      wake();
    } catch (RuntimeException e) {
      stop(e);
    } finally {
      unlock();
    }
  }

  void died(WorkerEndpoint w, String why) {
    List<TaskEvent> events;
    lock.lock();
    try {
      events = recovery.died(w, why);
      if (!observed) {
        events.clear();
      }
      if (!events.isEmpty()) {
        delivering++;
      }
      changed.signal();
    } finally {
      unlock();
    }
    deliver(events.toArray(new TaskEvent[0]));
  }

  void workerJoined(WorkerEndpoint w) {
    lock.lock();
    try {
      if (failure == null) {
        placement.addWorker(w);
        placement.pump();
      }
    } finally {
      unlock();
    }
  }

  void workerStartFailed(RuntimeException e) {
    lock.lock();
    try {
      if (!placement.hasWorkers()) {
        stop(new TesseraException("every worker of " + engine.name + " died and a new one"
            + " could not be started (last death: " + lastDeath + "): " + e.getMessage(), e));
      }
      changed.signal();
    } finally {
      unlock();
    }
  }

  /** The engine was closed under this computation: end it now, without waiting for workers. */
  void poolClosed() {
    lock.lock();
    try {
      abandoned = true;
      stop(new IllegalStateException(engine.name + " was closed while this computation ran ("
          + finished + " of " + n + " tasks done); nothing more will run on it"));
      changed.signalAll();
    } finally {
      unlock();
    }
  }

  /** Ends the computation: nothing new is placed, queued and running tasks are cancelled. */
  void stop(RuntimeException why) {
    if (failure != null) {
      return;
    }
    failure = why;
    stopped = true;
    ready.clear();
    placement.unparkAll(WAITING);
    // through the outbox, after the tasks decided before it: a cancel sent at once could reach
    // a worker before a task still on its way there, which the worker would then run to its
    // end (EngineOrderingTest)
    List<WorkerEndpoint> busy = placement.busyWorkers();
    if (!busy.isEmpty()) {
      later(() -> Placement.cancel(busy, idBase, idBase + n));
      if (async != null) {
        Engine.later(this::killIfStuck, 10, TimeUnit.SECONDS);
      }
    }
    changed.signal();
  }
}
