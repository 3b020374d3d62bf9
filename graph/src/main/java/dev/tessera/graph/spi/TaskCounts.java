package dev.tessera.graph.spi;

/**
 * A running computation's tasks as its scheduler counts them, live: how many finished and how
 * many failed so far. Observers read it from any thread at any moment, without a lock and
 * without waiting: the counts only grow, and are final once {@link SchedulerCallback#finish}
 * is called.
 *
 * <p>This is what lets a scheduler skip the per-task calls of a callback that does not want
 * them ({@link SchedulerCallback#wantsTaskEvents()}): an observer that shows progress reads it
 * here rather than counting {@link SchedulerCallback#posttask} calls. A scheduler that does not
 * count gives {@link #NONE} and calls every callback for every task.
 */
public interface TaskCounts {
  /** What a scheduler that does not count gives: every count is -1. */
  TaskCounts NONE = new TaskCounts() {
    @Override
    public int completed() {
      return -1;
    }

    @Override
    public int failed() {
      return -1;
    }
  };

  /** {@return how many tasks finished successfully so far, -1 if the scheduler does not count} */
  int completed();

  /**
   * Returns how many tasks failed so far (their function threw, an interrupt included): a
   * computation stops at its first failure, but tasks already running may fail too.
   *
   * @return the count, -1 if the scheduler does not count
   */
  int failed();
}
