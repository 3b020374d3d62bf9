package dev.tessera.dashboard;

import dev.tessera.graph.ExecutionPlan;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One computation the dashboard saw start: its plan (immutable) and two exact counters that
 * the task callbacks bump; how it ended once it has. Everything else about it (per-layer
 * progress, the graph picture) is derived by the reader, only while somebody watches.
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
   * @param failure what stopped it ({@code "FAILED at ('x', 1): ArithmeticException: / by
   *     zero"}), or {@code null} if it completed
   * @param endNanos when it ended
   */
  record End(int completed, String failure, long endNanos) {}

  final long id;
  final String scheduler;
  final int tasks;
  final long startNanos;
  private volatile ExecutionPlan plan;
  private volatile WeakReference<ExecutionPlan> finished;
  final LongAdder done = new LongAdder();
  final LongAdder failed = new LongAdder();
  private volatile End end;
  /** Per-layer progress, built and updated by the reader (under the State lock). */
  volatile Progress progress;
  /** Whether a page was open when it started: its progress must be drawn at least once. */
  private final boolean watched;

  Computation(long id, String scheduler, ExecutionPlan plan, long startNanos, boolean watched) {
    this.id = id;
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

  /** Returns how it ended, or {@code null} while it runs. */
  End end() {
    return end;
  }

}
