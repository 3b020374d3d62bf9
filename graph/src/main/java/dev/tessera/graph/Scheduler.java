package dev.tessera.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs execution plans. One method does the work; everything else (validation, culling,
 * ordering) is already in the {@link ExecutionPlan}.
 *
 * <p>Results may live anywhere while the plan runs (this heap, a worker process, a cluster):
 * only {@link #get} brings the outputs to the caller, and {@link #persist} may leave them where
 * they are.
 *
 * <p>Contract: the callback's {@code start} is called first and its {@code finish} always,
 * also on failure; a failing task stops the computation and {@code get} throws a
 * {@link TaskFailedException} naming the key, with the task's exception as its cause, after
 * no task of this computation is running any more; an interrupt of the calling thread cancels
 * the computation with {@link ComputeCancelledException}; a failed call leaves the scheduler
 * fit for the next one. Schedulers are safe to use from several threads at once.
 */
public interface Scheduler {
  /**
   * Runs the plan and returns the results of its outputs, gathered to this JVM.
   *
   * @param plan what to run
   * @param callback diagnostics to notify; {@link SchedulerCallback#NONE} for none
   * @return one result per {@link ExecutionPlan#outputs()} entry, in order
   * @throws TaskFailedException if a task fails
   * @throws ComputeCancelledException if the calling thread is interrupted
   */
  List<Object> get(ExecutionPlan plan, SchedulerCallback callback);

  /**
   * Runs the plan and returns, per output key, a task that yields its result cheaply. A local
   * scheduler returns constants; a remote one may return tasks that fetch a result still held
   * by a worker.
   *
   * @param plan what to run
   * @param callback diagnostics to notify
   * @return a task per output key
   */
  default Map<Key, Task> persist(ExecutionPlan plan, SchedulerCallback callback) {
    List<Object> values = get(plan, callback);
    Map<Key, Task> out = new HashMap<>();
    for (int j = 0; j < values.size(); j++) {
      out.put(plan.outputs().get(j), Task.constant(values.get(j)));
    }
    return out;
  }

  /** {@return a short name for diagnostics, such as {@code "threads(2)"}} */
  default String name() {
    return getClass().getSimpleName();
  }
}
