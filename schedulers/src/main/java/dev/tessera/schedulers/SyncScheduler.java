package dev.tessera.schedulers;

import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.SchedulerCallback;
import java.util.List;

/** Runs every task on the calling thread, in priority order: for debugging and profiling. */
final class SyncScheduler implements Scheduler {
  static final SyncScheduler INSTANCE = new SyncScheduler();

  private SyncScheduler() {}

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    return LocalEngine.run(plan, callback, "sync", null, 0);
  }

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public String toString() {
    return "SyncScheduler";
  }
}
