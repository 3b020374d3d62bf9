package dev.tessera.schedulers.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Placement for one {@link Computation}: which ready task goes to which worker, and when. Each
 * worker gets at most {@link #INFLIGHT} of this computation's tasks at a time, so that it never
 * idles waiting for this JVM and a long task holds up little behind it; the least loaded
 * worker (counting every computation's placed tasks) chooses first, taking, among the next
 * {@link #LOOKAHEAD} ready tasks by priority, the one with most input bytes already on it. A
 * task placed where some input is missing is PARKED until that input has reached its worker
 * (pulled there from the worker holding it, or fetched here to go along with the task).
 * Guarded by the computation's lock.
 */
final class Placement {
  /** Tasks queued per worker, so that a worker never idles waiting for this JVM. */
  static final int INFLIGHT = 2;
  /** Ready tasks considered when placing one by locality. */
  static final int LOOKAHEAD = 8;

  private final Computation c;
  /** This computation's tasks per live worker, SENT or PARKED. */
  private final Map<WorkerEndpoint, Integer> inflight = new LinkedHashMap<>();
  /** The PARKED tasks waiting for each input. */
  private final Map<Integer, List<Integer>> parkedOn = new HashMap<>();

  Placement(Computation c) {
    this.c = c;
  }

  void addWorker(WorkerEndpoint w) {
    inflight.putIfAbsent(w, 0);
  }

  void removeWorker(WorkerEndpoint w) {
    inflight.remove(w);
  }

  boolean hasWorkers() {
    return !inflight.isEmpty();
  }

  /** {@return this computation's tasks on live workers} */
  int busy() {
    int b = 0;
    for (int n : inflight.values()) {
      b += n;
    }
    return b;
  }

  /** One of w's tasks ended (done, failed, not sent) or left it (unparked). */
  void answered(WorkerEndpoint w) {
    inflight.computeIfPresent(w, (k, v) -> v - 1);
    c.engine.load(w).decrementAndGet();
  }

  /**
   * Sends ready tasks to workers with room. The worker is chosen, and one more task counted
   * on it, in one step across every computation of the engine ({@link Engine#reserve}): two
   * computations placing at once never both see the same idle worker and queue behind each
   * other on it while another worker idles.
   */
  void pump() {
    List<WorkerEndpoint> room = new ArrayList<>(inflight.size());
    while (c.failure == null && c.ready.size() > 0) {
      room.clear();
      for (Map.Entry<WorkerEndpoint, Integer> e : inflight.entrySet()) {
        if (e.getValue() < INFLIGHT) {
          room.add(e.getKey());
        }
      }
      if (room.isEmpty()) {
        return;
      }
      WorkerEndpoint w = c.engine.reserve(room);
      int t = pick(w);
      if (t < 0) {
        c.engine.load(w).decrementAndGet();
        return;
      }
      place(t, w);
    }
  }

  /** Takes the ready task with the most input bytes on {@code w} among the first few. */
  private int pick(WorkerEndpoint w) {
    int[] cands = new int[LOOKAHEAD];
    int m = 0;
    while (m < LOOKAHEAD && c.ready.size() > 0) {
      int t = c.ready.poll();
      if (c.state[t] == Computation.READY) {
        cands[m++] = t;
      }
    }
    if (m == 0) {
      return -1;
    }
    int best = 0;
    long bestBytes = c.directory.localBytes(cands[0], w);
    for (int i = 1; i < m; i++) {
      long b = c.directory.localBytes(cands[i], w);
      if (b > bestBytes) {
        best = i;
        bestBytes = b;
      }
    }
    for (int i = 0; i < m; i++) {
      if (i != best) {
        c.ready.add(cands[i]);
      }
    }
    return cands[best];
  }

  /** Puts task t on worker w: sends it now, or once inputs held elsewhere have arrived. */
  private void place(int t, WorkerEndpoint w) {
    c.assigned[t] = w;
    inflight.merge(w, 1, Integer::sum);
    Directory dir = c.directory;
    int miss = 0;
    for (int j = 0, k = c.plan.dependencyCount(t); j < k; j++) {
      int d = c.plan.dependency(t, j);
      if (dir.holds(d, w) || dir.cache.containsKey(d)) {
        continue;
      }
      miss++;
      parkedOn.computeIfAbsent(d, x -> new ArrayList<>()).add(t);
      dir.bring(d, w); // pulled by w from its holder, or fetched here
    }
    if (miss == 0) {
      c.send(t, w);
    } else {
      c.state[t] = Computation.PARKED;
    }
  }

  /** d's bytes arrived here: send the tasks that waited only for them. */
  void arrived(int d) {
    List<Integer> parked = parkedOn.remove(d);
    if (parked != null) {
      for (int p : parked) {
        sendIfComplete(p);
      }
    }
  }

  /**
   * d's bytes reached worker {@code w} from another worker: send the tasks placed on w that
   * waited only for them (tasks elsewhere wait for their own pull or for a fetch here).
   */
  void arrivedAt(int d, WorkerEndpoint w) {
    List<Integer> parked = parkedOn.get(d);
    if (parked == null) {
      return;
    }
    for (java.util.Iterator<Integer> it = parked.iterator(); it.hasNext(); ) {
      int p = it.next();
      if (c.state[p] != Computation.PARKED) {
        it.remove();
      } else if (c.assigned[p] == w) {
        it.remove();
        sendIfComplete(p);
      }
    }
    if (parked.isEmpty()) {
      parkedOn.remove(d);
    }
  }

  /**
   * Sends a PARKED task once every input is on its worker or here. Checked input by input
   * rather than counted: a task parked, put back and parked again may be listed twice.
   */
  private void sendIfComplete(int p) {
    if (c.state[p] != Computation.PARKED) {
      return;
    }
    WorkerEndpoint w = c.assigned[p];
    Directory dir = c.directory;
    for (int j = 0, k = c.plan.dependencyCount(p); j < k; j++) {
      int d = c.plan.dependency(p, j);
      if (!dir.holds(d, w) && !dir.cache.containsKey(d)) {
        return;
      }
    }
    c.send(p, w);
  }

  /** d will not arrive (not held any more): the tasks waiting for it are placed again. */
  void notArriving(int d) {
    List<Integer> parked = parkedOn.remove(d);
    if (parked != null) {
      for (int p : parked) {
        if (c.state[p] == Computation.PARKED) {
          unpark(p, Computation.READY);
        }
      }
    }
  }

  /** A PARKED task goes back to {@code to} (READY: into the heap) and leaves its worker. */
  void unpark(int p, byte to) {
    c.state[p] = to;
    answered(c.assigned[p]);
    if (to == Computation.READY) {
      c.ready.add(p);
    }
  }

  /** Every PARKED task goes back to {@code to}; their fetches are forgotten. */
  void unparkAll(byte to) {
    for (int t = 0; t < c.n; t++) {
      if (c.state[t] == Computation.PARKED) {
        unpark(t, to);
      }
    }
    parkedOn.clear();
  }

  /** {@return the workers with some of this computation's tasks, SENT or PARKED} */
  List<WorkerEndpoint> busyWorkers() {
    List<WorkerEndpoint> out = new ArrayList<>();
    for (Map.Entry<WorkerEndpoint, Integer> e : inflight.entrySet()) {
      if (e.getValue() > 0) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** Cancels the tasks [lo, hi) on each of {@code workers}; without the lock. */
  static void cancel(List<WorkerEndpoint> workers, long lo, long hi) {
    for (WorkerEndpoint w : workers) {
      try {
        w.cancel(lo, hi);
      } catch (IOException io) {
        // dying anyway
      }
    }
  }

  void killBusyWorkers() {
    for (Map.Entry<WorkerEndpoint, Integer> e : new ArrayList<>(inflight.entrySet())) {
      if (e.getValue() > 0) {
        e.getKey().kill();
      }
    }
  }
}
