package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs every task on the calling thread, in priority order: for debugging and profiling. */
final class SyncScheduler implements Scheduler {
  static final SyncScheduler INSTANCE = new SyncScheduler();

  private SyncScheduler() {}

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    return LocalEngine.run(plan, callback, "sync", null, 0, null);
  }

  /** Runs the plan now, on the calling thread, and returns it finished: for debugging. */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback) {
    CompletableFuture<List<RemoteValue>> results = new CompletableFuture<>();
    try {
      results.complete(persist(plan, callback));
    } catch (RuntimeException e) {
      results.completeExceptionally(e);
    }
    return Execution.of(results, () -> { });
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
