package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;

/**
 * The one engine behind the synchronous and threaded schedulers, like Dask's
 * {@code get_async}: it runs the ready task with the lowest static priority, releases
 * dependents when their inputs finish, and drops every intermediate result as soon as no task
 * still to run needs it.
 *
 * <p>The calling thread is a worker too; up to {@code helpers} more loops run on the
 * executor. Helpers leave when nothing is ready and are started again when a finishing task
 * makes more work ready than the threads at hand can take. Because the caller always works,
 * a computation progresses even when every pool thread is busy elsewhere, and a task may
 * itself call {@code compute()} without deadlock.
 *
 * <p>Each task takes one of two paths, chosen as it starts. Unobserved (no callback, or none
 * that {@linkplain SchedulerCallback#wantsTaskEvents() wants} the task now): the lock is let go
 * only while the function runs, and progress shows only in {@link Run#counts}. Observed:
 * {@code pretask} before the function, {@code sizeOf} after it, and {@code posttask} with
 * the lock let go once more, so that a callback never runs under the engine's lock.
 *
 * <p>One instance per computation; the scheduler objects hold no per-run state. On a threaded
 * scheduler, computations in progress at once use each other's results for the keys they
 * share ({@link SharedKeys}): this engine then keeps a {@link #state} per task, borrows at its
 * start, and hands what it computes to the later computations that wait for it.
 */
final class LocalEngine extends Run implements Runnable {
  /** Whether any callback is registered at all; each task then asks it whether it wants it. */
  private final boolean watched;
  private final Executor executor;
  private final int maxHelpers;
  private final Thread caller;

  /** Signalled to wake the caller: work is ready, a task ended after a failure, or all done. */
  private final Condition changed = lock.newCondition();

  // ---- state, every field guarded by lock ----
  /** results[i]: the result of finished task i, while holders[i] > 0; else released. */
  final Object[] results;
  /**
   * state[i]: one of the {@link SharedKeys} states, when sharing; else null. Explicit, because
   * a null result is a result.
   */
  final byte[] state;
  /** The earlier computations to borrow from, until this one has started. */
  private LocalEngine[] lenders;
  /** waiters[i]: the later computations waiting for running task i; made on first use. */
  SharedKeys.Waiter[] waiters;
  /** This computation has ended: no more waiters. */
  boolean ended;
  /** The waiters left when it ended, to be told their value is lost; normally null. */
  SharedKeys.Waiter[] orphans;
  /** A pending task's lender ended without it: run again, from the start. */
  private boolean lost;
  /** threads[i]: the pool thread running task i, to interrupt on cancellation. */
  private final Thread[] threads;
  private int running;
  int held;
  private int activeHelpers;
  private boolean callerWaiting;
  /** The caller's own task ended with an InterruptedException: treated as an interrupt. */
  private boolean callerInterrupted;

  private LocalEngine(ExecutionPlan plan, SchedulerCallback callback, String name,
      Executor executor, int maxHelpers, SharedKeys shared) {
    super(plan, callback, name);
    this.state = shared == null ? null : new byte[n];
    this.watched = callback != SchedulerCallback.NONE;
    this.executor = executor;
    this.maxHelpers = executor == null ? 0 : maxHelpers;
    this.caller = Thread.currentThread();
    this.results = new Object[n];
    this.threads = new Thread[n];
  }

  /**
   * Runs {@code plan} on the calling thread plus up to {@code maxHelpers} loops on
   * {@code executor} (null for none) and returns the outputs' results; with {@code shared}
   * (null for none), borrows from and lends to the computations in progress there.
   */
  static List<Object> run(ExecutionPlan plan, SchedulerCallback callback, String name,
      Executor executor, int maxHelpers, SharedKeys shared) {
    LocalEngine e = new LocalEngine(plan, callback, name, executor, maxHelpers, shared);
    if (shared == null) {
      return e.execute();
    }
    e.lenders = shared.join(e);
    try {
      return e.execute();
    } finally {
      shared.leave(e);
    }
  }

  @Override
  List<Object> runLocked() {
    try {
      return work();
    } finally {
      if (state != null) {
        // nothing of this computation runs any more (or something broke): no new waiters
        ended = true;
        orphans = waiters;
        waiters = null;
      }
    }
  }

  private List<Object> work() {
    LocalEngine[] from = lenders;
    lenders = null; // holding earlier engines would keep their results alive
    if (from != null && from.length > 0) {
      SharedKeys.prepare(this, from);
    }
    seed();
    while (true) {
      if (failure != null || lost) {
        if (running == 0) {
          if (failure != null) {
            break;
          }
          restart();
          continue;
        }
        callerWaiting = true;
        changed.awaitUninterruptibly();
        callerWaiting = false;
        continue;
      }
      if (finished == n && running == 0) {
        break;
      }
      int t = ready.poll();
      if (t >= 0) {
        runTask(t);
        if (Thread.interrupted() || callerInterrupted) {
          interrupted = true;
          cancel();
        }
        continue;
      }
      callerWaiting = true;
      try {
        changed.await();
      } catch (InterruptedException e) {
        interrupted = true;
        cancel();
      } finally {
        callerWaiting = false;
      }
    }
    if (failure != null) {
      throw failure;
    }
    List<Object> out = new ArrayList<>(plan.outputs().size());
    for (int j = 0; j < plan.outputs().size(); j++) {
      out.add(results[plan.outputIndex(j)]);
    }
    return out;
  }

  /** Makes ready the tasks to run here whose inputs are all there, and starts helpers. */
  private void seed() {
    for (int i = 0; i < n; i++) {
      if (waiting[i] == 0 && (state == null || state[i] == SharedKeys.NEW)) {
        ready.add(i);
      }
    }
    spawnHelpers(ready.size() - 1);
  }

  /** A borrowed value was lost: forget everything and run again, borrowing nothing. */
  private void restart() {
    lost = false;
    ready.clear();
    java.util.Arrays.fill(results, null);
    java.util.Arrays.fill(state, SharedKeys.NEW);
    initCounts();
    held = 0;
    finished = 0;
    counts.completed(0);
    seed();
  }

  /** A helper loop on a pool thread: runs ready tasks until there are none. */
  @Override
  public void run() {
    lock.lock();
    try {
      while (failure == null && !lost) {
        int t = ready.poll();
        if (t < 0) {
          break;
        }
        runTask(t);
        Thread.interrupted(); // a cancellation's interrupt must not leak into the next task
      }
      activeHelpers--;
    } finally {
      lock.unlock();
    }
  }

  /** Runs task {@code t}; called and returns with the lock held, releases it meanwhile. */
  private void runTask(int t) {
    int deps = plan.dependencyCount(t);
    Object[] depValues = new Object[deps];
    for (int j = 0; j < deps; j++) {
      depValues[j] = results[plan.dependency(t, j)];
    }
    running++;
    if (state != null) {
      state[t] = SharedKeys.RUNNING;
    }
    Thread me = Thread.currentThread();
    boolean pooled = me != caller;
    if (pooled) {
      threads[t] = me;
    }
    lock.unlock();
    boolean observed = false;
    Object result = null;
    Throwable error = null;
    long start = System.nanoTime();
    try {
      // asked once, outside the lock: the task gets all three per-task calls or none
      observed = watched && callback.wantsTaskEvents();
      if (observed) {
        callback.pretask(info, plan.key(t), me.getName());
      }
      result = plan.task(t).run(depValues);
    } catch (Throwable e) {
      error = e;
    }
    long end = System.nanoTime();
    // measured here, without the lock, and only for an observer that measures sizes
    long bytes = observed && error == null ? callback.sizeOf(result) : -1;
    lock.lock();
    if (pooled) {
      threads[t] = null;
    }
    if (error != null) {
      counts.failedOne();
    }
    // an error after a cancellation may be its interrupt: waiters are told the value is lost
    boolean lostHere = error != null
        && (failure instanceof ComputeCancelledException || isInterrupt(error));
    if (!pooled && isInterrupt(error)) {
      callerInterrupted = true;
      cancel();
    } else if (error != null) {
      fail(t, error, me, depValues);
    } else {
      complete(t, result);
    }
    SharedKeys.Waiter w = null;
    if (state != null) {
      if (error != null) {
        state[t] = SharedKeys.FAILED;
      }
      if (waiters != null && (w = waiters[t]) != null) {
        waiters[t] = null;
      }
    }
    if (observed || w != null) {
      TaskEvent event = observed
          ? new TaskEvent(plan.key(t), me.getName(), start, end, error, held, bytes) : null;
      lock.unlock();
      // handed over without this lock: a borrower takes its own, and may hold an older one
      SharedKeys.answer(w, result, error, lostHere, depValues, me);
      if (observed) {
        try {
          callback.posttask(info, event);
        } catch (RuntimeException | Error e) {
          lock.lock();
          fail(t, e, me, null);
          lock.unlock();
        }
      }
      lock.lock();
    }
    // a task counts as running until its callbacks are done: compute() returns after them
    running--;
    if (running == 0 && callerWaiting && (failure != null || lost || finished == n)) {
      changed.signal();
    }
  }

  /** An earlier computation finished pending task {@code t}: as if it had run here. */
  void delivered(int t, Object value) {
    lock.lock();
    try {
      if (ended || state[t] != SharedKeys.PENDING) {
        return; // a stale answer: after a restart, or this computation broke off
      }
      state[t] = SharedKeys.BORROWED;
      if (failure != null || lost) {
        return; // nothing more starts
      }
      finished++;
      counts.completed(finished);
      if (holders[t] > 0) {
        results[t] = value;
        held++;
      }
      // its inputs' holders were lowered at the start: it never held them here
      int added = release(t);
      if (finished == n) {
        if (running == 0 && callerWaiting) {
          changed.signal();
        }
      } else if (added > 0) {
        // this thread is not one of ours: wake the caller for one, helpers for the rest
        int extra = ready.size();
        if (callerWaiting) {
          changed.signal();
          extra--;
        }
        spawnHelpers(extra);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The earlier computation did not finish pending task {@code t}: it failed there with
   * {@code failed}, as if it had failed here, or, when that is null, it was lost with that
   * computation and this one runs again.
   */
  void notDelivered(int t, TaskFailedException failed) {
    lock.lock();
    try {
      if (ended || state[t] != SharedKeys.PENDING) {
        return;
      }
      state[t] = failed != null ? SharedKeys.FAILED : SharedKeys.NEW;
      if (failed != null) {
        counts.failedOne();
      }
      if (failure == null) {
        if (failed != null) {
          failure = failed;
        } else {
          lost = true;
        }
        ready.clear();
      }
      if (callerWaiting) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void complete(int t, Object result) {
    finished++;
    counts.completed(finished);
    if (state != null) {
      state[t] = SharedKeys.DONE;
    }
    if (holders[t] > 0) {
      results[t] = result;
      held++;
    }
    for (int j = 0, m = plan.dependencyCount(t); j < m; j++) {
      int d = plan.dependency(t, j);
      if (--holders[d] == 0) {
        results[d] = null;
        held--;
      }
    }
    int added = release(t);
    if (finished == n) {
      return; // the caller is woken once this task's callbacks are done
    }
    if (added > 0) {
      // this thread takes one; wake the caller for another; start helpers for the rest
      int extra = ready.size() - 1;
      if (callerWaiting && Thread.currentThread() != caller) {
        changed.signal();
        extra--;
      }
      spawnHelpers(extra);
    }
  }

  /** Makes ready the dependents of finished task {@code t} that now have all their inputs. */
  private int release(int t) {
    int before = ready.size();
    for (int j = 0, m = plan.dependentCount(t); j < m; j++) {
      int p = plan.dependent(t, j);
      // a dependent this computation skips, borrows or waits for does not run here
      if (--waiting[p] == 0 && (state == null || state[p] == SharedKeys.NEW)) {
        ready.add(p);
      }
    }
    return ready.size() - before;
  }

  /**
   * Whether a task's exception is an interrupt, also one a task caught and rethrew wrapped
   * (a common idiom: {@code catch (InterruptedException e) { throw new RuntimeException(e); }}).
   */
  static boolean isInterrupt(Throwable error) {
    int depth = 0;
    for (Throwable e = error; e != null && depth < 32; e = e.getCause(), depth++) {
      if (e instanceof InterruptedException || e instanceof java.io.InterruptedIOException
          || e instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  private void spawnHelpers(int wanted) {
    while (wanted > 0 && activeHelpers < maxHelpers) {
      activeHelpers++;
      wanted--;
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        activeHelpers--; // pool shut down: the caller does the work
        return;
      }
    }
  }

  /** Records the first failure; {@code inputs} are what the task ran on (for a re-run). */
  private void fail(int t, Throwable error, Thread where, Object[] inputs) {
    if (failure == null) {
      String context = where == caller ? "" : " on " + where.getName();
      failure = new TaskFailedException(plan.key(t), context, error, plan.task(t),
          inputs == null ? null : java.util.Arrays.asList(inputs),
          "it failed in a callback, not in its function");
      ready.clear();
    }
    if (callerWaiting) {
      changed.signal();
    }
  }

  /** Stops the computation: nothing new starts, running pool tasks are interrupted. */
  private void cancel() {
    if (failure == null) {
      failure = new ComputeCancelledException("computation of " + plan.outputs().size()
          + " output(s) cancelled by an interrupt after " + finished + " of " + n
          + " tasks; " + running + " running task(s) were interrupted");
      ready.clear();
      for (Thread th : threads) {
        if (th != null) {
          th.interrupt();
        }
      }
    }
  }
}
