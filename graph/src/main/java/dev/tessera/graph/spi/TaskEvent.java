package dev.tessera.graph.spi;

import dev.tessera.graph.core.Key;

/**
 * One task that ran, as {@link SchedulerCallback#posttask} sees it.
 *
 * @param key the task's key
 * @param worker the thread or process it ran on
 * @param startNanos {@link System#nanoTime()} when it started (in the caller's JVM)
 * @param endNanos {@link System#nanoTime()} when it ended
 * @param error what it threw, or {@code null}
 * @param resultsHeld how many results the scheduler held just after it
 * @param resultBytes the size of its result in bytes, -1 if unknown: measured where the result
 *     is (a worker process measures its own), so that observers never pull remote data; a
 *     local scheduler asks {@link SchedulerCallback#sizeOf} of the callback
 */
public record TaskEvent(Key key, String worker, long startNanos, long endNanos, Throwable error,
    int resultsHeld, long resultBytes) {
  /** {@return how long the task ran, in nanoseconds} */
  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** {@return whether the task failed} */
  public boolean failed() {
    return error != null;
  }
}
