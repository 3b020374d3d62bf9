package dev.tessera.graph.spi;

import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.Scheduler;

/**
 * One computation as callbacks see it: immutable.
 *
 * @param id unique per computation in this JVM
 * @param scheduler the scheduler's {@link Scheduler#name()}
 * @param plan what runs (immutable)
 * @param startNanos {@link System#nanoTime()} at the start
 */
public record RunInfo(long id, String scheduler, ExecutionPlan plan, long startNanos) {
  private static final java.util.concurrent.atomic.AtomicLong IDS =
      new java.util.concurrent.atomic.AtomicLong();

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
