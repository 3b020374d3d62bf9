package dev.tessera.graph;

import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.GraphDrawer;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskGraph;
import java.util.List;
import java.util.Objects;

/**
 * The protocol every lazy collection implements (delayed values, arrays, frames, bags): a task
 * graph, the keys of its results, and how to assemble those results into the value
 * {@link #compute()} returns. Like Dask's collection protocol.
 *
 * <p>Implementations are immutable; {@link #compute()} and {@link #persist()} hand the graph
 * to a {@link Scheduler} (the one in scope, see {@link Tessera#scheduler()}).
 *
 * <pre>{@code
 * Delayed<Integer> x = Delayed.call(Demo::inc, Delayed.value(1));
 * int two = x.compute();
 * }</pre>
 *
 * @param <R> the type of the computed value
 */
public interface Lazy<R> {
  /**
   * Returns the lazy value of some keys of a graph, assembled by {@code assembler}: the one
   * small collection that arrays, frames and bags use for results that are not themselves
   * one of them (a few partitions, the outputs of side-effecting tasks). Its
   * {@link #optimize} leaves the graph as it is.
   *
   * <pre>{@code
   * Lazy<List<Object>> written = Lazy.of(graph, keys, values -> values);
   * }</pre>
   *
   * @param graph a graph with a task for each key
   * @param keys the keys, in the order {@code assembler} wants their results
   * @param assembler turns the results into the value; serializable
   * @param <R> the value's type
   * @return the lazy value
   */
  static <R> Lazy<R> of(TaskGraph graph, List<Key> keys, Fn1<List<Object>, R> assembler) {
    return new KeyedLazy<>(java.util.Objects.requireNonNull(graph, "graph"), List.copyOf(keys),
        java.util.Objects.requireNonNull(assembler, "assembler"));
  }

  /** {@return the task graph that produces this collection's results} */
  TaskGraph graph();

  /** {@return the keys of this collection's results, in the order {@link #assembler()} wants} */
  List<Key> outputKeys();

  /**
   * {@return the function that turns the results of {@link #outputKeys()}, in order, into the
   * computed value} Serializable, because a collection used as an argument of a delayed call
   * is assembled inside a task.
   */
  Fn1<List<Object>, R> assembler();

  /**
   * Returns the same collection on another graph that produces the same keys; used by
   * {@link #persist()}.
   *
   * @param graph a graph with a task for each of {@link #outputKeys()}
   * @return the collection
   */
  Lazy<R> withGraph(TaskGraph graph);

  /**
   * Returns the graph to run, optimized for this kind of collection. The default returns the
   * graph unchanged (every scheduler culls what the outputs do not need).
   *
   * @param graph the (possibly merged) graph
   * @param keys the keys that must stay addressable
   * @return the graph to run
   */
  default TaskGraph optimize(TaskGraph graph, List<Key> keys) {
    Objects.requireNonNull(graph, "graph");
    Checks.noNulls(keys, "keys");
    return graph;
  }

  /**
   * Computes the value on the scheduler in scope.
   *
   * @return the value
   * @throws TaskFailedException if a task fails
   * @throws ComputeCancelledException if the calling thread is interrupted
   */
  default R compute() {
    return compute(Tessera.scheduler());
  }

  /**
   * Computes the value on {@code scheduler}.
   *
   * @param scheduler the scheduler
   * @return the value
   */
  @SuppressWarnings("unchecked")
  default R compute(Scheduler scheduler) {
    return (R) Tessera.compute(List.of(this), scheduler).get(0);
  }

  /**
   * Computes the results and returns the same collection whose graph holds them, so that
   * later computations start from there.
   *
   * @return the persisted collection
   */
  default Lazy<R> persist() {
    return persist(Tessera.scheduler());
  }

  /**
   * Like {@link #persist()}, on {@code scheduler}.
   *
   * @param scheduler the scheduler
   * @return the persisted collection
   */
  default Lazy<R> persist(Scheduler scheduler) {
    return Tessera.persist(List.of(this), scheduler).get(0);
  }

  /**
   * Draws this collection's task graph into {@code file}, like Dask's {@code x.visualize()}:
   * {@code .svg}, {@code .png} or {@code .dot}, one node per task or, for big graphs, per
   * layer. Needs the {@code tessera-diagnostics} module on the class path.
   *
   * @param file where to write; the format follows the extension
   * @return {@code file}
   * @throws IllegalStateException if the diagnostics module is not on the class path
   */
  default java.nio.file.Path visualize(java.nio.file.Path file) {
    return GraphDrawer.find().draw(this, java.util.Objects.requireNonNull(file, "file"), null);
  }

  /**
   * Draws this collection's task graph into {@code file} with {@code options} (the
   * diagnostics module's {@code GraphOptions}).
   *
   * @param file where to write; the format follows the extension
   * @param options how to draw
   * @return {@code file}
   * @throws IllegalStateException if the diagnostics module is not on the class path
   */
  default java.nio.file.Path visualize(java.nio.file.Path file, GraphDrawer.Options options) {
    java.util.Objects.requireNonNull(file, "file");
    return GraphDrawer.find().draw(this, file, java.util.Objects.requireNonNull(options,
        "options"));
  }
}
