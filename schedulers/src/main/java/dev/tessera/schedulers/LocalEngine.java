package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.RunInfo;
import dev.tessera.graph.RunOutcome;
import dev.tessera.graph.SchedulerCallback;
import dev.tessera.graph.TaskEvent;
import dev.tessera.graph.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>One instance per computation; the scheduler objects hold no per-run state.
 */
final class LocalEngine implements Runnable {
  private static final AtomicLong RUN_IDS = new AtomicLong();

  private final ExecutionPlan plan;
  private final SchedulerCallback callback;
  private final boolean observed;
  private final RunInfo info;
  private final Executor executor;
  private final int maxHelpers;
  private final Thread caller;
  private final int n;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled to wake the caller: work is ready, a task ended after a failure, or all done. */
  private final Condition changed = lock.newCondition();

  // ---- state, every field guarded by lock ----
  /** waiting[i]: dependencies of task i that have not finished. */
  private final int[] waiting;
  /** holders[i]: tasks still to run that need i's result, plus 1 if i is an output. */
  private final int[] holders;
  /** results[i]: the result of finished task i, while holders[i] > 0; else released. */
  private final Object[] results;
  /** Tasks whose dependencies have all finished, lowest priority first. */
  private final IntHeap ready;
  /** threads[i]: the pool thread running task i, to interrupt on cancellation. */
  private final Thread[] threads;
  private int running;
  private int finished;
  private int held;
  private int activeHelpers;
  private boolean callerWaiting;
  /** The caller's own task ended with an InterruptedException: treated as an interrupt. */
  private boolean callerInterrupted;
  /** The first failure or the cancellation; once set, nothing new starts. */
  private RuntimeException failure;

  private LocalEngine(ExecutionPlan plan, SchedulerCallback callback, String name,
      Executor executor, int maxHelpers) {
    this.plan = plan;
    this.callback = callback;
    this.observed = callback != SchedulerCallback.NONE;
    this.executor = executor;
    this.maxHelpers = executor == null ? 0 : maxHelpers;
    this.caller = Thread.currentThread();
    this.n = plan.size();
    this.info = new RunInfo(RUN_IDS.incrementAndGet(), name, plan, System.nanoTime());
    this.waiting = new int[n];
    this.holders = new int[n];
    this.results = new Object[n];
    this.threads = new Thread[n];
    int[] priority = new int[n];
    for (int i = 0; i < n; i++) {
      priority[i] = plan.priority(i);
      waiting[i] = plan.dependencyCount(i);
      holders[i] = plan.dependentCount(i);
    }
    for (int j = 0; j < plan.outputs().size(); j++) {
      holders[plan.outputIndex(j)]++;
    }
    this.ready = new IntHeap(priority, Math.min(n, 1024));
  }

  /**
   * Runs {@code plan} on the calling thread plus up to {@code maxHelpers} loops on
   * {@code executor} (null for none) and returns the outputs' results.
   */
  static List<Object> run(ExecutionPlan plan, SchedulerCallback callback, String name,
      Executor executor, int maxHelpers) {
    return new LocalEngine(plan, callback, name, executor, maxHelpers).execute();
  }

  private List<Object> execute() {
    boolean interrupted = false;
    callback.start(info);
    try {
      lock.lock();
      try {
        for (int i = 0; i < n; i++) {
          if (waiting[i] == 0) {
            ready.add(i);
          }
        }
        spawnHelpers(ready.size() - 1);
        while (true) {
          if (failure != null) {
            if (running == 0) {
              break;
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
      } finally {
        lock.unlock();
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

  /** A helper loop on a pool thread: runs ready tasks until there are none. */
  @Override
  public void run() {
    lock.lock();
    try {
      while (failure == null) {
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
    Thread me = Thread.currentThread();
    boolean pooled = me != caller;
    if (pooled) {
      threads[t] = me;
    }
    lock.unlock();
    Object result = null;
    Throwable error = null;
    long start = System.nanoTime();
    try {
      if (observed) {
        callback.pretask(info, plan.key(t), me.getName());
      }
      result = plan.task(t).run(depValues);
    } catch (Throwable e) {
      error = e;
    }
    long end = System.nanoTime();
    lock.lock();
    if (pooled) {
      threads[t] = null;
    }
    if (error instanceof InterruptedException && !pooled) {
      callerInterrupted = true;
      cancel();
    } else if (error != null) {
      fail(t, error, me);
    } else {
      complete(t, result);
    }
    if (observed) {
      TaskEvent event = new TaskEvent(plan.key(t), me.getName(), start, end, error, held,
          holders[t] > 0 ? result : null);
      lock.unlock();
      try {
        callback.posttask(info, event);
      } catch (RuntimeException | Error e) {
        lock.lock();
        fail(t, e, me);
        lock.unlock();
      }
      lock.lock();
    }
    // Counted as running until its posttask returned: the caller waits for running == 0, so
    // finish() and compute() come after every task's posttask.
    running--;
    if (running == 0 && callerWaiting && (failure != null || finished == n)) {
      changed.signal();
    }
  }

  private void complete(int t, Object result) {
    finished++;
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
    int before = ready.size();
    for (int j = 0, m = plan.dependentCount(t); j < m; j++) {
      int p = plan.dependent(t, j);
      if (--waiting[p] == 0) {
        ready.add(p);
      }
    }
    int added = ready.size() - before;
    if (finished == n) {
      if (callerWaiting) {
        changed.signal();
      }
      return;
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

  private void fail(int t, Throwable error, Thread where) {
    if (failure == null) {
      String context = where == caller ? "" : " on " + where.getName();
      failure = new TaskFailedException(plan.key(t), context, error);
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
