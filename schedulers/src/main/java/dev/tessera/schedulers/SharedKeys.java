package dev.tessera.schedulers;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The computations in progress on one {@link ThreadedScheduler}, oldest first, so that a
 * computation can use what an earlier one computes instead of computing it again. Keys name
 * values, as in Dask: when several threads compute graphs that share a key at once (a slow
 * common sub-expression, a future's argument), the key should run once.
 *
 * <p>A computation {@linkplain #join joins} in one synchronized step that also takes a
 * snapshot of the computations already in progress, and {@linkplain #leave leaves} when it
 * ends, whatever happened. It borrows only from its snapshot, that is from earlier
 * computations, never from later ones: a computation waits only for older ones, so waiting
 * has no cycles, and a thread that holds two engines' locks took the newer one first. A lender
 * never holds its own lock while it hands a value to a borrower.
 *
 * <p>Before it seeds its ready tasks, a new computation walks back from its outputs; each
 * task it reaches that an earlier computation computes itself (not one that one borrowed or
 * skipped) is borrowed, and the walk does not go past it:
 *
 * <ul>
 *   <li>finished there and its result still held: the value is taken at once;
 *   <li>running there now, a thread inside its function: the borrower waits for it, as a
 *       pending task, and the lender hands over the value, the failure, or that it is lost
 *       (its computation ended without finishing it), exactly once.
 * </ul>
 *
 * <p>A task the lender has not started is never waited for, but computed by the borrower: the
 * lender's threads may all be busy in tasks that wait for the borrower (a task that calls
 * {@code compute()}, or waits for a future, on the same scheduler), and waiting for work that
 * only they can start could deadlock. A running task is on its way to an answer.
 *
 * <p>Tasks the walk does not reach are skipped: counted as finished, given no result, and
 * their dependencies' holders are lowered, so that every intermediate result is still dropped
 * as soon as nothing left to run needs it. A borrower whose value is lost runs again from the
 * start, once, borrowing nothing: its progress counts start again from 0 and the tasks it had
 * run fire their callbacks again. It stays registered, so later computations may borrow from
 * it meanwhile.
 *
 * <p>With nothing else in progress, sharing costs one synchronized add and remove per
 * computation, and per task two byte writes to the engine's state array (running, done): no
 * map operations.
 */
final class SharedKeys {
  // the states of an engine's tasks, LocalEngine.state, guarded by its lock
  static final byte NEW = 0;
  /** A thread of this computation is inside the task's function. */
  static final byte RUNNING = 1;
  /** Computed by this computation. */
  static final byte DONE = 2;
  /** Its value came from an earlier computation. */
  static final byte BORROWED = 3;
  /** Waiting for an earlier computation that is running it. */
  static final byte PENDING = 4;
  /** Not needed here: what needs it is borrowed. */
  static final byte SKIPPED = 5;
  static final byte FAILED = 6;

  private static final LocalEngine[] NONE = new LocalEngine[0];

  /** One computation that waits for a task of another: {@code task} is its own index. */
  static final class Waiter {
    final LocalEngine engine;
    final int task;
    Waiter next;

    Waiter(LocalEngine engine, int task) {
      this.engine = engine;
      this.task = task;
    }
  }

  private final List<LocalEngine> inProgress = new ArrayList<>();

  /** Adds {@code e} and returns the computations that were in progress before it. */
  synchronized LocalEngine[] join(LocalEngine e) {
    LocalEngine[] earlier = inProgress.isEmpty() ? NONE : inProgress.toArray(NONE);
    inProgress.add(e);
    return earlier;
  }

  /**
   * Removes {@code e}, which has ended, and tells whoever still waits for one of its tasks
   * that the value is lost; normally nobody does, as every task it started has ended.
   */
  void leave(LocalEngine e) {
    synchronized (this) {
      inProgress.remove(e);
    }
    Waiter[] left = e.orphans; // set by e's own run, on this thread, when it ended
    if (left != null) {
      e.orphans = null;
      for (Waiter w : left) {
        answer(w, null, null, true, null, null);
      }
    }
  }

  /**
   * Tells each waiter in the list how a task its lender ran ended: with {@code result}, with
   * {@code error} (the same key and cause as the lender's failure), or {@code lost}. Called
   * without the lender's lock, as each borrower takes its own.
   */
  static void answer(Waiter w, Object result, Throwable error, boolean lost, Object[] inputs,
      Thread where) {
    for (; w != null; w = w.next) {
      LocalEngine e = w.engine;
      if (lost) {
        e.notDelivered(w.task, null);
      } else if (error != null) {
        e.notDelivered(w.task, new TaskFailedException(e.plan.key(w.task), " on "
            + where.getName() + ", in an earlier computation that shared it", error,
            e.plan.task(w.task), Arrays.asList(inputs), ""));
      } else {
        e.delivered(w.task, result);
      }
    }
  }

  /** {@return how many computations are in progress}: for tests. */
  synchronized int size() {
    return inProgress.size();
  }

  /**
   * Borrows what {@code e} can from {@code lenders} (oldest first) and marks what it then no
   * longer needs as skipped. Called with {@code e}'s lock held, before any of its tasks runs.
   */
  static void prepare(LocalEngine e, LocalEngine[] lenders) {
    ExecutionPlan plan = e.plan;
    int n = e.n;
    byte[] state = e.state;
    // what a borrowed or pending task needs is not needed for it here
    boolean[] reached = plan.reachFromOutputs(t -> borrow(e, t, lenders));
    int finished = 0;
    for (int i = 0; i < n; i++) {
      if (!reached[i]) {
        state[i] = SKIPPED;
      }
      if (state[i] != NEW) {
        // runs elsewhere or not at all: it holds none of its inputs
        for (int j = 0, m = plan.dependencyCount(i); j < m; j++) {
          e.holders[plan.dependency(i, j)]--;
        }
        if (state[i] != PENDING) {
          finished++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (state[i] == BORROWED) {
        if (e.holders[i] > 0) {
          e.held++;
        } else {
          e.results[i] = null;
        }
        for (int j = 0, m = plan.dependentCount(i); j < m; j++) {
          e.waiting[plan.dependent(i, j)]--;
        }
      }
    }
    e.finished = finished;
    e.counts.completed(finished);
  }

  /**
   * Borrows task {@code t} of {@code e} from the oldest lender that computes it itself and has
   * finished it (the value is stored now) or is running it (a waiter is registered).
   *
   * @return whether {@code t} is borrowed or pending
   */
  private static boolean borrow(LocalEngine e, int t, LocalEngine[] lenders) {
    Key k = e.plan.key(t);
    for (LocalEngine l : lenders) {
      int p = l.plan.index().position(k); // an immutable index: no lock needed
      if (p < 0) {
        continue;
      }
      l.lock.lock();
      try {
        byte s = l.state[p];
        if (s == DONE && l.holders[p] > 0) {
          e.results[t] = l.results[p];
          e.state[t] = BORROWED;
          return true;
        }
        if (s == RUNNING && !l.ended) {
          if (l.waiters == null) {
            l.waiters = new Waiter[l.n];
          }
          Waiter w = new Waiter(e, t);
          w.next = l.waiters[p];
          l.waiters[p] = w;
          e.state[t] = PENDING;
          return true;
        }
      } finally {
        l.lock.unlock();
      }
    }
    return false;
  }
}
