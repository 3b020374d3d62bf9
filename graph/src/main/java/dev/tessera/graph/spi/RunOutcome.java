package dev.tessera.graph.spi;

/**
 * How a computation ended, as {@link SchedulerCallback#finish} sees it.
 *
 * @param tasksCompleted how many tasks finished successfully
 * @param taskCount how many there were
 * @param failure why it stopped early ({@link dev.tessera.graph.TaskFailedException} or
 *     {@link dev.tessera.graph.ComputeCancelledException}), or {@code null} if it completed
 * @param endNanos {@link System#nanoTime()} at the end
 */
public record RunOutcome(int tasksCompleted, int taskCount, Throwable failure, long endNanos) {
  /** {@return whether every task completed} */
  public boolean succeeded() {
    return failure == null;
  }
}
