package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.SchedulerCallback;
import dev.tessera.graph.Task;
import dev.tessera.graph.TaskEvent;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
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
 * workers. The parent knows where each result is ({@code home}, plus copies made by
 * transfers), places each ready task on the worker holding most of its input bytes, fetches
 * what a worker lacks from another one (through the parent, counted), and tells workers to
 * drop results nobody needs. Worker messages arrive on the workers' reader threads; the
 * calling thread waits. Every field below the lock is guarded by it.
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

  ProcessRun(ProcessScheduler pool, ExecutionPlan plan, SchedulerCallback callback) {
    super(plan, callback, pool.name());
    this.pool = pool;
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
  }

  @Override
  List<Object> runLocked() {
    try {
      if (inflight.isEmpty()) {
        throw new IllegalStateException(pool.name() + " has no live worker");
      }
      for (int i = 0; i < n; i++) {
        if (waiting[i] == 0) {
          state[i] = READY;
          ready.add(i);
        }
      }
      pump();
      long cancelDeadline = 0;
      while (true) {
        if (failure != null && busy() == 0) {
          break;
        }
        if (failure == null && finished == n && outputsFetched == distinctOutputs) {
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
      return gather();
    } finally {
      releaseAll();
    }
  }

  private List<Object> gather() {
    List<Object> out = new ArrayList<>(plan.outputs().size());
    Map<Integer, Object> decoded = new HashMap<>();
    for (int j = 0; j < plan.outputs().size(); j++) {
      int o = plan.outputIndex(j);
      Object v = decoded.get(o);
      if (v == null && !decoded.containsKey(o)) {
        try {
          v = pool.codecs().decode(cache.get(o));
        } catch (IOException e) {
          throw new TesseraException("the result of " + plan.key(o)
              + " could not be decoded in the parent: " + e, e);
        }
        decoded.put(o, v);
      }
      out.add(v);
    }
    return out;
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
      for (Map.Entry<WorkerHandle, Integer> e : new ArrayList<>(inflight.entrySet())) {
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
          long id = idBase + d;
          from.send(o -> {
            o.writeByte(Protocol.FETCH);
            o.writeLong(id);
          });
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
      ids[j] = idBase + d;
      if (!holds(d, w)) {
        inline[j] = cache.get(d);
        pool.countTransfer(inline[j].length);
        copies.computeIfAbsent(d, x -> new HashSet<>()).add(w);
      }
    }
    long id = idBase + t;
    String key = plan.key(t).toString();
    state[t] = SENT;
    sentAt[t] = System.nanoTime();
    try {
      callback.pretask(info, plan.key(t), w.name);
      w.send(o -> {
        o.writeByte(Protocol.RUN);
        o.writeLong(id);
        o.writeUTF(key.length() > 1000 ? key.substring(0, 1000) : key);
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
    return t >= 0 && t < n ? (int) t : -1;
  }

  void done(WorkerHandle w, long id, long nanos, long bytes) {
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || state[t] != SENT || assigned[t] != w) {
        return; // stale: from before a worker death
      }
      state[t] = DONE;
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
      if (isOutput[t] && !cache.containsKey(t) && fetching.add(t)) {
        try {
          w.send(o -> {
            o.writeByte(Protocol.FETCH);
            o.writeLong(id);
          });
        } catch (IOException e) {
          fetching.remove(t);
        }
      }
      long end = System.nanoTime();
      TaskEvent event = new TaskEvent(plan.key(t), w.name, Math.max(sentAt[t], end - nanos),
          end, null, held, null);
      callback.posttask(info, event);
      pump();
      changed.signal();
    } catch (RuntimeException e) {
      stop(e);
    } finally {
      lock.unlock();
    }
  }

  void failed(WorkerHandle w, long id, byte[] error, FailedInputs inputs) {
    Throwable cause = decodeError(error);
    lock.lock();
    try {
      int t = task(id);
      if (t < 0 || state[t] != SENT || assigned[t] != w) {
        return;
      }
      state[t] = WAITING;
      inflight.merge(w, -1, Integer::sum);
      callback.posttask(info, new TaskEvent(plan.key(t), w.name, sentAt[t], System.nanoTime(),
          cause, held, null));
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
  }

  private static Throwable decodeError(byte[] error) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(error))) {
      return (Throwable) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      return new RemoteTaskException("unknown", "the worker's exception could not be read: "
          + e, "");
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
      long id = idBase + t;
      try {
        other.send(o -> {
          o.writeByte(Protocol.FETCH);
          o.writeLong(id);
        });
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
          callback.posttask(info, new TaskEvent(plan.key(t), w.name, sentAt[t],
              System.nanoTime(), died, held, null));
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
          home[t] = c != null && !c.isEmpty() ? c.iterator().next() : null;
          if (home[t] == null && state[t] == DONE && holders[t] > 0 && !cache.containsKey(t)) {
            lost.add(t);
          }
        }
      }
      recover(lost);
      if (failure == null) {
        // outputs whose fetch was in flight to w, and are still held elsewhere
        for (int t = 0; t < n; t++) {
          if (isOutput[t] && state[t] == DONE && !cache.containsKey(t)) {
            WorkerHandle h = holder(t);
            if (h != null && fetching.add(t)) {
              long id = idBase + t;
              try {
                h.send(o -> {
                  o.writeByte(Protocol.FETCH);
                  o.writeLong(id);
                });
              } catch (IOException e) {
                fetching.remove(t);
              }
            }
          }
        }
      }
      pump();
      changed.signal();
    } finally {
      lock.unlock();
    }
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
          e.getKey().send(o -> o.writeByte(Protocol.CANCEL));
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
    if (home[d] != null) {
      targets.add(home[d]);
    }
    Set<WorkerHandle> c = copies.remove(d);
    if (c != null) {
      targets.addAll(c);
    }
    home[d] = null;
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
    for (int t = 0; t < n; t++) {
      if (home[t] != null) {
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
