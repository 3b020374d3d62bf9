/**
 * What users of Tessera call: {@link dev.tessera.graph.Tessera} (compute, persist, the default
 * scheduler), {@link dev.tessera.graph.Delayed} (lazy calls of plain Java functions), the
 * collection interface {@link dev.tessera.graph.Lazy} that arrays, frames and bags implement, the
 * function types {@link dev.tessera.graph.Fn1}, {@link dev.tessera.graph.Fn2},
 * {@link dev.tessera.graph.Fn3} and {@link dev.tessera.graph.FnN}, the
 * {@link dev.tessera.graph.Scheduler} a computation runs on, and the errors a computation
 * throws ({@link dev.tessera.graph.TaskFailedException} names the task that failed).
 *
 * <p>The packages by audience:
 * <ul>
 *   <li>{@code dev.tessera.graph} (this one): users;</li>
 *   <li>{@link dev.tessera.graph.core}: collection authors (keys, tasks, task graphs, graph
 *       passes, plans, tree reductions);</li>
 *   <li>{@link dev.tessera.graph.spi}: scheduler authors (execution, callbacks, codecs, engines,
 *       scheduler providers).</li>
 * </ul>
 * Nothing here knows about threads, processes, arrays or tables: those live in the modules that
 * build on this one.
 */
package dev.tessera.graph;
