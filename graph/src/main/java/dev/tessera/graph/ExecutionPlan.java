package dev.tessera.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph made ready to run: culled to the requested outputs, validated, indexed 0..n-1 and
 * ordered. Every scheduler starts from one; it is immutable and safe to share.
 *
 * <p>Validation happens here: a requested key that is missing, a task that needs a key nobody
 * produces, and a cycle each raise a {@link GraphException} that says which keys and what to
 * do about it.
 *
 * <p><b>Order.</b> {@link #priority(int)} is a static priority, lower first, chosen so that a
 * scheduler running the ready task with the lowest priority finishes one branch of the graph
 * before starting the next, and so holds few intermediate results. It is the post-order of a
 * depth-first walk from the outputs, in which each task's dependencies are visited heaviest
 * first, "heavy" being a Sethi–Ullman estimate of how many results a subgraph must hold at
 * once ({@code need(v) = max_i(need(c_i) + i)} over the dependencies sorted by decreasing
 * need). Evaluating the most demanding branch first means its results are the only ones alive
 * while it runs; the lighter branches run afterwards, when less is held. Every priority order
 * is also a topological order.
 */
public final class ExecutionPlan {
  private final TaskGraph graph;
  private final Key[] keys;
  private final Task[] tasks;
  private final int[][] deps;
  private final int[][] dependents;
  private final int[] priority;
  private final int[] outputs;
  private final List<Key> outputKeys;

  private ExecutionPlan(TaskGraph graph, Key[] keys, Task[] tasks, int[][] deps,
      int[][] dependents, int[] priority, int[] outputs, List<Key> outputKeys) {
    this.graph = graph;
    this.keys = keys;
    this.tasks = tasks;
    this.deps = deps;
    this.dependents = dependents;
    this.priority = priority;
    this.outputs = outputs;
    this.outputKeys = outputKeys;
  }

  /**
   * Culls, validates, indexes and orders {@code graph} for the given outputs.
   *
   * @param graph the graph
   * @param outputs the keys whose results are wanted, in order; repeats allowed
   * @return the plan
   * @throws GraphException if an output or a dependency is missing, or the graph has a cycle
   */
  public static ExecutionPlan of(TaskGraph graph, List<Key> outputs) {
    Map<Key, Task> all = graph.tasks();
    Map<Key, Integer> index = new HashMap<>(Math.max(16, all.size() * 2));
    List<Key> keyList = new ArrayList<>();
    List<Task> taskList = new ArrayList<>();
    int[] out = new int[outputs.size()];
    for (int j = 0; j < outputs.size(); j++) {
      Key k = outputs.get(j);
      Integer i = index.get(k);
      if (i == null) {
        Task t = all.get(k);
        if (t == null) {
          throw new GraphException("requested key " + k + " is not in the graph ("
              + all.size() + " tasks" + nearby(all, k) + "); compute the collection that"
              + " produces it, or merge its graph into this one");
        }
        i = keyList.size();
        index.put(k, i);
        keyList.add(k);
        taskList.add(t);
      }
      out[j] = i;
    }
    // Breadth-first over dependencies: culls what the outputs do not need.
    List<int[]> depList = new ArrayList<>();
    for (int i = 0; i < keyList.size(); i++) {
      Task t = taskList.get(i);
      int[] d = new int[t.dependencyCount()];
      for (int j = 0; j < d.length; j++) {
        Key dk = t.dependency(j);
        Integer di = index.get(dk);
        if (di == null) {
          Task dt = all.get(dk);
          if (dt == null) {
            throw new GraphException("task " + keyList.get(i) + " needs key " + dk
                + ", which is not in the graph; add the task (or the collection's graph) that"
                + " produces " + dk);
          }
          di = keyList.size();
          index.put(dk, di);
          keyList.add(dk);
          taskList.add(dt);
        }
        d[j] = di;
      }
      depList.add(d);
    }
    int n = keyList.size();
    Key[] keys = keyList.toArray(new Key[0]);
    Task[] tasks = taskList.toArray(new Task[0]);
    int[][] deps = depList.toArray(new int[0][]);
    int[][] dependents = invert(deps, n);
    int[] need = need(keys, deps, dependents);
    int[] priority = order(deps, need, out, n);
    return new ExecutionPlan(graph, keys, tasks, deps, dependents, priority, out,
        Collections.unmodifiableList(new ArrayList<>(outputs)));
  }

  private static String nearby(Map<Key, Task> all, Key k) {
    for (Key other : all.keySet()) {
      if (other.name().equals(k.name())) {
        return "; the graph has other blocks of " + k.name() + ", such as " + other;
      }
    }
    return "";
  }

  private static int[][] invert(int[][] deps, int n) {
    int[] count = new int[n];
    for (int[] d : deps) {
      for (int x : d) {
        count[x]++;
      }
    }
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = new int[count[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      for (int x : deps[i]) {
        out[x][fill[x]++] = i;
      }
    }
    return out;
  }

  /** Kahn's algorithm from the leaves; computes the Sethi–Ullman need and finds cycles. */
  private static int[] need(Key[] keys, int[][] deps, int[][] dependents) {
    int n = deps.length;
    int[] remaining = new int[n];
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      remaining[i] = deps[i].length;
      if (remaining[i] == 0) {
        queue[tail++] = i;
      }
    }
    int[] need = new int[n];
    int[] scratch = new int[0];
    while (head < tail) {
      int v = queue[head++];
      int[] d = deps[v];
      if (d.length == 0) {
        need[v] = 1;
      } else if (d.length == 1) {
        need[v] = Math.max(1, need[d[0]]);
      } else {
        if (scratch.length < d.length) {
          scratch = new int[d.length];
        }
        for (int j = 0; j < d.length; j++) {
          scratch[j] = need[d[j]];
        }
        Arrays.sort(scratch, 0, d.length);
        int best = 0;
        for (int j = 0; j < d.length; j++) {
          // scratch ascending; the j-th heaviest is at d.length-1-j and waits behind j results
          best = Math.max(best, scratch[d.length - 1 - j] + j);
        }
        need[v] = best;
      }
      for (int p : dependents[v]) {
        if (--remaining[p] == 0) {
          queue[tail++] = p;
        }
      }
    }
    if (tail < n) {
      throw new GraphException("the graph has a cycle: " + cyclePath(keys, deps, remaining)
          + " (each task needs the next); a task cannot depend on its own result");
    }
    return need;
  }

  /** Finds one cycle among the tasks Kahn's algorithm could not finish. */
  private static String cyclePath(Key[] keys, int[][] deps, int[] remaining) {
    int n = deps.length;
    int[] state = new int[n]; // 0 new, 1 on stack, 2 done
    int[] parent = new int[n];
    for (int s = 0; s < n; s++) {
      if (remaining[s] == 0 || state[s] != 0) {
        continue;
      }
      ArrayDeque<int[]> stack = new ArrayDeque<>();
      stack.push(new int[] {s, 0});
      state[s] = 1;
      while (!stack.isEmpty()) {
        int[] top = stack.peek();
        int v = top[0];
        if (top[1] < deps[v].length) {
          int w = deps[v][top[1]++];
          if (state[w] == 1) {
            List<String> path = new ArrayList<>();
            path.add(keys[w].toString());
            for (int x = v; x != w; x = parent[x]) {
              path.add(keys[x].toString());
            }
            path.add(keys[w].toString());
            Collections.reverse(path);
            return String.join(" -> ", path);
          }
          if (state[w] == 0) {
            state[w] = 1;
            parent[w] = v;
            stack.push(new int[] {w, 0});
          }
        } else {
          state[v] = 2;
          stack.pop();
        }
      }
    }
    return "(not found)";
  }

  /** Depth-first post-order from the outputs, heaviest dependency first. */
  private static int[] order(int[][] deps, int[] need, int[] outputs, int n) {
    int[] priority = new int[n];
    Arrays.fill(priority, -1);
    boolean[] entered = new boolean[n];
    int[] stackNode = new int[n];
    int[] stackPos = new int[n];
    int[][] sorted = new int[n][];
    int counter = 0;
    for (int o : outputs) {
      if (entered[o]) {
        continue;
      }
      int sp = 0;
      stackNode[sp] = o;
      stackPos[sp] = 0;
      sp++;
      entered[o] = true;
      while (sp > 0) {
        int v = stackNode[sp - 1];
        int[] children = sorted[v];
        if (children == null) {
          children = byNeed(deps[v], need);
          sorted[v] = children;
        }
        int pos = stackPos[sp - 1];
        while (pos < children.length && entered[children[pos]]) {
          pos++;
        }
        if (pos < children.length) {
          stackPos[sp - 1] = pos + 1;
          int c = children[pos];
          entered[c] = true;
          stackNode[sp] = c;
          stackPos[sp] = 0;
          sp++;
        } else {
          priority[v] = counter++;
          sorted[v] = null;
          sp--;
        }
      }
    }
    return priority;
  }

  private static int[] byNeed(int[] d, int[] need) {
    if (d.length < 2) {
      return d;
    }
    Integer[] boxed = new Integer[d.length];
    for (int i = 0; i < d.length; i++) {
      boxed[i] = d[i];
    }
    // stable: equal needs keep argument order, so block (0) runs before block (1)
    Arrays.sort(boxed, (a, b) -> Integer.compare(need[b], need[a]));
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = boxed[i];
    }
    return out;
  }

  /** {@return the graph this plan was made from (not culled)} */
  public TaskGraph graph() {
    return graph;
  }

  /** {@return the number of tasks to run} */
  public int size() {
    return keys.length;
  }

  /**
   * Returns the key of task {@code i}.
   *
   * @param i the task index, from 0 to {@code size() - 1}
   * @return its key
   */
  public Key key(int i) {
    return keys[i];
  }

  /**
   * Returns task {@code i}.
   *
   * @param i the task index
   * @return the task
   */
  public Task task(int i) {
    return tasks[i];
  }

  /**
   * Returns how many tasks task {@code i} needs; the same as its task's
   * {@link Task#dependencyCount()}.
   *
   * @param i the task index
   * @return the count
   */
  public int dependencyCount(int i) {
    return deps[i].length;
  }

  /**
   * Returns the index of the {@code j}-th dependency of task {@code i}, in the order of
   * {@link Task#dependencies()}.
   *
   * @param i the task index
   * @param j from 0 to {@code dependencyCount(i) - 1}
   * @return the dependency's task index
   */
  public int dependency(int i, int j) {
    return deps[i][j];
  }

  /**
   * Returns how many tasks need task {@code i}'s result.
   *
   * @param i the task index
   * @return the count
   */
  public int dependentCount(int i) {
    return dependents[i].length;
  }

  /**
   * Returns the index of the {@code j}-th task that needs task {@code i}'s result.
   *
   * @param i the task index
   * @param j from 0 to {@code dependentCount(i) - 1}
   * @return the dependent's task index
   */
  public int dependent(int i, int j) {
    return dependents[i][j];
  }

  /**
   * Returns the static priority of task {@code i}: lower runs first (see the class comment).
   *
   * @param i the task index
   * @return the priority, from 0 to {@code size() - 1}, distinct per task
   */
  public int priority(int i) {
    return priority[i];
  }

  /** {@return the requested output keys, in the order given; immutable} */
  public List<Key> outputs() {
    return outputKeys;
  }

  /**
   * Returns the task index of the {@code j}-th requested output.
   *
   * @param j from 0 to {@code outputs().size() - 1}
   * @return the task index
   */
  public int outputIndex(int j) {
    return outputs[j];
  }

  /** {@return the task indices sorted by priority: a topological order} */
  public int[] executionOrder() {
    int[] byPriority = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      byPriority[priority[i]] = i;
    }
    return byPriority;
  }
}
