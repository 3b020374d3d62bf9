package dev.tessera.graph.core;

import dev.tessera.graph.GraphException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A validated graph as arrays: tasks numbered 0..n-1, each with the positions of its
 * dependencies and of its dependents, and a topological order. It is what Dask's {@code cull}
 * hands to {@code fuse} (the dependencies it found while culling), made reusable: the
 * {@link Graphs} passes read the index of their input and return a graph carrying the index
 * of their output, derived position by position, so a chain of passes hashes the keys of a
 * large graph once, when it is first culled, and {@link ExecutionPlan} then only orders it.
 *
 * <pre>{@code
 * GraphIndex idx = graph.index();             // validates the whole graph, once
 * int users = idx.dependentCount(idx.position(Key.of("x-1f2e3d4c", 0)));
 * }</pre>
 *
 * <p>Immutable and safe to share; obtained from {@link TaskGraph#index()}.
 */
public final class GraphIndex {
  private final Key[] keys;
  private final Task[] tasks;
  private final Adjacency deps;
  private final Adjacency dependents;
  private final int[] topo;
  // position of a key: remap[base.get(key)], or base.get(key) when remap is null; base is the
  // map the first cull built, shared by every index derived from it
  private final KeyPositions base;
  private final int[] remap;

  private GraphIndex(Key[] keys, Task[] tasks, Adjacency deps, Adjacency dependents, int[] topo,
      KeyPositions base, int[] remap) {
    this.keys = keys;
    this.tasks = tasks;
    this.deps = deps;
    this.dependents = dependents;
    this.topo = topo;
    this.base = base;
    this.remap = remap;
  }

  /**
   * Indexes what {@code outputs} need of {@code all}: a breadth-first walk over dependencies
   * from the outputs, then Kahn's algorithm for the order and for cycles.
   */
  static GraphIndex cull(Map<Key, Task> all, List<Key> outputs) {
    KeyPositions index = new KeyPositions(Math.min(all.size(), 1 << 24));
    List<Key> keyList = new ArrayList<>();
    List<Task> taskList = new ArrayList<>();
    for (Key k : outputs) {
      if (index.get(k) < 0) {
        Task t = all.get(k);
        if (t == null) {
          throw new GraphException("requested key " + k + " is not in the graph ("
              + all.size() + " tasks" + nearby(all, k) + "); compute the collection that"
              + " produces it, or merge its graph into this one");
        }
        index.putIfAbsent(k, keyList.size());
        keyList.add(k);
        taskList.add(t);
      }
    }
    Adjacency.Builder depRows = new Adjacency.Builder(all.size(), 2 * all.size());
    for (int i = 0; i < keyList.size(); i++) {
      Task t = taskList.get(i);
      int nd = t.dependencyCount();
      for (int j = 0; j < nd; j++) {
        Key dk = t.dependency(j);
        int di = index.putIfAbsent(dk, keyList.size());   // one lookup for get and put
        if (di < 0) {
          Task dt = all.get(dk);
          if (dt == null) {
            throw new GraphException("task " + keyList.get(i) + " needs key " + dk
                + ", which is not in the graph; add the task (or the collection's graph) that"
                + " produces " + dk);
          }
          di = keyList.size();
          keyList.add(dk);
          taskList.add(dt);
        }
        depRows.add(di);
      }
      depRows.endRow();
    }
    Key[] keys = keyList.toArray(new Key[0]);
    Adjacency deps = depRows.build();
    Adjacency dependents = deps.invert();
    return new GraphIndex(keys, taskList.toArray(new Task[0]), deps, dependents,
        topological(keys, deps, dependents), index, null);
  }

  private static String nearby(Map<Key, Task> all, Key k) {
    for (Key other : all.keySet()) {
      if (other.name().equals(k.name())) {
        return "; the graph has other blocks of " + k.name() + ", such as " + other;
      }
    }
    return "";
  }

  /** The part of this index that the given positions need; this index if that is all of it. */
  GraphIndex cull(int[] outputs) {
    boolean[] keep = new boolean[size()];
    int[] queue = new int[size()];
    int tail = 0;
    for (int o : outputs) {
      if (!keep[o]) {
        keep[o] = true;
        queue[tail++] = o;
      }
    }
    int[] st = deps.start;
    int[] fl = deps.flat;
    for (int head = 0; head < tail; head++) {
      int v = queue[head];
      for (int e = st[v]; e < st[v + 1]; e++) {
        int d = fl[e];
        if (!keep[d]) {
          keep[d] = true;
          queue[tail++] = d;
        }
      }
    }
    return tail == size() ? this : derive(keep, tasks);
  }

  /**
   * Returns the index of the graph where position {@code i} survives when {@code keep[i]}, with
   * task {@code newTasks[i]}. The dependencies of a task that changed are looked up again
   * (they must survive); an unchanged task keeps its dependencies, which must survive too.
   *
   * @throws GraphException if a changed task needs a key that is not there, or makes a cycle
   */
  GraphIndex derive(boolean[] keep, Task[] newTasks) {
    return derive(keep, newTasks, null);
  }

  /**
   * As {@link #derive(boolean[], Task[])}, where a changed task {@code i} with
   * {@code edgesOf[i] >= 0} needs what the task at that position needed (a fused chain needs
   * what its first task needed): its dependencies are then taken from that row when they are
   * the same keys, instead of being looked up by key.
   */
  GraphIndex derive(boolean[] keep, Task[] newTasks, int[] edgesOf) {
    int n = size();
    int[] newPos = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      newPos[i] = keep[i] ? m++ : -1;
    }
    // Nothing removed and no task's dependencies changed (Release wraps consumers in place):
    // the edges, the dependents and the order are shared, not rebuilt.
    boolean same = m == n;
    Key[] k2 = same ? keys : new Key[m];
    Task[] t2 = new Task[m];
    boolean[] changed = new boolean[n];
    boolean anyChanged = false;
    for (int i = 0; i < n; i++) {
      int p = newPos[i];
      if (p < 0) {
        continue;
      }
      k2[p] = keys[i];
      Task t = newTasks[i];
      t2[p] = t;
      if (t != tasks[i] && !sameDependencies(t, tasks[i])) {
        changed[i] = true;
        anyChanged = true;
      }
    }
    if (same && !anyChanged) {
      return new GraphIndex(k2, t2, deps, dependents, topo, base, remap);
    }
    Adjacency.Builder rows = new Adjacency.Builder(m, deps.flat.length);
    boolean reorder = false;
    int[] rank = null;
    for (int i = 0; i < n; i++) {
      if (newPos[i] < 0) {
        continue;
      }
      // the row to copy: the task's own when its dependencies did not change, or the first
      // task's of a fused chain (earlier in the order than i, and so are its dependencies)
      int src = !changed[i] ? i
          : edgesOf != null && edgesOf[i] >= 0
              && sameDependencies(t2[newPos[i]], tasks[edgesOf[i]]) ? edgesOf[i] : -1;
      if (src >= 0) {
        for (int e = deps.start[src]; e < deps.start[src + 1]; e++) {
          int d = newPos[deps.flat[e]];
          if (d < 0) {
            throw new IllegalStateException("a graph pass removed " + keys[deps.flat[e]]
                + ", which the task " + keys[i] + " still needs");
          }
          rows.add(d);
        }
      } else {
        Task t = t2[newPos[i]];
        for (int j = 0; j < t.dependencyCount(); j++) {
          int old = position(t.dependency(j));
          if (old < 0 || newPos[old] < 0) {
            throw new GraphException("task " + keys[i] + " needs key " + t.dependency(j)
                + ", which is not in the graph; add the task that produces it first");
          }
          rows.add(newPos[old]);
          if (!reorder) {
            if (rank == null) {
              rank = new int[n];
              for (int r = 0; r < n; r++) {
                rank[topo[r]] = r;
              }
            }
            reorder = rank[old] >= rank[i];
          }
        }
      }
      rows.endRow();
    }
    Adjacency d2 = rows.build();
    Adjacency dep2 = d2.invert();
    int[] topo2;
    if (reorder) {
      topo2 = topological(k2, d2, dep2);
    } else {
      topo2 = new int[m];
      int f = 0;
      for (int v : topo) {
        if (newPos[v] >= 0) {
          topo2[f++] = newPos[v];
        }
      }
    }
    int[] remap2;
    if (same) {
      remap2 = remap;
    } else if (remap == null) {
      remap2 = newPos;
    } else {
      remap2 = new int[remap.length];
      for (int b = 0; b < remap.length; b++) {
        remap2[b] = remap[b] < 0 ? -1 : newPos[remap[b]];
      }
    }
    return new GraphIndex(k2, t2, d2, dep2, topo2, base, remap2);
  }

  /** Whether two tasks need the same keys in the same order (compared by reference first). */
  private static boolean sameDependencies(Task a, Task b) {
    int n = a.dependencyCount();
    if (n != b.dependencyCount()) {
      return false;
    }
    for (int j = 0; j < n; j++) {
      Key x = a.dependency(j);
      Key y = b.dependency(j);
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** Kahn's algorithm from the leaves: a topological order, or the cycle as an error. */
  private static int[] topological(Key[] keys, Adjacency deps, Adjacency dependents) {
    int n = deps.size();
    int[] remaining = new int[n];
    int[] queue = new int[n];
    int tail = 0;
    for (int i = 0; i < n; i++) {
      remaining[i] = deps.count(i);
      if (remaining[i] == 0) {
        queue[tail++] = i;
      }
    }
    int[] st = dependents.start;
    int[] fl = dependents.flat;
    for (int head = 0; head < tail; head++) {
      int v = queue[head];
      for (int e = st[v]; e < st[v + 1]; e++) {
        int p = fl[e];
        if (--remaining[p] == 0) {
          queue[tail++] = p;
        }
      }
    }
    if (tail < n) {
      throw new GraphException("the graph has a cycle: " + cyclePath(keys, deps, remaining)
          + " (each task needs the next); a task cannot depend on its own result");
    }
    return queue;
  }

  /** Finds one cycle among the tasks Kahn's algorithm could not finish. */
  private static String cyclePath(Key[] keys, Adjacency deps, int[] remaining) {
    int n = deps.size();
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
        if (top[1] < deps.count(v)) {
          int w = deps.get(v, top[1]++);
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

  /** {@return the number of tasks} */
  public int size() {
    return keys.length;
  }

  /**
   * Returns the position of {@code key}.
   *
   * @param key the key
   * @return its position, or -1 if it is not in the index
   */
  public int position(Key key) {
    int b = base.get(key);
    if (b < 0) {
      return -1;
    }
    return remap == null ? b : remap[b];
  }

  /**
   * Returns the key at position {@code i}.
   *
   * @param i from 0 to {@code size() - 1}
   * @return the key
   */
  public Key key(int i) {
    return keys[i];
  }

  /**
   * Returns the task at position {@code i}.
   *
   * @param i from 0 to {@code size() - 1}
   * @return the task
   */
  public Task task(int i) {
    return tasks[i];
  }

  /**
   * Returns how many tasks task {@code i} needs, its {@link Task#dependencyCount()}.
   *
   * @param i the position
   * @return the count
   */
  public int dependencyCount(int i) {
    return deps.count(i);
  }

  /**
   * Returns the position of the {@code j}-th dependency of task {@code i}, in the order of
   * {@link Task#dependencies()}.
   *
   * @param i the position
   * @param j from 0 to {@code dependencyCount(i) - 1}
   * @return the dependency's position
   */
  public int dependency(int i, int j) {
    return deps.get(i, j);
  }

  /**
   * Returns how many tasks need task {@code i}'s result.
   *
   * @param i the position
   * @return the count
   */
  public int dependentCount(int i) {
    return dependents.count(i);
  }

  /**
   * Returns the position of the {@code j}-th task that needs task {@code i}'s result.
   *
   * @param i the position
   * @param j from 0 to {@code dependentCount(i) - 1}
   * @return the dependent's position
   */
  public int dependent(int i, int j) {
    return dependents.get(i, j);
  }

  /**
   * Returns position {@code r} of a topological order: every task after its dependencies.
   *
   * @param r from 0 to {@code size() - 1}
   * @return the position of the r-th task in that order
   */
  public int topological(int r) {
    return topo[r];
  }

  Adjacency deps() {
    return deps;
  }

  Adjacency dependents() {
    return dependents;
  }

  Key[] keys() {
    return keys;
  }

  Task[] tasks() {
    return tasks;
  }

  @Override
  public String toString() {
    return "GraphIndex(" + size() + " tasks)";
  }
}
