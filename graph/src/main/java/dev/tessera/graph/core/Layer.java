package dev.tessera.graph.core;

import com.google.common.collect.ImmutableMap;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * The tasks one collection operation added to a graph, like a layer of Dask's
 * HighLevelGraph: kept so that graphs can be rendered one node per operation and so that
 * collections can optimize whole operations.
 *
 * <p>Immutable. The layer's name is unique in a graph (it is the operation's deterministic
 * {@code prefix-token} name); {@link #operation()} is the short label shown to users.
 */
public final class Layer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String operation;
  private final ImmutableMap<Key, Task> tasks;
  private final ImmutableMap<String, String> info;

  private Layer(String name, String operation, ImmutableMap<Key, Task> tasks,
      ImmutableMap<String, String> info) {
    this.name = Objects.requireNonNull(name, "name");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.tasks = tasks;
    this.info = info;
  }

  /**
   * Returns a layer.
   *
   * @param name the unique name, usually {@code prefix-token}
   * @param operation the label shown to users, such as {@code "sum"}
   * @param tasks the layer's tasks; copied, iteration order kept
   * @return the layer
   */
  public static Layer of(String name, String operation, Map<Key, Task> tasks) {
    return new Layer(name, operation, ImmutableMap.copyOf(tasks), ImmutableMap.of());
  }

  /**
   * Returns this layer described for people: what the collection it made looks like, shown in
   * the layer view of a graph picture, like Dask's collection annotations.
   *
   * @param info ordered entries, such as {@code shape -> (4000, 4000)}, {@code dtype ->
   *     float64}; copied
   * @return the described layer (same name, operation and tasks)
   */
  public Layer withInfo(Map<String, String> info) {
    return new Layer(name, operation, tasks, ImmutableMap.copyOf(info));
  }

  /**
   * {@return the same layer with other tasks, keeping its name, operation and info}
   *
   * @param newTasks the tasks; copied, iteration order kept
   */
  public Layer withTasks(Map<Key, Task> newTasks) {
    return new Layer(name, operation, ImmutableMap.copyOf(newTasks), info);
  }

  /** {@return the description given with {@link #withInfo}, in order; empty if none} */
  public Map<String, String> info() {
    return info;
  }

  /**
   * Returns a layer whose operation label is the name's prefix.
   *
   * @param name the unique name, usually {@code prefix-token}
   * @param tasks the layer's tasks
   * @return the layer
   */
  public static Layer of(String name, Map<Key, Task> tasks) {
    return of(name, Key.prefixOf(name), tasks);
  }

  /** {@return the unique name} */
  public String name() {
    return name;
  }

  /** {@return the operation label, such as {@code "sum"}} */
  public String operation() {
    return operation;
  }

  /** {@return the tasks, in the order they were given; immutable} */
  public Map<Key, Task> tasks() {
    return tasks;
  }

  @Override
  public String toString() {
    return "Layer(" + name + ", " + tasks.size() + " tasks)";
  }
}
