package dev.tessera.graph;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.Engines;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs execution plans. Users pick one ({@code Schedulers.threads()}, a pool of worker JVMs, a
 * cluster) and pass it to {@code compute}; the methods are for collections and clients, which
 * hand over an {@link ExecutionPlan} where validation, culling and ordering are already done.
 * The types these methods use live in {@link dev.tessera.graph.spi}.
 *
 * <p>Results may live anywhere while the plan runs (this heap, a worker process, a cluster):
 * only {@link #get} brings the outputs to the caller; {@link #submit} and {@link #persist}
 * return {@link RemoteValue} handles to outputs that stay where they are, until
 * {@link #unpersist} drops them.
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
   * Starts running the plan and returns at once. The outputs stay where the scheduler keeps
   * them; the handles come with {@link Execution#results()}. The default runs {@link #get} on a
   * new thread, which is correct for any scheduler; schedulers override it to run on their own
   * workers.
   *
   * @param plan what to run
   * @param callback diagnostics to notify
   * @return the running computation
   */
  default Execution submit(ExecutionPlan plan, SchedulerCallback callback) {
    CompletableFuture<List<RemoteValue>> results = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        results.complete(local(plan, get(plan, callback)));
      } catch (Throwable e) {
        results.completeExceptionally(e);
      }
    }, "tessera-submit-" + name());
    t.setDaemon(true);
    t.start();
    return Execution.of(results, t::interrupt);
  }

  /**
   * Runs the plan and returns a handle per output whose data stays where the scheduler keeps
   * it (a local scheduler keeps it in this heap), until {@link #unpersist} or
   * {@link RemoteValue#release()}.
   *
   * @param plan what to run
   * @param callback diagnostics to notify
   * @return one handle per {@link ExecutionPlan#outputs()} entry, in order
   * @throws TaskFailedException if a task fails
   * @throws ComputeCancelledException if the calling thread is interrupted
   */
  default List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    return local(plan, get(plan, callback));
  }

  /**
   * Like {@link #persist(ExecutionPlan, SchedulerCallback)}, keeping the results as
   * {@code options} ask: with {@link PersistOptions#backups(int)}, copies of each output on
   * other workers, so that one worker's death loses nothing. The default keeps no backups: it
   * accepts {@link PersistOptions#none()} and rejects backups, which only schedulers with
   * workers that die apart (a cluster, a pool of worker processes) override to keep.
   *
   * @param plan what to run
   * @param callback diagnostics to notify
   * @param options how to keep the results
   * @return one handle per {@link ExecutionPlan#outputs()} entry, in order
   * @throws UnsupportedOperationException if backups are asked for and this scheduler keeps
   *     none
   * @throws IllegalArgumentException if more backups are asked for than there are other
   *     workers
   * @throws TaskFailedException if a task fails
   * @throws ComputeCancelledException if the calling thread is interrupted
   */
  default List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    java.util.Objects.requireNonNull(options, "options");
    if (options.backupCount() > 0) {
      throw noBackups(options, "persist");
    }
    return persist(plan, callback);
  }

  /**
   * Like {@link #submit(ExecutionPlan, SchedulerCallback)}, keeping the outputs as
   * {@code options} ask (what {@code Submit.options().backups(n)} reaches): with
   * {@link PersistOptions#backups(int)}, the results are done once each output also has its
   * copies on other workers, as {@link #persist(ExecutionPlan, SchedulerCallback,
   * PersistOptions)} makes them. The default keeps no backups: it runs
   * {@link #submit(ExecutionPlan, SchedulerCallback)} for {@link PersistOptions#none()} and
   * rejects backups.
   *
   * @param plan what to run
   * @param callback diagnostics to notify
   * @param options how to keep the results
   * @return the running computation; a scheduler that cannot keep enough copies (too few live
   *     workers) fails its results with an {@link IllegalArgumentException} naming the fix
   * @throws UnsupportedOperationException if backups are asked for and this scheduler keeps
   *     none
   */
  default Execution submit(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    java.util.Objects.requireNonNull(options, "options");
    if (options.backupCount() > 0) {
      throw noBackups(options, "submit");
    }
    return submit(plan, callback);
  }

  private UnsupportedOperationException noBackups(PersistOptions options, String verb) {
    return new UnsupportedOperationException(name() + " keeps no backups (" + options
        + "): its results live in this JVM or die with it; " + verb + " without backups, or"
        + " on a scheduler whose workers die apart (a Cluster, Schedulers.processes(n))");
  }

  /**
   * Drops the data of handles this scheduler returned; the same as releasing each.
   *
   * @param values the handles
   */
  default void unpersist(Collection<? extends RemoteValue> values) {
    values.forEach(RemoteValue::release);
  }

  /**
   * {@return this scheduler's long-lived workers, addressable one by one, if it has them: what
   * engine views, actors and MPI-style groups run on; empty by default}
   */
  default Optional<Engines> engines() {
    return Optional.empty();
  }

  /** {@return a short name for diagnostics, such as {@code "threads(2)"}} */
  default String name() {
    return getClass().getSimpleName();
  }

  private static List<RemoteValue> local(ExecutionPlan plan, List<Object> values) {
    List<RemoteValue> out = new ArrayList<>(values.size());
    for (int j = 0; j < values.size(); j++) {
      out.add(RemoteValue.local(plan.outputs().get(j), values.get(j), -1));
    }
    return out;
  }
}
