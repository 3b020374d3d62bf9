package dev.tessera.graph.spi;

import dev.tessera.graph.core.Key;
import java.util.Objects;

/**
 * One result that moved from one worker to another, as {@link SchedulerCallback#transfer}
 * sees it: a remote scheduler sends a task's input along to the worker that runs the task
 * when that worker does not hold it.
 *
 * @param key the key of the result that moved
 * @param from the worker that held it, or the caller's JVM when it came from there
 * @param to the worker that received it
 * @param bytes its encoded size, as sent
 * @param nanos {@link System#nanoTime()} when it was sent (in the caller's JVM)
 */
public record TransferEvent(Key key, String from, String to, long bytes, long nanos) {
  /**
   * Checks the arguments.
   *
   * @param key the key of the result that moved
   * @param from the worker that held it
   * @param to the worker that received it
   * @param bytes its encoded size
   * @param nanos when it was sent
   * @throws NullPointerException if {@code key}, {@code from} or {@code to} is null
   */
  public TransferEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }
}
