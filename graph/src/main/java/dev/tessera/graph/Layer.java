package dev.tessera.graph;

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

  private Layer(String name, String operation, ImmutableMap<Key, Task> tasks) {
    this.name = Objects.requireNonNull(name, "name");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.tasks = tasks;
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
    return new Layer(name, operation, ImmutableMap.copyOf(tasks));
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
