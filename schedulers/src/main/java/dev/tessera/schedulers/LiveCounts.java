package dev.tessera.schedulers;

import dev.tessera.graph.spi.TaskCounts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The local engine's task counts as observers read them ({@link TaskCounts}): two ints the
 * engine writes under its lock, one writer at a time, and anyone reads without it. A small
 * object of its own, not the engine, so that an observer holding it after the computation
 * holds no result.
 *
 * <p>Release stores and acquire loads: on x86 plain moves, so the engine's hot path pays no
 * fence for them (a volatile store would cost one per task).
 */
final class LiveCounts implements TaskCounts {
  private static final VarHandle COMPLETED;
  private static final VarHandle FAILED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      COMPLETED = l.findVarHandle(LiveCounts.class, "completed", int.class);
      FAILED = l.findVarHandle(LiveCounts.class, "failed", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // written under the engine's lock only, read by anyone through the handles
  @SuppressWarnings("unused")
  private int completed;
  @SuppressWarnings("unused")
  private int failed;

  /** The engine's count of finished tasks is now {@code total}; under the engine's lock. */
  void completed(int total) {
    COMPLETED.setRelease(this, total);
  }

  /** One more task failed; under the engine's lock. */
  void failedOne() {
    FAILED.setRelease(this, (int) FAILED.get(this) + 1);
  }

  @Override
  public int completed() {
    return (int) COMPLETED.getAcquire(this);
  }

  @Override
  public int failed() {
    return (int) FAILED.getAcquire(this);
  }

  @Override
  public String toString() {
    return "TaskCounts[completed=" + completed() + ", failed=" + failed() + "]";
  }
}
