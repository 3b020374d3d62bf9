package dev.tessera.graph.core;

import dev.tessera.graph.GraphException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

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
  private final GraphIndex index;
  private final Adjacency deps;
  private final int[] priority;
  private final int[] outputs;
  private final List<Key> outputKeys;

  private ExecutionPlan(TaskGraph graph, GraphIndex index, int[] priority, int[] outputs,
      List<Key> outputKeys) {
    this.graph = graph;
    this.index = index;
    this.deps = index.deps();
    this.priority = priority;
    this.outputs = outputs;
    this.outputKeys = outputKeys;
  }

  /**
   * Culls, validates, indexes and orders {@code graph} for the given outputs. A graph that a
   * {@link Graphs} pass returned is not indexed again: only culled (by position) and ordered.
   *
   * @param graph the graph
   * @param outputs the keys whose results are wanted, in order; repeats allowed
   * @return the plan
   * @throws GraphException if an output or a dependency is missing, or the graph has a cycle
   */
  public static ExecutionPlan of(TaskGraph graph, List<Key> outputs) {
    GraphIndex idx = Graphs.culled(graph, outputs);
    int[] out = new int[outputs.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = idx.position(outputs.get(j));
    }
    int n = idx.size();
    int[] priority = order(idx.deps(), need(idx), out, n);
    return new ExecutionPlan(graph, idx, priority, out,
        Collections.unmodifiableList(new ArrayList<>(outputs)));
  }

  /** The Sethi–Ullman need of every task, computed in the index's topological order. */
  private static int[] need(GraphIndex idx) {
    int n = idx.size();
    Adjacency deps = idx.deps();
    int[] st = deps.start;
    int[] fl = deps.flat;
    int[] need = new int[n];
    int[] scratch = new int[0];
    for (int r = 0; r < n; r++) {
      int v = idx.topological(r);
      int from = st[v];
      int len = st[v + 1] - from;
      if (len == 0) {
        need[v] = 1;
      } else if (len == 1) {
        need[v] = Math.max(1, need[fl[from]]);
      } else {
        if (scratch.length < len) {
          scratch = new int[len];
        }
        for (int j = 0; j < len; j++) {
          scratch[j] = need[fl[from + j]];
        }
        Arrays.sort(scratch, 0, len);
        int best = 0;
        for (int j = 0; j < len; j++) {
          // scratch ascending; the j-th heaviest is at len-1-j and waits behind j results
          best = Math.max(best, scratch[len - 1 - j] + j);
        }
        need[v] = best;
      }
    }
    return need;
  }

  /** Depth-first post-order from the outputs, heaviest dependency first. */
  private static int[] order(Adjacency deps, int[] need, int[] outputs, int n) {
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
        // a task with several dependencies visits them heaviest first; with one or none, the
        // row is read in place (no array per task)
        int count = deps.count(v);
        int[] children = sorted[v];
        if (children == null && count > 1) {
          children = byNeed(deps, v, need);
          sorted[v] = children;
        }
        int base = deps.start[v];
        int pos = stackPos[sp - 1];
        while (pos < count && entered[children != null ? children[pos] : deps.flat[base + pos]]) {
          pos++;
        }
        if (pos < count) {
          stackPos[sp - 1] = pos + 1;
          int c = children != null ? children[pos] : deps.flat[base + pos];
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

  /** Task v's dependencies, heaviest need first; equal needs keep argument order. */
  private static int[] byNeed(Adjacency deps, int v, int[] need) {
    int from = deps.start[v];
    int len = deps.count(v);
    // (need descending, argument position ascending) packed into one long and sorted as
    // primitives: stable without boxing, so block (0) runs before block (1)
    long[] packed = new long[len];
    for (int j = 0; j < len; j++) {
      packed[j] = ((long) (Integer.MAX_VALUE - need[deps.flat[from + j]]) << 32) | j;
    }
    Arrays.sort(packed);
    int[] out = new int[len];
    for (int j = 0; j < len; j++) {
      out[j] = deps.flat[from + (int) packed[j]];
    }
    return out;
  }

  /** {@return the index of the tasks to run (culled to the outputs)} */
  public GraphIndex index() {
    return index;
  }

  /** {@return the graph this plan was made from (not culled)} */
  public TaskGraph graph() {
    return graph;
  }

  /** {@return the number of tasks to run} */
  public int size() {
    return index.size();
  }

  /**
   * Returns the key of task {@code i}.
   *
   * @param i the task index, from 0 to {@code size() - 1}
   * @return its key
   */
  public Key key(int i) {
    return index.key(i);
  }

  /**
   * Returns task {@code i}.
   *
   * @param i the task index
   * @return the task
   */
  public Task task(int i) {
    return index.task(i);
  }

  /**
   * Returns how many tasks task {@code i} needs; the same as its task's
   * {@link Task#dependencyCount()}.
   *
   * @param i the task index
   * @return the count
   */
  public int dependencyCount(int i) {
    return deps.count(i);
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
    return deps.get(i, j);
  }

  /**
   * Returns how many tasks need task {@code i}'s result.
   *
   * @param i the task index
   * @return the count
   */
  public int dependentCount(int i) {
    return index.dependentCount(i);
  }

  /**
   * Returns the index of the {@code j}-th task that needs task {@code i}'s result.
   *
   * @param i the task index
   * @param j from 0 to {@code dependentCount(i) - 1}
   * @return the dependent's task index
   */
  public int dependent(int i, int j) {
    return index.dependent(i, j);
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

  /**
   * Walks back from the outputs through the dependencies, asking {@code stop} once about each
   * task reached; the walk does not go past a task {@code stop} accepts. Schedulers use it to
   * leave out what only a result they take from elsewhere needed.
   *
   * @param stop whether the walk ends at task {@code t} (its dependencies are not needed for it)
   * @return which tasks were reached, by index
   */
  public boolean[] reachFromOutputs(java.util.function.IntPredicate stop) {
    int n = size();
    boolean[] reached = new boolean[n];
    int[] stack = new int[n];
    int sp = 0;
    for (int o : outputs) {
      if (!reached[o]) {
        reached[o] = true;
        stack[sp++] = o;
      }
    }
    while (sp > 0) {
      int t = stack[--sp];
      if (stop.test(t)) {
        continue;
      }
      for (int j = 0, m = dependencyCount(t); j < m; j++) {
        int d = dependency(t, j);
        if (!reached[d]) {
          reached[d] = true;
          stack[sp++] = d;
        }
      }
    }
    return reached;
  }

  /** {@return the task indices sorted by priority: a topological order} */
  public int[] executionOrder() {
    int[] byPriority = new int[priority.length];
    for (int i = 0; i < priority.length; i++) {
      byPriority[priority[i]] = i;
    }
    return byPriority;
  }
}
