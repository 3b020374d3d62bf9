/**
 * The local schedulers, {@link dev.tessera.schedulers.Schedulers#sync()} and
 * {@link dev.tessera.schedulers.Schedulers#threads(int)}, on one engine.
 *
 * <h2>The engine</h2>
 * One engine object per computation holds the state, all guarded by one lock: for each task,
 * how many dependencies are unfinished ({@code waiting}), how many pending tasks still need its
 * result ({@code holders}, plus one for an output), and the result itself while it is needed.
 * Ready tasks wait in a heap ordered by the plan's static priority. A worker takes the lowest,
 * runs it without the lock, then records the result, releases what is no longer needed, and
 * makes dependents ready. The calling thread is always one of the workers; pool threads join
 * while there is more ready work than hands. So a computation progresses even when the pool is
 * busy with other calls, a task may call {@code compute()} itself, and with one worker the
 * engine is the synchronous scheduler.
 *
 * <h2>Failure and cancellation</h2>
 * The first failing task stops the computation: the ready heap is emptied, nothing new starts,
 * and once the running tasks have ended the caller gets a
 * {@link dev.tessera.graph.TaskFailedException} naming the key, with the task's exception as
 * its cause. An interrupt of the calling thread does the same with a
 * {@link dev.tessera.graph.ComputeCancelledException}, and also interrupts the running pool
 * tasks. Per-run state dies with the run, so the next call starts clean.
 */
package dev.tessera.schedulers;
