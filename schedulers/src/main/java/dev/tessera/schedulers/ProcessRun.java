package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.Task;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.spi.RemoteValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * One computation on a {@link ProcessScheduler}: the same bookkeeping as the local engine
 * (waiting counts, holders, a priority heap of ready tasks), except that results live in the
 * workers. Several run at once on one pool; each has its own range of result ids, and worker
 * events reach every computation, which ignores ids that are not its own.
 *
 * <h2>Task states (Dask distributed's, per task of this computation)</h2>
 * <pre>
 *   WAITING  some input is not DONE                      (Dask: waiting)
 *   READY    every input DONE, in the heap               (Dask: queued)
 *   PARKED   placed on a worker, waiting for an input to be fetched there from another one
 *   SENT     sent to a worker, no answer yet             (Dask: processing)
 *   DONE     result held by a worker ({@code home}, plus {@code copies}) or in the parent's
 *            {@code cache}                               (Dask: memory)
 * </pre>
 * Transitions: WAITING→READY when the last input is DONE; READY→SENT (or →PARKED→SENT) by
 * placement, on the worker holding most of its input bytes among the least loaded;
 * SENT→DONE on DONE; SENT→WAITING on FAILED (the computation stops: Dask's erred) or, when
 * the worker dies, SENT→READY (up to {@link ProcessOptions#maxDeaths()} times); DONE→WAITING
 * when the only worker holding a result still needed dies (recovery computes it again, with
 * whatever it needs); a result is released (Dask: released, then forgotten) when no pending
 * task needs it, except outputs that a {@code persist}/{@code submit} keeps on its worker, as a
 * {@link ProcessValue}, after the computation ends. Results held before the computation
 * (persisted data, futures) enter DONE, under their own ids ({@code ext}), and are never
 * released here.
 *
 * <p>Worker messages arrive on the workers' reader threads; the calling thread waits. Every
 * field below the lock is guarded by it. {@code posttask} callbacks run without the lock.
 */
final class ProcessRun extends Run {
  /** Tasks queued per worker, so that a worker never idles waiting for the parent. */
  private static final int INFLIGHT = 2;
  /** Ready tasks considered when placing one by locality. */
  private static final int LOOKAHEAD = 8;

  private static final byte WAITING = 0;
  private static final byte READY = 1;
  private static final byte SENT = 2;
  private static final byte PARKED = 3;
  private static final byte DONE = 4;

  private final ProcessScheduler pool;
  private final long idBase;
  /** Whether outputs stay on their workers at the end (submit, persist) or come home (get). */
  private final boolean keep;
  /** ext[t]: the id of a result held before this run (persisted, a future), else 0. */
  private final long[] ext;
  private final Map<Long, Integer> extIndex = new HashMap<>();
  private final Map<Integer, ProcessValue> inputs = new HashMap<>();

  private final Condition changed = lock.newCondition();

  private final byte[] state;
  private final long[] size;
  private final int[] deaths;
  private final long[] sentAt;
  private final WorkerHandle[] assigned;
  /** The worker that made each result (null if it died or the result is released). */
  private final WorkerHandle[] home;
  /** Other workers holding a copy, after transfers. */
  private final Map<Integer, Set<WorkerHandle>> copies = new HashMap<>();
  /** Result bytes fetched into the parent: for transfers and for the outputs. */
  private final Map<Integer, byte[]> cache = new HashMap<>();
  private final Set<Integer> fetching = new HashSet<>();
  /** Tasks placed on a worker but waiting for inputs from elsewhere. */
  private final Map<Integer, List<Integer>> parkedOn = new HashMap<>();
  private final int[] missing;
  private final Map<WorkerHandle, Integer> inflight = new LinkedHashMap<>();
  private int outputsFetched;
  private int held;
  private String lastDeath = "";
  /** Reader threads calling posttask right now, without the lock. */
  private int delivering;
  /** The pool closed: its workers are gone and will report nothing more. */
  private boolean abandoned;

  /**
   * Creates the computation. {@code held} maps tasks that stand for results held before it to
   * either a {@link ProcessValue} of this pool (used where it is) or the encoded bytes of a
   * value from elsewhere (sent along like any input fetched into the parent).
   */
  ProcessRun(ProcessScheduler pool, ExecutionPlan plan, SchedulerCallback callback,
      boolean keep, Map<Integer, Object> held) {
    super(plan, callback, pool.name());
    this.pool = pool;
    this.keep = keep;
    this.ext = new long[n];
    this.idBase = ProcessScheduler.newIds(Math.max(1, n));
    state = new byte[n];
    size = new long[n];
    deaths = new int[n];
    sentAt = new long[n];
    missing = new int[n];
    assigned = new WorkerHandle[n];
    home = new WorkerHandle[n];
    for (WorkerHandle w : pool.workers()) {
      inflight.put(w, 0);
    }
    held.forEach((t, v) -> {
      if (v instanceof ProcessValue pv) {
        ext[t] = pv.id;
        extIndex.put(pv.id, t);
        inputs.put(t, pv);
        home[t] = pv.worker;
        size[t] = Math.max(0, pv.sizeBytes());
      } else {
        cache.put(t, (byte[]) v);
      }
      state[t] = DONE;
      finished++;
      this.held++;
      for (int j = 0, k = plan.dependentCount(t); j < k; j++) {
        waiting[plan.dependent(t, j)]--;
      }
    });
  }

  /** The id under which the home worker holds t's result (copies elsewhere use idBase + t). */
  private long id(int t) {
    return ext[t] != 0 ? ext[t] : idBase + t;
  }

  /** The id to fetch t from {@code w}. */
  private long idOn(int t, WorkerHandle w) {
    return w == home[t] ? id(t) : idBase + t;
  }

  private void fetch(int t, WorkerHandle from) throws IOException {
    if (from == null) {
      throw new IOException("no live worker holds " + plan.key(t));
    }
    long fid = idOn(t, from);
    from.send(o -> {
      o.writeByte(Protocol.FETCH);
      o.writeLong(fid);
    });
  }

  @Override
  List<Object> runLocked() {
    try {
      if (inflight.isEmpty()) {
        throw new IllegalStateException(pool.name() + " has no live worker");
      }
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
            if (cache.containsKey(i)) {
              outputsFetched++;
            } else if (fetching.add(i)) {
              fetch(i, home[i]);
            }
          }
        }
      }
      pump();
      long cancelDeadline = 0;
      while (true) {
        if (failure != null && ((busy() == 0 && delivering == 0) || abandoned)) {
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
              killBusyWorkers(); // they ignored the cancel: their deaths end the wait
            }
          } else {
            changed.await();
          }
        } catch (InterruptedException e) {
          interrupted = true;
          stop(new ComputeCancelledException("computation of " + plan.outputs().size()
              + " output(s) on " + pool.name() + " cancelled by an interrupt after "
              + finished + " of " + n + " tasks"));
        }
      }
      if (failure != null) {
        throw failure;
      }
      return keep ? handles() : gather();
    } catch (IOException e) {
      throw new TesseraException(pool.name() + " lost a worker while starting: " + e, e);
    } finally {
      releaseAll();
    }
  }

  /** The outputs as handles to data that stays on the workers; registered with the pool. */
  private List<Object> handles() {
    Map<Integer, RemoteValue> made = new HashMap<>();
    List<Object> out = new ArrayList<>(plan.outputs().size());
    for (int j = 0; j < plan.outputs().size(); j++) {
      int o = plan.outputIndex(j);
      RemoteValue v = inputs.get(o);
      if (v == null && home[o] == null) {
        v = RemoteValue.local(plan.key(o), decodeOutput(o), size[o]); // came from this JVM
      } else if (v == null) {
        v = made.computeIfAbsent(o, x -> pool.register(new ProcessValue(pool, idBase + x,
            plan.key(x), home[x], size[x], cache.get(x))));
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
      return pool.codecs().decode(cache.get(o));
    } catch (IOException e) {
      throw new TesseraException("the result of " + plan.key(o)
          + " could not be decoded in the parent: " + e, e);
    }
  }

  private int busy() {
    int b = 0;
    for (int c : inflight.values()) {
      b += c;
    }
    return b;
  }

  // ---- placement ----

  /** Sends ready tasks to workers with room. Called with the lock held. */
  private void pump() {
    if (failure != null) {
      return;
    }
    boolean progress = true;
    while (progress && ready.size() > 0) {
      progress = false;
      List<Map.Entry<WorkerHandle, Integer>> order = new ArrayList<>(inflight.entrySet());
      if (order.size() > 1) {
        // least loaded first, counting every computation's tasks: concurrent computations
        // spread over the workers instead of queueing behind each other on the first one
        order.sort((a, b) -> Integer.compare(a.getKey().load.get(), b.getKey().load.get()));
      }
      for (Map.Entry<WorkerHandle, Integer> e : order) {
        if (e.getValue() >= INFLIGHT || failure != null) {
          continue;
        }
        int t = pick(e.getKey());
        if (t < 0) {
          return;
        }
        place(t, e.getKey());
        progress = true;
      }
    }
  }

  /** Takes the ready task with the most input bytes on {@code w} among the first few. */
  private int pick(WorkerHandle w) {
    int[] cands = new int[LOOKAHEAD];
    int m = 0;
    while (m < LOOKAHEAD && ready.size() > 0) {
      int t = ready.poll();
      if (state[t] == READY) {
        cands[m++] = t;
      }
    }
    if (m == 0) {
      return -1;
    }
    int best = 0;
    long bestBytes = localBytes(cands[0], w);
    for (int i = 1; i < m; i++) {
      long b = localBytes(cands[i], w);
      if (b > bestBytes) {
        best = i;
        bestBytes = b;
      }
    }
    for (int i = 0; i < m; i++) {
      if (i != best) {
        ready.add(cands[i]);
      }
    }
    return cands[best];
  }

  private long localBytes(int t, WorkerHandle w) {
    long b = 0;
    for (int j = 0, k = plan.dependencyCount(t); j < k; j++) {
      int d = plan.dependency(t, j);
      if (holds(d, w)) {
        b += Math.max(1, size[d]);
      }
    }
    return b;
  }

  private boolean holds(int d, WorkerHandle w) {
    if (home[d] == w) {
      return true;
    }
    Set<WorkerHandle> c = copies.get(d);
    return c != null && c.contains(w);
  }

  private WorkerHandle holder(int d) {
    if (home[d] != null && home[d].alive()) {
      return home[d];
    }
    Set<WorkerHandle> c = copies.get(d);
    if (c != null) {
      for (WorkerHandle w : c) {
        if (w.alive()) {
          return w;
        }
      }
    }
    return null;
  }

  /** Puts task t on worker w: sends it now, or once inputs held elsewhere have arrived. */
  private void place(int t, WorkerHandle w) {
    assigned[t] = w;
    inflight.merge(w, 1, Integer::sum);
    int miss = 0;
    for (int j = 0, k = plan.dependencyCount(t); j < k; j++) {
      int d = plan.dependency(t, j);
      if (holds(d, w) || cache.containsKey(d)) {
        continue;
      }
      miss++;
      parkedOn.computeIfAbsent(d, x -> new ArrayList<>()).add(t);
      if (fetching.add(d)) {
        WorkerHandle from = holder(d);
        try {
          fetch(d, from);
        } catch (IOException | NullPointerException e) {
          fetching.remove(d); // the holder is dying: its death handler recovers d
        }
      }
    }
    if (miss == 0) {
      send(t, w);
    } else {
      state[t] = PARKED;
      missing[t] = miss;
    }
  }

  private void send(int t, WorkerHandle w) {
    Task task = plan.task(t);
    byte[] taskBytes;
    try {
      taskBytes = pool.codecs().encodeTask(task);
    } catch (NotSerializableException e) {
      inflight.merge(w, -1, Integer::sum);
      stop(new TaskFailedException(plan.key(t), " before it was sent to a worker process",
          new NotSerializableException(e.getMessage() + " is not serializable: the task's"
              + " function captures it or takes it as an argument; make it Serializable,"
              + " register a Codec for it, or use a threaded scheduler")));
      return;
    } catch (IOException e) {
      inflight.merge(w, -1, Integer::sum);
      stop(new TaskFailedException(plan.key(t), " before it was sent to a worker process", e));
      return;
    }
    int k = plan.dependencyCount(t);
    long[] ids = new long[k];
    byte[][] inline = new byte[k][];
    for (int j = 0; j < k; j++) {
      int d = plan.dependency(t, j);
      ids[j] = idOn(d, w);
      if (!holds(d, w)) {
        inline[j] = cache.get(d);
        pool.countTransfer(inline[j].length);
        copies.computeIfAbsent(d, x -> new HashSet<>()).add(w);
      }
    }
    long id = idBase + t;
    String key = plan.key(t).toString();
    boolean output = isOutput[t];
    state[t] = SENT;
    sentAt[t] = System.nanoTime();
    w.load.incrementAndGet();
    try {
      callback.pretask(info, plan.key(t), w.name);
      w.send(o -> {
        o.writeByte(Protocol.RUN);
        o.writeLong(id);
        o.writeUTF(key.length() > 1000 ? key.substring(0, 1000) : key);
        o.writeBoolean(output);
        Protocol.writeBytes(o, taskBytes);
        o.writeInt(k);
        for (int j = 0; j < k; j++) {
          o.writeLong(ids[j]);
          o.writeBoolean(inline[j] != null);
          if (inline[j] != null) {
            Protocol.writeBytes(o, inline[j]);
          }
        }
      });
    } catch (IOException e) {
      // the worker is dying; its death handler puts the task back
    } catch (RuntimeException e) {
      inflight.merge(w, -1, Integer::sum);
      stop(new TaskFailedException(plan.key(t), "", e));
    }
  }

  // ---- worker events (reader threads) ----

  private int task(long id) {
    long t = id - idBase;
    if (t >= 0 && t < n) {
      return (int) t;
    }
    Integer e = extIndex.get(id);
    return e == null ? -1 : e;
  }

  void done(WorkerHandle w, long id, long nanos, long bytes, byte[] small) {
    TaskEvent event = null;
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || state[t] != SENT || assigned[t] != w) {
        return; // stale: from before a worker death
      }
      state[t] = DONE;
      w.load.decrementAndGet();
      home[t] = w;
      size[t] = Math.max(0, bytes);
      inflight.merge(w, -1, Integer::sum);
      finished++;
      held++;
      for (int j = 0, k = plan.dependencyCount(t); j < k; j++) {
        int d = plan.dependency(t, j);
        if (--holders[d] == 0) {
          release(d);
        }
      }
      for (int j = 0, k = plan.dependentCount(t); j < k; j++) {
        int p = plan.dependent(t, j);
        if (--waiting[p] == 0 && state[p] == WAITING) {
          state[p] = READY;
          ready.add(p);
        }
      }
      if (isOutput[t] && small != null && !cache.containsKey(t)) {
        cache.put(t, small); // came with DONE: no FETCH
        if (!keep) {
          outputsFetched++;
        }
      } else if (!keep && isOutput[t] && !cache.containsKey(t) && fetching.add(t)) {
        try {
          fetch(t, w);
        } catch (IOException e) {
          fetching.remove(t);
        }
      }
      long end = System.nanoTime();
      event = new TaskEvent(plan.key(t), w.name, Math.max(sentAt[t], end - nanos),
          end, null, held, size[t]);
      delivering++;
      pump();
      changed.signal();
    } catch (RuntimeException e) {
      stop(e);
    } finally {
      lock.unlock();
    }
    deliver(event);
  }

  /**
   * Calls {@code posttask} without the lock (a slow callback must not hold up the others'
   * messages); the computation does not end before it returned ({@link #delivering}).
   */
  private void deliver(TaskEvent... events) {
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
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs) {
    Throwable cause = decodeError(error);
    TaskEvent event = null;
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || state[t] != SENT || assigned[t] != w) {
        return;
      }
      state[t] = WAITING;
      w.load.decrementAndGet();
      inflight.merge(w, -1, Integer::sum);
      event = new TaskEvent(plan.key(t), w.name, sentAt[t], System.nanoTime(), cause, held,
          -1);
      delivering++;
      if (failure == null) {
        StringBuilder why = new StringBuilder();
        List<Object> values = inputs.decode(pool.codecs(), why);
        stop(new TaskFailedException(plan.key(t), " on " + w.name, cause, plan.task(t), values,
            why.toString()));
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
    deliver(event);
  }

  static Throwable decodeError(byte[] error) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(error))) {
      return (Throwable) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      return new RemoteTaskException("unknown", "the worker's exception could not be read: "
          + e, "");
    }
  }

  /**
   * The result of {@code id} cannot be brought from {@code w}: it does not encode, or it is too
   * large. Computing it again would end the same way, so the computation fails, naming it.
   */
  void unsendable(WorkerHandle w, long id, Throwable error) {
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || !fetching.remove(t)) {
        return;
      }
      stop(new TaskFailedException(plan.key(t), " on " + w.name + ", but its result could not"
          + " be sent " + (isOutput[t] ? "back to this JVM" : "to the task that needs it"),
          error));
    } finally {
      lock.unlock();
    }
  }

  /** The pool was closed under this computation: end it now, without waiting for workers. */
  void poolClosed() {
    lock.lock();
    try {
      abandoned = true;
      stop(new IllegalStateException(pool.name() + " was closed while this computation ran ("
          + finished + " of " + n + " tasks done); nothing more will run on it"));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void data(WorkerHandle w, long id, byte[] bytes) {
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || !fetching.remove(t)) {
        return;
      }
      if (bytes.length == 0) {
        notHeld(t, w);
        return;
      }
      cache.put(t, bytes);
      if (isOutput[t]) {
        outputsFetched++;
      }
      List<Integer> parked = parkedOn.remove(t);
      if (parked != null) {
        for (int p : parked) {
          if (state[p] == PARKED && --missing[p] == 0) {
            send(p, assigned[p]);
          }
        }
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code w} answered a fetch of {@code t} with "not held": forget that copy, then fetch it
   * from another holder or, if there is none, put the tasks waiting for it back and compute
   * it again. Never leaves a task waiting for an answer that will not come.
   */
  private void notHeld(int t, WorkerHandle w) {
    if (home[t] == w) {
      home[t] = null;
    }
    Set<WorkerHandle> c = copies.get(t);
    if (c != null) {
      c.remove(w);
      if (home[t] == null && !c.isEmpty()) {
        home[t] = c.iterator().next();
      }
    }
    WorkerHandle other = holder(t);
    if (other != null && fetching.add(t)) {
      try {
        fetch(t, other);
        return;
      } catch (IOException e) {
        fetching.remove(t);
      }
    }
    List<Integer> parked = parkedOn.remove(t);
    if (parked != null) {
      for (int p : parked) {
        if (state[p] == PARKED) {
          state[p] = READY;
          ready.add(p);
          inflight.merge(assigned[p], -1, Integer::sum);
        }
      }
    }
    if (state[t] == DONE && holders[t] > 0 && !cache.containsKey(t)) {
      recover(List.of(t));
    }
    pump();
  }

  /** A worker died: put its tasks back, recompute the results only it held. */
  void died(WorkerHandle w, String why) {
    List<TaskEvent> events = new ArrayList<>();
    lock.lock();
    try {
      lastDeath = w.name + " " + why;
      inflight.remove(w);
      // parked tasks anywhere go back to the heap: their fetches may have been from w
      parkedOn.clear();
      fetching.clear();
      for (int t = 0; t < n; t++) {
        if (state[t] == PARKED) {
          state[t] = READY;
          ready.add(t);
          if (assigned[t] != w) {
            inflight.merge(assigned[t], -1, Integer::sum);
          }
        }
      }
      for (int t = 0; t < n; t++) {
        if (state[t] == SENT && assigned[t] == w) {
          deaths[t]++;
          RuntimeException died = new ProcessScheduler.WorkerDiedException(w.name + " "
              + why + " while running this task (death " + deaths[t] + " of at most "
              + pool.options().maxDeaths() + ")");
          events.add(new TaskEvent(plan.key(t), w.name, sentAt[t], System.nanoTime(), died,
              held, -1));
          if (deaths[t] >= pool.options().maxDeaths()) {
            state[t] = WAITING;
            stop(new TaskFailedException(plan.key(t), ": its worker process died "
                + deaths[t] + " times while running it (last: " + w.name + " " + why + ")",
                died));
          } else {
            state[t] = READY;
            ready.add(t);
          }
        }
      }
      List<Integer> lost = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Set<WorkerHandle> c = copies.get(t);
        if (c != null) {
          c.remove(w);
        }
        if (home[t] == w) {
          // a copy can take over as home, except for a result held before this run (its copies
          // are under this run's id, not the handle's): those copies just stay copies
          home[t] = ext[t] == 0 && c != null && !c.isEmpty() ? c.iterator().next() : null;
          boolean copied = c != null && !c.isEmpty();
          if (home[t] == null && !copied && state[t] == DONE && holders[t] > 0
              && !cache.containsKey(t)) {
            lost.add(t);
          }
        }
      }
      recover(lost);
      if (failure == null && !keep) {
        // outputs whose fetch was in flight to w, and are still held elsewhere
        for (int t = 0; t < n; t++) {
          if (isOutput[t] && state[t] == DONE && !cache.containsKey(t)) {
            WorkerHandle h = holder(t);
            if (h != null && fetching.add(t)) {
              try {
                fetch(t, h);
              } catch (IOException e) {
                fetching.remove(t);
              }
            }
          }
        }
      }
      pump();
      if (!events.isEmpty()) {
        delivering++;
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
    deliver(events.toArray(new TaskEvent[0]));
  }

  /**
   * Makes lost results pending again, with whatever they need, transitively. Two phases, so
   * that every count is set once: first the set of results to compute again (the lost ones,
   * plus any input of theirs that was released or lost too), then the counts.
   */
  private void recover(List<Integer> lost) {
    Set<Integer> again = new HashSet<>();
    ArrayDeque<Integer> todo = new ArrayDeque<>(lost);
    while (!todo.isEmpty()) {
      int x = todo.pop();
      if (state[x] != DONE || !again.add(x)) {
        continue;
      }
      for (int j = 0, k = plan.dependencyCount(x); j < k; j++) {
        int d = plan.dependency(x, j);
        if (state[d] == DONE && holder(d) == null && !cache.containsKey(d)) {
          todo.push(d); // released or lost: needed again
        }
      }
    }
    for (int x : again) {
      if (ext[x] != 0 || RemoteValue.of(plan.task(x)) != null) {
        // held before this run: there is no graph here to compute it again from
        stop(new TaskFailedException(plan.key(x), ": its persisted result was lost with the"
            + " worker that held it (" + lastDeath + "); persist or compute it again",
            new ProcessScheduler.WorkerDiedException(lastDeath)));
        return;
      }
    }
    for (int x : again) {
      if (holders[x] > 0) {
        held--; // lost while held (a released result was already uncounted)
      }
    }
    for (int x : again) {
      state[x] = WAITING;
      finished--;
      home[x] = null;
      copies.remove(x);
    }
    for (int x : again) {
      int wait = 0;
      for (int j = 0, k = plan.dependencyCount(x); j < k; j++) {
        int d = plan.dependency(x, j);
        holders[d]++; // x needs d again
        if (state[d] != DONE) {
          wait++;
        }
      }
      waiting[x] = wait;
      for (int j = 0, k = plan.dependentCount(x); j < k; j++) {
        int p = plan.dependent(x, j);
        if (again.contains(p)) {
          continue; // counted above, from scratch
        }
        if (state[p] == PARKED) {
          // placed while x was still held somewhere: place it again later
          inflight.merge(assigned[p], -1, Integer::sum);
          state[p] = READY;
        }
        if (state[p] == READY || state[p] == WAITING) {
          waiting[p]++;
          state[p] = WAITING;
        }
      }
    }
    for (int x : again) {
      if (waiting[x] == 0) {
        state[x] = READY;
        ready.add(x);
      }
    }
  }

  void workerJoined(WorkerHandle w) {
    lock.lock();
    try {
      if (failure == null) {
        inflight.put(w, 0);
        pump();
      }
    } finally {
      lock.unlock();
    }
  }

  void workerStartFailed(RuntimeException e) {
    lock.lock();
    try {
      if (inflight.isEmpty()) {
        stop(new TesseraException("every worker of " + pool.name() + " died and a new one"
            + " could not be started (last death: " + lastDeath + "): " + e.getMessage(), e));
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the computation: nothing new is sent, queued and running tasks are cancelled. */
  private void stop(RuntimeException why) {
    if (failure != null) {
      return;
    }
    failure = why;
    ready.clear();
    for (int t = 0; t < n; t++) {
      if (state[t] == PARKED) {
        state[t] = WAITING;
        inflight.merge(assigned[t], -1, Integer::sum);
      }
    }
    parkedOn.clear();
    for (Map.Entry<WorkerHandle, Integer> e : inflight.entrySet()) {
      if (e.getValue() > 0) {
        try {
          e.getKey().send(o -> {
            o.writeByte(Protocol.CANCEL);
            o.writeLong(idBase);
            o.writeLong(idBase + n);
          });
        } catch (IOException io) {
          // dying anyway
        }
      }
    }
    changed.signal();
  }

  private void killBusyWorkers() {
    for (Map.Entry<WorkerHandle, Integer> e : new ArrayList<>(inflight.entrySet())) {
      if (e.getValue() > 0) {
        e.getKey().kill();
      }
    }
  }

  private void release(int d) {
    if (isOutput[d]) {
      return;
    }
    cache.remove(d);
    held--;
    long id = idBase + d;
    Set<WorkerHandle> targets = new HashSet<>();
    if (home[d] != null && ext[d] == 0) {
      targets.add(home[d]); // a result held before this run stays: its handle releases it
    }
    Set<WorkerHandle> c = copies.remove(d);
    if (c != null) {
      targets.addAll(c);
    }
    if (ext[d] == 0) {
      home[d] = null;
    }
    for (WorkerHandle w : targets) {
      try {
        w.send(o -> {
          o.writeByte(Protocol.RELEASE);
          o.writeInt(1);
          o.writeLong(id);
        });
      } catch (IOException e) {
        // a dead worker holds nothing
      }
    }
  }

  /** At the end, whatever happened: workers drop every result of this computation. */
  private void releaseAll() {
    Map<WorkerHandle, List<Long>> byWorker = new HashMap<>();
    boolean kept = keep && failure == null;
    for (int t = 0; t < n; t++) {
      // kept: the outputs' handles release them; ext: held before, released by their handles
      if (home[t] != null && ext[t] == 0 && !(kept && isOutput[t])) {
        byWorker.computeIfAbsent(home[t], x -> new ArrayList<>()).add(idBase + t);
      }
      Set<WorkerHandle> c = copies.get(t);
      if (c != null) {
        for (WorkerHandle w : c) {
          byWorker.computeIfAbsent(w, x -> new ArrayList<>()).add(idBase + t);
        }
      }
    }
    for (Map.Entry<WorkerHandle, List<Long>> e : byWorker.entrySet()) {
      List<Long> ids = e.getValue();
      try {
        e.getKey().send(o -> {
          o.writeByte(Protocol.RELEASE);
          o.writeInt(ids.size());
          for (long id : ids) {
            o.writeLong(id);
          }
        });
      } catch (IOException io) {
        // gone
      }
    }
    cache.clear();
  }
}
