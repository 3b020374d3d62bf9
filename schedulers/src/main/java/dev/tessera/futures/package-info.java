/**
 * Futures: {@link dev.tessera.futures.Client} submits work as it comes to any scheduler
 * (threads, a pool of worker JVMs, later a cluster) and returns
 * {@link dev.tessera.futures.TaskFuture}s, like Dask's {@code distributed.Client}.
 *
 * <h2>Model</h2>
 * The client keeps one entry per key: <em>waiting</em> for the futures it takes as inputs,
 * <em>ready</em> in a priority queue, <em>processing</em> at the scheduler (as an
 * {@link dev.tessera.graph.spi.Execution}), then <em>memory</em> (a
 * {@link dev.tessera.graph.spi.RemoteValue}: the data stays where the scheduler computed it),
 * <em>erred</em> or <em>cancelled</em>, and <em>forgotten</em> when no future object, no graph
 * and no pending task refers to it. Keys are deterministic for pure calls, so equal work
 * submitted twice, from any thread, runs once. Inputs are passed to the scheduler as handles
 * it uses in place: a future's result never travels unless a task elsewhere needs it or the
 * caller asks for it.
 *
 * <h2>Errors</h2>
 * A failure is a {@link dev.tessera.graph.TaskFailedException} naming the future's key, its
 * cause the task's own exception; futures that depend on it fail with the same exception
 * object. Cancelling interrupts the running task; dependents fail with the same
 * {@link java.util.concurrent.CancellationException}.
 */
package dev.tessera.futures;
