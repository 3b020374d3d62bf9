/**
 * The task-graph core, for collection authors: keys, tasks, immutable task graphs, graph passes
 * and plans. Users of arrays, frames, bags and {@link dev.tessera.graph.Delayed} never need it;
 * what they call is in {@link dev.tessera.graph}, and what scheduler authors implement is in
 * {@link dev.tessera.graph.spi}.
 *
 * <h2>The graph is plain data</h2>
 * A {@link dev.tessera.graph.core.TaskGraph} maps each {@link dev.tessera.graph.core.Key} (a
 * name plus a block index) to a {@link dev.tessera.graph.core.Task} (a serializable function plus
 * arguments, where a key argument stands for that key's result). Graphs are immutable and
 * persistent: an operation makes a new {@link dev.tessera.graph.core.Layer} on top of the graphs
 * it reads, without copying them, so building a chain of n operations costs O(n). Names are
 * deterministic ({@link dev.tessera.graph.core.Tokens}): equal work gets equal keys, in every
 * JVM, and runs once.
 *
 * <h2>From graph to run</h2>
 * {@link dev.tessera.graph.Tessera#compute} merges the collections' graphs, lets each collection
 * {@link dev.tessera.graph.Lazy#optimize optimize} its part, and turns the result into an
 * {@link dev.tessera.graph.core.ExecutionPlan}: culled to the outputs, validated (a missing key
 * or a cycle is an error that names it), indexed and statically ordered so that one branch
 * finishes before the next starts. A {@link dev.tessera.graph.Scheduler} runs the plan.
 * Nothing here knows about threads, processes, arrays or tables: those live in the modules that
 * build on this one.
 *
 * <h2>Passes</h2>
 * {@link dev.tessera.graph.core.Graphs} holds pure functions from graph to graph: cull, fuse
 * (linear chains become one task), inline (constants or any cheap task into its users) and
 * order. They keep layers, so an optimized graph still renders one node per operation. The graph
 * is hashed once: culling builds a {@link dev.tessera.graph.core.GraphIndex}, each pass derives
 * the index of its result from the index of its input by position (as Dask's {@code cull} hands
 * its dependencies to {@code fuse}), and the plan only orders what runs.
 *
 * <h2>Collection building blocks</h2>
 * {@link dev.tessera.graph.Lazy#of} (keys of a graph and an assembler),
 * {@link dev.tessera.graph.Delayed#fromKey} (an existing task's value),
 * {@link dev.tessera.graph.core.TreeReduction} (chunk / combine / aggregate, and the naming
 * scheme of every reduction) and {@link dev.tessera.graph.core.Functions} (task functions made
 * from user functions) are what arrays, frames and bags share.
 */
package dev.tessera.graph.core;
