package dev.tessera.graph.core;

import dev.tessera.graph.GraphException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Pure graph passes: each takes a graph and returns a new one (or a fact about it), never
 * changing its input. Layers are kept: a task that survives a pass stays in its layer, under
 * its label. Each pass reads its input's {@link TaskGraph#index() index} and returns a graph
 * that carries the index of its result, derived by position, so a chain of passes hashes the
 * keys once (in the first {@link #cull}) and {@link ExecutionPlan#of} then only orders.
 *
 * <pre>{@code
 * TaskGraph small = Graphs.fuse(Graphs.cull(graph, keys), keys);
 * }</pre>
 */
public final class Graphs {
  private Graphs() {}

  /**
   * Checks the whole graph: every dependency present and no cycle. The index this builds is
   * kept with the graph ({@link TaskGraph#index()}).
   *
   * @param graph the graph
   * @throws GraphException naming the missing key and who needs it, or the cycle as a path
   */
  public static void validate(TaskGraph graph) {
    graph.index();
  }

  /**
   * Returns the part of {@code graph} that {@code outputs} need, carrying its index: the later
   * passes and {@link ExecutionPlan#of} start from that index instead of hashing every key
   * again, and culling an already culled graph costs one walk over integer arrays.
   *
   * @param graph the graph
   * @param outputs the keys to keep, with everything they depend on
   * @return the culled graph
   * @throws GraphException if an output or a dependency is missing, or there is a cycle
   */
  public static TaskGraph cull(TaskGraph graph, Collection<Key> outputs) {
    GraphIndex idx = culled(graph, List.copyOf(outputs));
    if (idx == graph.knownIndex()) {
      return graph;
    }
    if (idx.size() == graph.size()) {
      graph.remember(idx);   // nothing culled: the index is the whole graph's
      return graph;
    }
    return TaskGraph.of(idx, graph);
  }

  /** The index of what {@code outputs} need: by position when the graph's index is known. */
  static GraphIndex culled(TaskGraph graph, List<Key> outputs) {
    GraphIndex idx = graph.knownIndex();
    if (idx == null) {
      return GraphIndex.cull(graph.tasks(), outputs);
    }
    int[] pos = new int[outputs.size()];
    for (int j = 0; j < pos.length; j++) {
      pos[j] = idx.position(outputs.get(j));
      if (pos[j] < 0) {
        throw new GraphException("requested key " + outputs.get(j) + " is not in the graph ("
            + idx.size() + " tasks); compute the collection that produces it, or merge its"
            + " graph into this one");
      }
    }
    return idx.cull(pos);
  }

  /**
   * Returns the static priorities of {@link ExecutionPlan} for the tasks {@code outputs} need:
   * lower runs first, and running in that order finishes one branch before the next.
   *
   * @param graph the graph
   * @param outputs the keys wanted
   * @return a priority per needed key, 0 to n-1
   */
  public static Map<Key, Integer> order(TaskGraph graph, List<Key> outputs) {
    ExecutionPlan plan = ExecutionPlan.of(graph, outputs);
    Map<Key, Integer> out = new HashMap<>(plan.size() * 2);
    for (int i = 0; i < plan.size(); i++) {
      out.put(plan.key(i), plan.priority(i));
    }
    return out;
  }

  /**
   * Returns the keys {@code outputs} need, in an order where every task comes after its
   * dependencies (the priority order).
   *
   * @param graph the graph
   * @param outputs the keys wanted
   * @return the keys in topological order
   */
  public static List<Key> toposort(TaskGraph graph, List<Key> outputs) {
    ExecutionPlan plan = ExecutionPlan.of(graph, outputs);
    List<Key> out = new ArrayList<>(plan.size());
    for (int i : plan.executionOrder()) {
      out.add(plan.key(i));
    }
    return out;
  }

  /**
   * Fuses linear chains into single tasks: where a task's only dependency has no other
   * dependent, the two become one task under the later key. Fewer tasks means less scheduling
   * overhead, and the chain's intermediate results never reach the scheduler.
   *
   * @param graph the graph
   * @param keep keys that must stay addressable (the outputs); they end chains
   * @return the fused graph, with the same output keys and values
   */
  public static TaskGraph fuse(TaskGraph graph, Collection<Key> keep) {
    GraphIndex plan = whole(graph, keep);
    int n = plan.size();
    boolean[] kept = keptPositions(plan, keep);
    boolean[] absorbsDep = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      if (plan.dependencyCount(i) == 1) {
        int d = plan.dependency(i, 0);
        if (plan.dependentCount(d) == 1 && !kept[d]) {
          absorbsDep[i] = true;
          any = true;
        }
      }
    }
    if (!any) {
      return graph;
    }
    boolean[] survives = new boolean[n];
    Task[] tasks = new Task[n];
    int[] edgesOf = new int[n];   // a fused chain needs what its first task needed
    java.util.Arrays.fill(edgesOf, -1);
    for (int i = 0; i < n; i++) {
      boolean absorbed = plan.dependentCount(i) == 1 && absorbsDep[plan.dependent(i, 0)];
      survives[i] = !absorbed;
      if (absorbed) {
        continue;
      }
      if (!absorbsDep[i]) {
        tasks[i] = plan.task(i);
        continue;
      }
      int m = 1;
      for (int cur = i; absorbsDep[cur]; cur = plan.dependency(cur, 0)) {
        m++;
      }
      Key[] keys = new Key[m];
      Task[] inner = new Task[m];
      int cur = i;
      for (int j = m - 1; j >= 0; j--) {   // the chain from its last task back to its first
        keys[j] = plan.key(cur);
        inner[j] = plan.task(cur);
        if (j > 0) {
          cur = plan.dependency(cur, 0);
        }
      }
      edgesOf[i] = cur;
      tasks[i] = Subgraph.task(keys, inner);
    }
    return TaskGraph.of(plan.derive(survives, tasks, edgesOf), graph);
  }

  /**
   * Inlines constant tasks into the tasks that use them: the value becomes a literal argument
   * and the constant's key disappears.
   *
   * @param graph the graph
   * @param keep keys that must stay addressable
   * @return the new graph
   */
  public static TaskGraph inline(TaskGraph graph, Collection<Key> keep) {
    return inline(graph, keep, Task::isConstant);
  }

  /**
   * Inlines the tasks that {@code cheap} selects into every task that uses them: each user
   * recomputes the inlined task itself instead of waiting for a shared result. Use it for
   * tasks cheaper to recompute than to keep (random generators, constants, small getters) so
   * that large results need not stay alive between their users.
   *
   * @param graph the graph
   * @param keep keys that must stay addressable; never inlined
   * @param cheap which tasks to inline
   * @return the new graph
   */
  public static TaskGraph inline(TaskGraph graph, Collection<Key> keep, Predicate<Task> cheap) {
    GraphIndex plan = whole(graph, keep);
    int n = plan.size();
    boolean[] kept = keptPositions(plan, keep);
    boolean[] inlined = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      inlined[i] = plan.dependentCount(i) > 0 && !kept[i] && cheap.test(plan.task(i));
      any |= inlined[i];
    }
    if (!any) {
      return graph;
    }
    // Rewritten tasks, filled in topological order so that an inlined task already carries
    // whatever was inlined into it.
    Task[] current = new Task[n];
    for (int r = 0; r < n; r++) {
      int i = plan.topological(r);
      Task t = plan.task(i);
      Map<Key, Object> literals = new HashMap<>();
      List<Integer> embedded = new ArrayList<>();
      for (int j = 0; j < plan.dependencyCount(i); j++) {
        int d = plan.dependency(i, j);
        if (inlined[d]) {
          if (current[d].isConstant()) {
            literals.put(plan.key(d), current[d].rawArgs()[0]);
          } else {
            embedded.add(d);
          }
        }
      }
      if (!literals.isEmpty()) {
        t = replaceKeys(t, literals);
      }
      if (!embedded.isEmpty()) {
        Key[] keys = new Key[embedded.size() + 1];
        Task[] tasks = new Task[keys.length];
        for (int j = 0; j < embedded.size(); j++) {
          keys[j] = plan.key(embedded.get(j));
          tasks[j] = current[embedded.get(j)];
        }
        keys[keys.length - 1] = plan.key(i);
        tasks[keys.length - 1] = t;
        t = Subgraph.task(keys, tasks);
      }
      current[i] = t;
    }
    boolean[] survives = new boolean[n];
    for (int i = 0; i < n; i++) {
      survives[i] = !inlined[i];
    }
    return TaskGraph.of(plan.derive(survives, current), graph);
  }

  /** Returns {@code t} with the given keys replaced by literal (already quoted) values. */
  private static Task replaceKeys(Task t, Map<Key, Object> values) {
    Object[] args = t.rawArgs().clone();
    for (int i = 0; i < args.length; i++) {
      args[i] = replace(args[i], values);
    }
    return t.withArgs(args);
  }

  private static Object replace(Object arg, Map<Key, Object> values) {
    if (arg instanceof Key k && values.containsKey(k)) {
      return values.get(k);
    }
    if (arg instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(replace(o, values));
      }
      return out;
    }
    return arg;
  }

  /** The index of the whole graph; the kept keys must be in it. */
  private static GraphIndex whole(TaskGraph graph, Collection<Key> keep) {
    GraphIndex idx = graph.index();
    for (Key k : keep) {
      if (idx.position(k) < 0) {
        throw new GraphException("requested key " + k + " is not in the graph (" + idx.size()
            + " tasks); compute the collection that produces it, or merge its graph into this"
            + " one");
      }
    }
    return idx;
  }

  private static boolean[] keptPositions(GraphIndex idx, Collection<Key> keep) {
    boolean[] kept = new boolean[idx.size()];
    for (Key k : keep) {
      kept[idx.position(k)] = true;
    }
    return kept;
  }
}
