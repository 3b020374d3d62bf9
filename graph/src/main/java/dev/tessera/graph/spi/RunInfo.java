package dev.tessera.graph.spi;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.ExecutionPlan;

/**
 * One computation as callbacks see it: immutable.
 *
 * @param id unique per computation in this JVM
 * @param scheduler the scheduler's {@link Scheduler#name()}
 * @param plan what runs (immutable)
 * @param startNanos {@link System#nanoTime()} at the start
 * @param counts the scheduler's live counts of finished and failed tasks, or
 *     {@link TaskCounts#NONE} if it does not count (then every callback gets every task's
 *     {@code pretask} and {@code posttask}, whatever {@link SchedulerCallback#wantsTaskEvents()}
 *     says)
 */
public record RunInfo(long id, String scheduler, ExecutionPlan plan, long startNanos,
    TaskCounts counts) {
  private static final java.util.concurrent.atomic.AtomicLong IDS =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Describes a computation.
   *
   * @param id unique per computation in this JVM
   * @param scheduler the scheduler's {@link Scheduler#name()}
   * @param plan what runs (immutable)
   * @param startNanos {@link System#nanoTime()} at the start
   * @param counts the scheduler's live counts, or {@link TaskCounts#NONE}
   * @throws NullPointerException if {@code counts} is null (a scheduler that does not count
   *     passes {@link TaskCounts#NONE})
   */
  public RunInfo {
    java.util.Objects.requireNonNull(counts, "counts");
  }

  /**
   * Describes a computation whose scheduler does not count its tasks live
   * ({@link TaskCounts#NONE}).
   *
   * @param id unique per computation in this JVM
   * @param scheduler the scheduler's {@link Scheduler#name()}
   * @param plan what runs (immutable)
   * @param startNanos {@link System#nanoTime()} at the start
   */
  public RunInfo(long id, String scheduler, ExecutionPlan plan, long startNanos) {
    this(id, scheduler, plan, startNanos, TaskCounts.NONE);
  }

  /**
   * Returns a new computation id, unique in this JVM whichever scheduler asks: observers that
   * watch several schedulers at once (the dashboard) tell their computations apart by it.
   *
   * @return the next id, from 1
   */
  public static long nextId() {
    return IDS.incrementAndGet();
  }

  /** {@return the number of tasks in the computation} */
  public int taskCount() {
    return plan.size();
  }
}
