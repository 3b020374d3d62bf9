package dev.tessera.dashboard;

import dev.tessera.graph.core.Key;

/**
 * What the dashboard records per task, in its own terms: plain values, never the task's
 * result (holding results would keep them alive), so the ring buffer's memory stays bounded.
 */
sealed interface Activity {
  /** The computation's id. */
  long run();

  /**
   * A task started.
   *
   * @param run the computation's id
   * @param key the task's key
   * @param worker the thread or worker process that runs it
   * @param nanos {@link System#nanoTime()} when it started
   */
  record Started(long run, Key key, String worker, long nanos) implements Activity {}

  /**
   * A task ended.
   *
   * @param run the computation's id
   * @param key the task's key
   * @param worker the thread or worker process that ran it
   * @param startNanos when it started
   * @param endNanos when it ended
   * @param failed whether it threw
   * @param bytes the size of its result when known in this JVM, else -1
   */
  record Ended(long run, Key key, String worker, long startNanos, long endNanos,
      boolean failed, long bytes) implements Activity {}
}
