/**
 * The scheduler SPI: what a scheduler implementation and its observers use, and users need
 * not. Users pick a {@link dev.tessera.graph.Scheduler} and call {@code compute()}; everything
 * here is for the people who write schedulers (local, worker JVMs, a cluster) and diagnostics.
 *
 * <ul>
 *   <li>{@link dev.tessera.graph.spi.Execution}: a computation submitted asynchronously, with a
 *       cancel;
 *   <li>{@link dev.tessera.graph.spi.RemoteValue}: a handle to a result that stays where the
 *       scheduler keeps it (persist, futures), fetched or released explicitly;
 *   <li>{@link dev.tessera.graph.spi.SchedulerCallback} with {@link dev.tessera.graph.spi.RunInfo},
 *       {@link dev.tessera.graph.spi.TaskEvent}, {@link dev.tessera.graph.spi.RunOutcome} and
 *       {@link dev.tessera.graph.spi.TaskCounts}: the diagnostics hooks, which see sizes, never
 *       remote data, and need not be called per task when they do not want it;
 *   <li>{@link dev.tessera.graph.spi.SchedulerProvider}: the default scheduler, by priority;
 *   <li>{@link dev.tessera.graph.spi.Codec}: how values of a type travel between JVMs, for any
 *       scheduler that moves them (the worker-JVM pool, a cluster);
 *   <li>{@link dev.tessera.graph.spi.Engines} with {@link dev.tessera.graph.spi.EngineFunction},
 *       {@link dev.tessera.graph.spi.EngineContext} and
 *       {@link dev.tessera.graph.spi.EngineMessage}: a scheduler's long-lived workers,
 *       addressed one by one (engine views, actors, MPI-style groups);
 *   <li>{@link dev.tessera.graph.spi.WorkerEngines}: the same engines as a task running on a
 *       worker JVM reaches them (optional for a transport).
 * </ul>
 */
package dev.tessera.graph.spi;
