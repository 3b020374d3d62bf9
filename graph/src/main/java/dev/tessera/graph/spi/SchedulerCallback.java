package dev.tessera.graph.spi;

import dev.tessera.graph.core.Key;
import java.util.List;

/**
 * Diagnostics hooks, all no-ops by default: {@code start}, {@code pretask}, {@code posttask},
 * {@code transfer} and {@code finish}, which is always called, also when the computation fails.
 *
 * <p>Callbacks receive immutable snapshots, never the scheduler's live state. {@code pretask}
 * and {@code posttask} are called on the worker threads, possibly at the same time from
 * several of them: implementations must be thread-safe and quick. An exception thrown by a
 * callback fails the computation like a failing task.
 *
 * <p>A callback that watches only now and then (a dashboard with no page open) says so through
 * {@link #wantsTaskEvents()}: a scheduler that counts its tasks ({@link RunInfo#counts()}) then
 * leaves out the per-task calls, and with them their whole cost, while it says no.
 */
public interface SchedulerCallback {
  /** The callback that does nothing. */
  SchedulerCallback NONE = new SchedulerCallback() {};

  /**
   * Returns whether this callback wants {@code pretask}, {@code sizeOf} and {@code posttask}
   * for the tasks that start now: {@code true} (the default) for a callback that wants every
   * task. The answer may change at any moment (a page of a dashboard opens); a scheduler asks
   * as often as once per task, on the thread that starts it, so the answer must cost no more
   * than reading a volatile field.
   *
   * <p>A scheduler that counts its tasks ({@link RunInfo#counts()} is not
   * {@link TaskCounts#NONE}) decides per task, before it starts, and keeps to it: a task gets
   * its {@code pretask}, {@code sizeOf} and {@code posttask} all three or none. A scheduler that
   * does not count calls every task's callbacks, whatever this says. {@code start},
   * {@code transfer} and {@code finish} are always called.
   *
   * @return whether the tasks starting now should be reported to this callback
   */
  default boolean wantsTaskEvents() {
    return true;
  }

  /**
   * Called once, before any task runs.
   *
   * @param run what is about to run
   */
  default void start(RunInfo run) {}

  /**
   * Called just before a task runs.
   *
   * @param run the computation
   * @param key the task's key
   * @param worker the thread or process that runs it
   */
  default void pretask(RunInfo run, Key key, String worker) {}

  /**
   * Called just after a task ran, successfully or not.
   *
   * @param run the computation
   * @param event what happened
   */
  default void posttask(RunInfo run, TaskEvent event) {}

  /**
   * Called when a remote scheduler sends a result from one worker to another (through the
   * caller's JVM or directly), on the thread that sends it, outside the scheduler's locks.
   * Local schedulers never call it: their tasks share values.
   *
   * @param run the computation
   * @param event what moved, from where to where
   */
  default void transfer(RunInfo run, TransferEvent event) {}

  /**
   * Called once at the end, whatever happened.
   *
   * @param run the computation
   * @param outcome how it ended
   */
  default void finish(RunInfo run, RunOutcome outcome) {}

  /**
   * Returns the size in bytes of a result held in this JVM, for
   * {@link TaskEvent#resultBytes()}; -1 (the default) if this callback does not measure
   * sizes. Local schedulers call it on the worker thread, only when a callback is registered
   * that wants the task's events ({@link #wantsTaskEvents()}); remote schedulers measure where
   * the result is and never call it.
   *
   * @param result a task's result, possibly {@code null}
   * @return its size, or -1
   */
  default long sizeOf(Object result) {
    return -1;
  }

  /**
   * Returns one callback that calls each of {@code callbacks} in turn. It wants a task's
   * events when any of them does, and then calls each of them with it, also one that did not
   * want it (as a scheduler that does not count would).
   *
   * @param callbacks the callbacks
   * @return the combined callback
   */
  static SchedulerCallback all(List<SchedulerCallback> callbacks) {
    if (callbacks.isEmpty()) {
      return NONE;
    }
    if (callbacks.size() == 1) {
      return callbacks.get(0);
    }
    List<SchedulerCallback> list = List.copyOf(callbacks);
    return new SchedulerCallback() {
      @Override
      public boolean wantsTaskEvents() {
        for (SchedulerCallback c : list) {
          if (c.wantsTaskEvents()) {
            return true;
          }
        }
        return false;
      }

      @Override
      public void start(RunInfo run) {
        list.forEach(c -> c.start(run));
      }

      @Override
      public void pretask(RunInfo run, Key key, String worker) {
        for (SchedulerCallback c : list) {
          c.pretask(run, key, worker);
        }
      }

      @Override
      public void posttask(RunInfo run, TaskEvent event) {
        for (SchedulerCallback c : list) {
          c.posttask(run, event);
        }
      }

      @Override
      public void transfer(RunInfo run, TransferEvent event) {
        for (SchedulerCallback c : list) {
          c.transfer(run, event);
        }
      }

      @Override
      public long sizeOf(Object result) {
        long size = -1;
        for (SchedulerCallback c : list) {
          size = Math.max(size, c.sizeOf(result));
        }
        return size;
      }

      @Override
      public void finish(RunInfo run, RunOutcome outcome) {
        RuntimeException first = null;
        for (SchedulerCallback c : list) {
          try {
            c.finish(run, outcome);
          } catch (RuntimeException e) {
            if (first == null) {
              first = e;
            }
          }
        }
        if (first != null) {
          throw first;
        }
      }
    };
  }
}
