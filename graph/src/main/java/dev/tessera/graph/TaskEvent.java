package dev.tessera.graph;

/**
 * One task that ran, as {@link SchedulerCallback#posttask} sees it.
 *
 * @param key the task's key
 * @param worker the thread or process it ran on
 * @param startNanos {@link System#nanoTime()} when it started (in the caller's JVM)
 * @param endNanos {@link System#nanoTime()} when it ended
 * @param error what it threw, or {@code null}
 * @param resultsHeld how many results the scheduler held just after it
 * @param result its result when the scheduler has it in this JVM, else {@code null}
 */
public record TaskEvent(Key key, String worker, long startNanos, long endNanos, Throwable error,
    int resultsHeld, Object result) {
  /** {@return how long the task ran, in nanoseconds} */
  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** {@return whether the task failed} */
  public boolean failed() {
    return error != null;
  }
}
