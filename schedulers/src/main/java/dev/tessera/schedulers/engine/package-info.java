/**
 * For scheduler writers: the engine of a remote scheduler, independent of how messages reach
 * the workers. The worker-JVM pool ({@link dev.tessera.schedulers.ProcessScheduler}) is one
 * transport on it; the Apache Ignite cluster is another. Users never call this package.
 *
 * <h2>The pieces</h2>
 * {@link dev.tessera.schedulers.engine.Engine} is the state of a pool for its lifetime: the live
 * workers and their load, the computations in progress, the directory of results that outlive
 * their computation, the transfer counters. Each computation (one plan) keeps its task states
 * (released, waiting, ready, parked, sent, done, as in Dask distributed's scheduler; written
 * down in {@code Computation}) and splits its work by concern: the directory of which worker
 * holds which result and its size, placement by data locality, recovery from a worker's death
 * (its tasks run again, results only it held are recomputed from the graph, persisted results
 * with backups are read from a copy), release of results no pending task needs, and the keys
 * it shares with the other computations in progress (it borrows what an earlier one computes
 * or holds, and lends what it computes). Callbacks ({@code pretask}, {@code posttask}) and the encoding
 * of tasks run outside the engine's lock.
 *
 * <h2>How a transport plugs in</h2>
 * <ol>
 *   <li>Implement {@link dev.tessera.schedulers.engine.WorkerEndpoint} for one worker: queue a
 *       task ({@code run}), a {@code fetch}, a {@code release} or a {@code cancel} without
 *       waiting, and {@code kill}; optionally {@code pull}, which has a worker fetch a task's
 *       input straight from the worker holding it (else inputs are relayed through the
 *       caller). Results are named by {@code long} ids the engine chooses; the worker keeps
 *       each under its id until released.</li>
 *   <li>Implement {@link dev.tessera.schedulers.engine.Encoding} (or reuse the pool's codecs)
 *       for tasks and values.</li>
 *   <li>Create one {@link dev.tessera.schedulers.engine.Engine} per pool, with the
 *       {@link dev.tessera.graph.Scheduler} that owns its handles, and call
 *       {@link dev.tessera.schedulers.engine.Engine#join} for every worker that is ready.</li>
 *   <li>Report what workers answer through the engine's
 *       {@link dev.tessera.schedulers.engine.WorkerEvents} methods ({@code done}, {@code failed},
 *       {@code data}, {@code unsendable}, and {@code pulled} or {@code pullFailed} for a
 *       {@code pull}) and a lost worker with {@code died}, exactly once;
 *       start a replacement and {@code join} it (or {@code joinFailed}).</li>
 *   <li>The scheduler's {@code get} and {@code persist} (also with
 *       {@link dev.tessera.graph.PersistOptions}, for backups) delegate to the engine's;
 *       {@code close}
 *       calls {@link dev.tessera.schedulers.engine.Engine#close} before stopping the workers.</li>
 * </ol>
 */
package dev.tessera.schedulers.engine;
