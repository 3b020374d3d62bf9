package dev.tessera.dashboard;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.TaskCounts;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One computation the dashboard saw start: its plan (immutable), its exact counts of finished
 * and failed tasks, and how it ended once it has. The counts are the scheduler's own when it
 * keeps them ({@link TaskCounts}: the threaded and synchronous schedulers, which then call no
 * per-task callback while no page is open), else two counters that the task callbacks bump
 * (the worker-JVM pool and the cluster, which report every task). Everything else about it
 * (per-layer progress, the graph picture) is derived by the reader, only while somebody
 * watches.
 *
 * <p>The plan is held strongly only while the computation runs: a plan holds its tasks'
 * literals (a big constant array, say), which must not outlive the computation because a
 * dashboard is open. Once it ended, the plan stays reachable only weakly, until the next
 * collection; except when a page watched it start and has not drawn its progress yet (a short
 * computation can end before the page's next update), then until that update.
 */
final class Computation {
  /**
   * How a computation ended.
   *
   * @param completed tasks that finished successfully
   * @param failed tasks that failed
   * @param failure what stopped it ({@code "FAILED at ('x', 1): ArithmeticException: / by
   *     zero"}), or {@code null} if it completed
   * @param endNanos when it ended
   */
  record End(int completed, long failed, String failure, long endNanos) {}

  final long id;
  final String scheduler;
  final int tasks;
  final long startNanos;
  private volatile ExecutionPlan plan;
  private volatile WeakReference<ExecutionPlan> finished;
  /** The scheduler's live counts, or {@code null} if it does not count: then the adders. */
  private final TaskCounts counts;
  /** Bumped by posttask, only when the scheduler does not count. */
  final LongAdder done = new LongAdder();
  /** Bumped by posttask, only when the scheduler does not count. */
  final LongAdder failed = new LongAdder();
  private volatile End end;
  /** Per-layer progress, built and updated by the reader (under the State lock). */
  volatile Progress progress;
  /** Whether a page was open when it started: its progress must be drawn at least once. */
  private final boolean watched;

  Computation(long id, String scheduler, ExecutionPlan plan, long startNanos, TaskCounts counts,
      boolean watched) {
    this.id = id;
    this.counts = counts.completed() < 0 ? null : counts;
    this.watched = watched;
    this.scheduler = scheduler;
    this.plan = plan;
    this.tasks = plan.size();
    this.startNanos = startNanos;
  }

  void ended(End e) {
    ExecutionPlan p = plan;
    if (p != null) {
      finished = new WeakReference<>(p);
      if (!watched || progress != null) {
        plan = null;
      }
    }
    end = e;
  }

  /** The reader drew it (or will never show it): an ended computation's plan may go. */
  void drawn() {
    if (end != null) {
      plan = null;
    }
  }

  /** Returns the plan, or {@code null} if the computation ended and its plan was collected. */
  ExecutionPlan plan() {
    ExecutionPlan p = plan;
    if (p != null) {
      return p;
    }
    WeakReference<ExecutionPlan> f = finished;
    return f == null ? null : f.get();
  }

  /** Whether the scheduler counts the tasks: the callbacks then must not. */
  boolean counted() {
    return counts != null;
  }

  /** Returns its tasks finished so far (exact: the scheduler's count or every posttask's). */
  long done() {
    End e = end;
    if (e != null) {
      return e.completed();
    }
    return counts != null ? counts.completed() : done.sum();
  }

  /** Returns its tasks failed so far (exact, as {@link #done()}). */
  long failed() {
    End e = end;
    if (e != null) {
      return e.failed();
    }
    return counts != null ? counts.failed() : failed.sum();
  }

  /**
   * Returns how it ended: {@code completed} and {@code failure} as the scheduler's outcome
   * says, and the failed tasks as counted, final once the scheduler calls {@code finish}.
   */
  End end(int completed, String failure, long endNanos) {
    return new End(completed, counts != null ? counts.failed() : failed.sum(), failure,
        endNanos);
  }

  /** Returns how it ended, or {@code null} while it runs. */
  End end() {
    return end;
  }

}
