/**
 * Tessera's core: keys, tasks, immutable task graphs, graph passes, the scheduler SPI, and
 * {@link dev.tessera.graph.Delayed}.
 *
 * <h2>The graph is plain data</h2>
 * A {@link dev.tessera.graph.TaskGraph} maps each {@link dev.tessera.graph.Key} (a name plus a
 * block index) to a {@link dev.tessera.graph.Task} (a serializable function plus arguments,
 * where a key argument stands for that key's result). Graphs are immutable and persistent: an
 * operation makes a new {@link dev.tessera.graph.Layer} on top of the graphs it reads, without
 * copying them, so building a chain of n operations costs O(n). Names are deterministic
 * ({@link dev.tessera.graph.Tokens}): equal work gets equal keys, in every JVM, and runs once.
 *
 * <h2>From graph to run</h2>
 * {@link dev.tessera.graph.Tessera#compute} merges the collections' graphs, lets each
 * collection {@link dev.tessera.graph.Lazy#optimize optimize} its part, and turns the result
 * into an {@link dev.tessera.graph.ExecutionPlan}: culled to the outputs, validated (a missing
 * key or a cycle is an error that names it), indexed and statically ordered so that one
 * branch finishes before the next starts. A {@link dev.tessera.graph.Scheduler} runs the plan
 * and reports to {@link dev.tessera.graph.spi.SchedulerCallback}s, which see only immutable
 * snapshots; the scheduler SPI is in {@link dev.tessera.graph.spi}. Nothing here knows about threads, processes, arrays or tables: those live in the
 * modules that build on this one.
 *
 * <h2>Passes</h2>
 * {@link dev.tessera.graph.Graphs} holds pure functions from graph to graph: cull, fuse
 * (linear chains become one task), inline (constants or any cheap task into its users) and
 * order. They keep layers, so an optimized graph still renders one node per operation.
 */
package dev.tessera.graph;
