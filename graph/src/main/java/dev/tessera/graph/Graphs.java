package dev.tessera.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Pure graph passes: each takes a graph and returns a new one (or a fact about it), never
 * changing its input. Layers are kept: a task that survives a pass stays in its layer.
 *
 * <pre>{@code
 * TaskGraph small = Graphs.fuse(Graphs.cull(graph, keys), keys);
 * }</pre>
 */
public final class Graphs {
  private Graphs() {}

  /**
   * Checks the whole graph: every dependency present and no cycle.
   *
   * @param graph the graph
   * @throws GraphException naming the missing key and who needs it, or the cycle as a path
   */
  public static void validate(TaskGraph graph) {
    ExecutionPlan.of(graph, new ArrayList<>(graph.tasks().keySet()));
  }

  /**
   * Returns the part of {@code graph} that {@code outputs} need.
   *
   * @param graph the graph
   * @param outputs the keys to keep, with everything they depend on
   * @return the culled graph
   * @throws GraphException if an output or a dependency is missing, or there is a cycle
   */
  public static TaskGraph cull(TaskGraph graph, Collection<Key> outputs) {
    ExecutionPlan plan = ExecutionPlan.of(graph, List.copyOf(outputs));
    if (plan.size() == graph.size()) {
      return graph;
    }
    Map<Key, Task> kept = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      kept.put(plan.key(i), plan.task(i));
    }
    return graph.withTasks(kept);
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
    ExecutionPlan plan = wholePlan(graph, keep);
    int n = plan.size();
    Set<Key> keepSet = new HashSet<>(keep);
    boolean[] absorbsDep = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      if (plan.dependencyCount(i) == 1) {
        int d = plan.dependency(i, 0);
        if (plan.dependentCount(d) == 1 && !keepSet.contains(plan.key(d))) {
          absorbsDep[i] = true;
          any = true;
        }
      }
    }
    if (!any) {
      return graph;
    }
    Map<Key, Task> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      boolean absorbed = plan.dependentCount(i) == 1 && absorbsDep[plan.dependent(i, 0)];
      if (absorbed) {
        continue;
      }
      if (!absorbsDep[i]) {
        out.put(plan.key(i), plan.task(i));
        continue;
      }
      List<Integer> chain = new ArrayList<>();
      int cur = i;
      chain.add(cur);
      while (absorbsDep[cur]) {
        cur = plan.dependency(cur, 0);
        chain.add(cur);
      }
      int m = chain.size();
      Key[] keys = new Key[m];
      Task[] tasks = new Task[m];
      for (int j = 0; j < m; j++) {
        int t = chain.get(m - 1 - j);
        keys[j] = plan.key(t);
        tasks[j] = plan.task(t);
      }
      out.put(plan.key(i), Subgraph.task(keys, tasks));
    }
    return graph.withTasks(out);
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
    ExecutionPlan plan = wholePlan(graph, keep);
    int n = plan.size();
    Set<Key> keepSet = new HashSet<>(keep);
    boolean[] inlined = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      inlined[i] = plan.dependentCount(i) > 0 && !keepSet.contains(plan.key(i))
          && cheap.test(plan.task(i));
      any |= inlined[i];
    }
    if (!any) {
      return graph;
    }
    // Rewritten tasks, filled in topological order so that an inlined task already carries
    // whatever was inlined into it.
    Task[] current = new Task[n];
    for (int i : plan.executionOrder()) {
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
    Map<Key, Task> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (!inlined[i]) {
        out.put(plan.key(i), current[i]);
      }
    }
    return graph.withTasks(out);
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

  /** A plan over the whole graph: every key, sinks and kept keys as outputs. */
  private static ExecutionPlan wholePlan(TaskGraph graph, Collection<Key> keep) {
    Map<Key, Task> all = graph.tasks();
    Set<Key> needed = new HashSet<>();
    for (Task t : all.values()) {
      needed.addAll(t.dependencies());
    }
    List<Key> outputs = new ArrayList<>(keep);
    for (Key k : all.keySet()) {
      if (!needed.contains(k)) {
        outputs.add(k);
      }
    }
    ExecutionPlan plan = ExecutionPlan.of(graph, outputs);
    if (plan.size() < all.size()) {
      validate(graph); // only a cycle with no way out hides tasks from every sink
    }
    return plan;
  }
}
