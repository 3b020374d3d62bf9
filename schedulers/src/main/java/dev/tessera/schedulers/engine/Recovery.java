package dev.tessera.schedulers.engine;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recovery for one {@link Computation}, when a worker dies or answers a fetch with "not held":
 * its tasks go back to READY (failing the computation after {@link Engine#maxDeaths} deaths
 * during the same task), and the results only it held and still needed are computed again
 * from the graph, with whatever they need, transitively (Spark's resubmission of lost map
 * output). Never leaves a task waiting for an answer that will not come. Guarded by the
 * computation's lock.
 */
final class Recovery {
  private final Computation c;

  Recovery(Computation c) {
    this.c = c;
  }

  /** A worker died: put its tasks back, recompute the results only it held. */
  List<TaskEvent> died(WorkerEndpoint w, String why) {
    List<TaskEvent> events = new ArrayList<>();
    Directory dir = c.directory;
    c.lastDeath = w.name() + " " + why;
    c.placement.removeWorker(w);
    // parked tasks anywhere go back to the heap: their fetches may have been from w
    c.placement.unparkAll(Computation.READY);
    dir.fetching.clear();
    // pulls by w will not be answered; pulls from w are answered by their pullers (failed)
    dir.pullerDied(w);
    for (int t = 0; t < c.n; t++) {
      if (c.state[t] == Computation.SENT && c.assigned[t] == w) {
        c.deaths[t]++;
        RuntimeException died = new WorkerDiedException(w.name() + " " + why
            + " while running this task (death " + c.deaths[t] + " of at most "
            + c.engine.maxDeaths + ")");
        events.add(new TaskEvent(c.plan.key(t), w.name(), c.sentAt[t], System.nanoTime(), died,
            c.held, -1));
        if (c.deaths[t] >= c.engine.maxDeaths) {
          c.state[t] = Computation.WAITING;
          c.stop(new TaskFailedException(c.plan.key(t), ": its worker process died "
              + c.deaths[t] + " times while running it (last: " + w.name() + " " + why + ")",
              died));
        } else {
          c.state[t] = Computation.READY;
          c.ready.add(t);
        }
      }
    }
    List<Integer> lost = new ArrayList<>();
    for (int t = 0; t < c.n; t++) {
      if (dir.forget(t, w) && c.state[t] == Computation.DONE && c.holders[t] > 0
          && !dir.cache.containsKey(t)) {
        lost.add(t);
      }
    }
    recover(lost);
    if (c.failure == null && !c.keep) {
      // outputs whose fetch was in flight to w, and are still held elsewhere
      for (int t = 0; t < c.n; t++) {
        if (c.isOutput[t] && c.state[t] == Computation.DONE && !dir.cache.containsKey(t)) {
          WorkerEndpoint h = dir.holder(t);
          if (h != null) {
            dir.fetchFrom(t, h);
          }
        }
      }
    }
    c.placement.pump();
    return events;
  }

  /**
   * {@code w} answered a fetch of {@code t} with "not held": forget that copy, then fetch it
   * from another holder or, if there is none, put the tasks waiting for it back and compute
   * it again.
   */
  void notHeld(int t, WorkerEndpoint w) {
    Directory dir = c.directory;
    dir.forget(t, w);
    WorkerEndpoint other = dir.holder(t);
    if (other != null && dir.fetchFrom(t, other)) {
      return;
    }
    c.placement.notArriving(t);
    if (c.state[t] == Computation.DONE && c.holders[t] > 0 && !dir.cache.containsKey(t)) {
      recover(List.of(t));
    }
    c.placement.pump();
  }

  /**
   * Makes lost results pending again, with whatever they need, transitively. Two phases, so
   * that every count is set once: first the set of results to compute again (the lost ones,
   * plus any input of theirs that was released or lost too), then the counts.
   */
  private void recover(List<Integer> lost) {
    Directory dir = c.directory;
    Set<Integer> again = new HashSet<>();
    ArrayDeque<Integer> todo = new ArrayDeque<>(lost);
    while (!todo.isEmpty()) {
      int x = todo.pop();
      if (c.state[x] != Computation.DONE || !again.add(x)) {
        continue;
      }
      for (int j = 0, k = c.plan.dependencyCount(x); j < k; j++) {
        int d = c.plan.dependency(x, j);
        if (c.state[d] == Computation.DONE && dir.holder(d) == null
            && !dir.cache.containsKey(d)) {
          todo.push(d); // released or lost: needed again
        }
      }
    }
    for (int x : again) {
      if (dir.isExternal(x) || RemoteValue.of(c.plan.task(x)) != null) {
        // held before this run: there is no graph here to compute it again from; the engine
        // computes it again from its own lineage and runs this computation again
        c.inputLost = true;
        c.stop(new TaskFailedException(c.plan.key(x), ": its persisted result was lost with"
            + " the worker that held it (" + c.lastDeath + "); persist or compute it again",
            new WorkerDiedException(c.lastDeath)));
        return;
      }
    }
    for (int x : again) {
      if (c.holders[x] > 0) {
        c.held--; // lost while held (a released result was already uncounted)
      }
    }
    for (int x : again) {
      c.state[x] = Computation.WAITING;
      c.finished--;
      dir.clear(x);
    }
    for (int x : again) {
      int wait = 0;
      for (int j = 0, k = c.plan.dependencyCount(x); j < k; j++) {
        int d = c.plan.dependency(x, j);
        c.holders[d]++; // x needs d again
        if (c.state[d] != Computation.DONE) {
          wait++;
        }
      }
      c.waiting[x] = wait;
      for (int j = 0, k = c.plan.dependentCount(x); j < k; j++) {
        int p = c.plan.dependent(x, j);
        if (again.contains(p)) {
          continue; // counted above, from scratch
        }
        if (c.state[p] == Computation.PARKED) {
          // placed while x was still held somewhere: place it again later
          c.placement.unpark(p, Computation.WAITING);
        }
        if (c.state[p] == Computation.READY || c.state[p] == Computation.WAITING) {
          c.waiting[p]++;
          c.state[p] = Computation.WAITING;
        }
      }
    }
    for (int x : again) {
      if (c.waiting[x] == 0) {
        c.state[x] = Computation.READY;
        c.ready.add(x);
      }
    }
  }
}
