package dev.tessera.graph.core;

import com.google.common.collect.ImmutableList;
import dev.tessera.graph.GraphException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable task graph: a map from {@link Key} to {@link Task}, organised in
 * {@link Layer}s, one per collection operation.
 *
 * <p>A graph is persistent: {@link #of(Layer, TaskGraph...)} makes a new graph from a new layer
 * and the graphs it builds on without copying them, so building a chain of n operations costs
 * O(n), not O(n²). The flat views ({@link #tasks()}, {@link #layers()}) are computed once, on
 * first use, and cached. When two layers share a name, they are taken to be the same
 * operation and the first one met is kept.
 *
 * <p>Graphs may be invalid (a missing dependency, a cycle); {@link ExecutionPlan#of} and
 * {@link Graphs#validate} say exactly what is wrong.
 *
 * <pre>{@code
 * TaskGraph g = TaskGraph.of(Layer.of("x-0a1b2c3d", Map.of(Key.of("x-0a1b2c3d"), Task.constant(1))));
 * }</pre>
 */
public final class TaskGraph implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final TaskGraph EMPTY = new TaskGraph(ImmutableList.of(), ImmutableList.of());

  private final ImmutableList<Layer> own;
  private final ImmutableList<TaskGraph> parents;
  // A graph made by a pass is its index plus the graph whose layers name its tasks; its flat
  // view is built only when asked for (rendering, persisting, serializing), never to run it.
  private final transient GraphIndex indexed;
  private final transient TaskGraph layersFrom;
  private transient volatile Flat flat;
  private transient volatile GraphIndex index;

  private TaskGraph(ImmutableList<Layer> own, ImmutableList<TaskGraph> parents) {
    this.own = own;
    this.parents = parents;
    this.indexed = null;
    this.layersFrom = null;
  }

  private TaskGraph(GraphIndex indexed, TaskGraph layersFrom) {
    this.own = ImmutableList.of();
    this.parents = ImmutableList.of();
    this.indexed = indexed;
    this.layersFrom = layersFrom;
    this.index = indexed;
  }

  /** Returns the graph of {@code idx}, its tasks in the layers that held their keys in {@code from}. */
  static TaskGraph of(GraphIndex idx, TaskGraph from) {
    return new TaskGraph(idx, from.layersFrom != null ? from.layersFrom : from);
  }

  /** Keeps {@code idx}, an index of every task of this graph, for {@link #index()}. */
  void remember(GraphIndex idx) {
    if (index == null) {
      index = idx;
    }
  }

  /** Returns the index of this graph if it is already known, else null. */
  GraphIndex knownIndex() {
    return index;
  }

  /** {@return the graph with no tasks} */
  public static TaskGraph empty() {
    return EMPTY;
  }

  /**
   * Returns the graph made of {@code layer} on top of {@code dependencies}.
   *
   * @param layer the new layer
   * @param dependencies the graphs that the layer's tasks build on
   * @return the graph
   */
  public static TaskGraph of(Layer layer, TaskGraph... dependencies) {
    return new TaskGraph(ImmutableList.of(layer), nonEmpty(List.of(dependencies)));
  }

  /**
   * Returns the graph made of {@code layer} on top of {@code dependencies}.
   *
   * @param layer the new layer
   * @param dependencies the graphs that the layer's tasks build on
   * @return the graph
   */
  public static TaskGraph of(Layer layer, Iterable<TaskGraph> dependencies) {
    return new TaskGraph(ImmutableList.of(layer), nonEmpty(dependencies));
  }

  /**
   * Returns the union of several graphs.
   *
   * @param graphs the graphs
   * @return their union; the graph itself when there is only one
   */
  public static TaskGraph merge(Iterable<TaskGraph> graphs) {
    ImmutableList<TaskGraph> list = nonEmpty(graphs);
    if (list.isEmpty()) {
      return EMPTY;
    }
    return list.size() == 1 ? list.get(0) : new TaskGraph(ImmutableList.of(), list);
  }

  /**
   * Returns the union of several graphs.
   *
   * @param graphs the graphs
   * @return their union
   */
  public static TaskGraph merge(TaskGraph... graphs) {
    return merge(List.of(graphs));
  }

  /**
   * Returns a graph of plain tasks, one layer per key name, like a Dask low-level graph.
   *
   * @param tasks the tasks
   * @return the graph
   */
  public static TaskGraph fromTasks(Map<Key, Task> tasks) {
    Map<String, Map<Key, Task>> byName = new LinkedHashMap<>();
    tasks.forEach((k, t) -> byName.computeIfAbsent(k.name(), n -> new LinkedHashMap<>()).put(k, t));
    ImmutableList.Builder<Layer> layers = ImmutableList.builder();
    byName.forEach((n, ts) -> layers.add(Layer.of(n, ts)));
    return new TaskGraph(layers.build(), ImmutableList.of());
  }

  private static ImmutableList<TaskGraph> nonEmpty(Iterable<TaskGraph> graphs) {
    ImmutableList.Builder<TaskGraph> b = ImmutableList.builder();
    Set<TaskGraph> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (TaskGraph g : graphs) {
      if (g != EMPTY && seen.add(g)) {
        b.add(g);
      }
    }
    return b.build();
  }

  /** {@return every task, by key; an immutable snapshot, computed once} */
  public Map<Key, Task> tasks() {
    return flat().tasks;
  }

  /** {@return the number of tasks} */
  public int size() {
    return indexed != null ? indexed.size() : flat().tasks.size();
  }

  /**
   * Returns the index of every task of this graph: positions, dependencies, dependents and a
   * topological order. Computed on first use, which validates the graph, and cached; a graph
   * made by a {@link Graphs} pass already carries it.
   *
   * @return the index
   * @throws GraphException if a dependency is missing or there is a cycle
   */
  public GraphIndex index() {
    GraphIndex i = index;
    if (i == null) {
      Map<Key, Task> all = tasks();
      i = GraphIndex.cull(all, new ArrayList<>(all.keySet()));
      index = i;
    }
    return i;
  }

  /**
   * Returns this graph with some tasks replaced: each replacement stays in the layer (and
   * under the label) of the task it replaces, and the index is carried over rather than
   * rebuilt. Graph passes use it to rewrite tasks without losing what users see.
   *
   * <pre>{@code
   * TaskGraph g2 = g.replace(Map.of(key, Task.of(fn, key2)));
   * }</pre>
   *
   * @param replacements new tasks, by key; every key must be in this graph
   * @return the new graph (this graph when there is nothing to replace)
   * @throws IllegalArgumentException if a key is not in the graph
   * @throws GraphException if a new task needs a missing key or makes a cycle
   */
  public TaskGraph replace(Map<Key, Task> replacements) {
    if (replacements.isEmpty()) {
      return this;
    }
    GraphIndex idx = index();
    Task[] tasks = idx.tasks().clone();
    boolean[] keep = new boolean[tasks.length];
    java.util.Arrays.fill(keep, true);
    replacements.forEach((k, t) -> {
      int p = idx.position(k);
      if (p < 0) {
        throw new IllegalArgumentException("replace: key " + k + " is not in this graph of "
            + size() + " tasks; only existing tasks can be replaced");
      }
      tasks[p] = java.util.Objects.requireNonNull(t, "task");
    });
    return of(idx.derive(keep, tasks), this);
  }

  /**
   * Returns this graph with the task at position {@code i} of its {@link #index()} replaced by
   * {@code byPosition[i]} wherever that is not null; like {@link #replace(Map)}, without a hash
   * lookup per task, for passes that walk the index anyway.
   *
   * <pre>{@code
   * Task[] changed = new Task[g.index().size()];
   * changed[0] = Task.of(fn, g.index().task(0).args().toArray());
   * TaskGraph g2 = g.replace(changed);
   * }</pre>
   *
   * @param byPosition one entry per position of the index, null to keep that task
   * @return the new graph (this graph when every entry is null)
   * @throws IllegalArgumentException if the array's length is not the index's size
   * @throws GraphException if a new task needs a missing key or makes a cycle
   */
  public TaskGraph replace(Task[] byPosition) {
    java.util.Objects.requireNonNull(byPosition, "byPosition");
    GraphIndex idx = index();
    if (byPosition.length != idx.size()) {
      throw new IllegalArgumentException("replace: " + byPosition.length + " entries for a graph"
          + " of " + idx.size() + " tasks; pass one entry per position of index()");
    }
    Task[] tasks = null;
    for (int i = 0; i < byPosition.length; i++) {
      if (byPosition[i] != null) {
        if (tasks == null) {
          tasks = idx.tasks().clone();
        }
        tasks[i] = byPosition[i];
      }
    }
    if (tasks == null) {
      return this;
    }
    boolean[] keep = new boolean[tasks.length];
    java.util.Arrays.fill(keep, true);
    return of(idx.derive(keep, tasks), this);
  }

  /**
   * Returns whether the graph has a task for {@code key}.
   *
   * @param key the key
   * @return whether it is in the graph
   */
  public boolean contains(Key key) {
    return indexed != null ? indexed.position(key) >= 0 : flat().tasks.containsKey(key);
  }

  /**
   * Returns the task for {@code key}.
   *
   * @param key the key
   * @return the task
   * @throws IllegalArgumentException if the key is not in the graph
   */
  public Task get(Key key) {
    int p = indexed != null ? indexed.position(key) : -1;
    Task t = indexed != null ? (p < 0 ? null : indexed.task(p)) : flat().tasks.get(key);
    if (t == null) {
      throw new IllegalArgumentException("key " + key + " is not in this graph of " + size()
          + " tasks");
    }
    return t;
  }

  /**
   * {@return the layers, dependencies before the layers that use them (except in a cyclic
   * graph); an immutable list}
   */
  public List<Layer> layers() {
    return flat().layers;
  }

  /**
   * {@return for each layer name, the names of the layers its tasks depend on (computed from
   * the tasks themselves); an immutable snapshot}
   */
  public Map<String, Set<String>> layerDependencies() {
    Flat f = flat();
    Map<Key, String> owner = new HashMap<>(f.tasks.size() * 2);
    for (Layer l : f.layers) {
      for (Key k : l.tasks().keySet()) {
        owner.putIfAbsent(k, l.name());
      }
    }
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (Layer l : f.layers) {
      Set<String> deps = new TreeSet<>();
      for (Task t : l.tasks().values()) {
        for (int i = 0; i < t.dependencyCount(); i++) {
          String o = owner.get(t.dependency(i));
          if (o != null && !o.equals(l.name())) {
            deps.add(o);
          }
        }
      }
      out.put(l.name(), Collections.unmodifiableSet(deps));
    }
    return Collections.unmodifiableMap(out);
  }

  private Flat flat() {
    Flat f = flat;
    if (f == null) {
      f = indexed != null ? fromIndex() : flatten();
      flat = f;
    }
    return f;
  }

  /**
   * The layers of an indexed graph: each layer of the graph it came from, unchanged when it
   * still has exactly its tasks, else with the tasks that survive (a key held by two layers
   * stays in the first, as in {@link #flatten()}).
   */
  private Flat fromIndex() {
    GraphIndex idx = indexed;
    boolean[] claimed = new boolean[idx.size()];
    List<Layer> layers = new ArrayList<>();
    Map<Key, Task> tasks = new HashMap<>(idx.size() * 2);
    for (Layer l : layersFrom.layers()) {
      Map<Key, Task> kept = new LinkedHashMap<>();
      boolean same = true;
      for (Map.Entry<Key, Task> e : l.tasks().entrySet()) {
        int p = idx.position(e.getKey());
        if (p < 0 || claimed[p]) {
          same = false;
          continue;
        }
        claimed[p] = true;
        Task t = idx.task(p);
        same &= t == e.getValue();
        kept.put(e.getKey(), t);
        tasks.put(e.getKey(), t);
      }
      if (same) {
        layers.add(l);
      } else if (!kept.isEmpty()) {
        layers.add(l.withTasks(kept));   // keeps name, label and info
      }
    }
    return new Flat(List.copyOf(layers), Collections.unmodifiableMap(tasks));
  }

  /** Walks the graph nodes (iteratively: chains may be very deep), parents first. */
  private Flat flatten() {
    List<Layer> layers = new ArrayList<>();
    Set<String> layerNames = new java.util.HashSet<>();
    Map<Key, Task> tasks = new HashMap<>();
    Set<TaskGraph> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<TaskGraph> stack = new ArrayDeque<>();
    ArrayDeque<Integer> cursor = new ArrayDeque<>();
    stack.push(this);
    cursor.push(0);
    visited.add(this);
    while (!stack.isEmpty()) {
      TaskGraph g = stack.peek();
      int i = cursor.pop();
      if (i < g.parents.size()) {
        cursor.push(i + 1);
        TaskGraph p = g.parents.get(i);
        if (visited.add(p)) {
          if (p.flat != null || p.indexed != null) {
            addAll(p.flat().layers, layers, layerNames, tasks);
          } else {
            stack.push(p);
            cursor.push(0);
          }
        }
      } else {
        stack.pop();
        addAll(g.own, layers, layerNames, tasks);
      }
    }
    return new Flat(List.copyOf(layers), Collections.unmodifiableMap(tasks));
  }

  private static void addAll(List<Layer> from, List<Layer> layers, Set<String> names,
      Map<Key, Task> tasks) {
    for (Layer l : from) {
      if (names.add(l.name())) {
        layers.add(l);
        l.tasks().forEach(tasks::putIfAbsent);
      }
    }
  }

  /** The flat, cached view. */
  private static final class Flat {
    final List<Layer> layers;
    final Map<Key, Task> tasks;

    Flat(List<Layer> layers, Map<Key, Task> tasks) {
      this.layers = layers;
      this.tasks = tasks;
    }
  }

  // Java serialization would recurse once per graph node (a chain of 100,000 operations
  // overflows the stack), so a graph travels as its flat list of layers.
  private Object writeReplace() {
    return new Proxy(new ArrayList<>(layers()));
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a TaskGraph is read through its proxy");
  }

  private static final class Proxy implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ArrayList<Layer> layers;

    Proxy(ArrayList<Layer> layers) {
      this.layers = layers;
    }

    private Object readResolve() {
      return new TaskGraph(ImmutableList.copyOf(layers), ImmutableList.of());
    }
  }

  @Override
  public String toString() {
    return "TaskGraph(" + size() + " tasks in " + layers().size() + " layers)";
  }
}
