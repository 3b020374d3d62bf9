package dev.tessera.dashboard;

import dev.tessera.graph.ExecutionPlan;
import java.util.concurrent.atomic.LongAdder;

/**
 * One computation the dashboard saw start: its plan (immutable) and two exact counters that
 * the task callbacks bump; how it ended once it has. Everything else about it (per-layer
 * progress, the graph picture) is derived by the reader, only while somebody watches.
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
  final ExecutionPlan plan;
  final long startNanos;
  final LongAdder done = new LongAdder();
  final LongAdder failed = new LongAdder();
  private volatile End end;
  /** Per-layer progress, built and updated by the reader (under the State lock). */
  Progress progress;

  Computation(long id, String scheduler, ExecutionPlan plan, long startNanos) {
    this.id = id;
    this.scheduler = scheduler;
    this.plan = plan;
    this.startNanos = startNanos;
  }

  void ended(End e) {
    end = e;
  }

  /** Returns how it ended, or {@code null} while it runs. */
  End end() {
    return end;
  }

  int tasks() {
    return plan.size();
  }
}
