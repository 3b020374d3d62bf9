package dev.tessera.graph.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A task function that runs several tasks in one, in order: what {@link Graphs#fuse} and
 * {@link Graphs#inline} leave behind. Its arguments are the outside keys the inner tasks need;
 * its result is the last inner task's.
 */
final class Subgraph implements TaskFunction {
  private static final long serialVersionUID = 1L;

  private final Key[] inputs;
  private final Key[] keys;
  private final Task[] tasks;

  Subgraph(Key[] inputs, Key[] keys, Task[] tasks) {
    this.inputs = inputs;
    this.keys = keys;
    this.tasks = tasks;
  }

  /** Returns a task for {@code keys}/{@code tasks} (in topological order). */
  static Task task(Key[] keys, Task[] tasks) {
    if (keys.length > 8) {
      return large(keys, tasks);
    }
    // a fused chain is short: linear searches beat hashing every key (W1c fuses 40,000 chains)
    Key[] outside = new Key[4];
    int n = 0;
    for (Task t : tasks) {
      for (int j = 0; j < t.dependencyCount(); j++) {
        Key d = t.dependency(j);
        if (!contains(keys, keys.length, d) && !contains(outside, n, d)) {
          if (n == outside.length) {
            outside = Arrays.copyOf(outside, n * 2);
          }
          outside[n++] = d;
        }
      }
    }
    Key[] in = Arrays.copyOf(outside, n);
    return Task.of(new Subgraph(in, keys, tasks), (Object[]) in);
  }

  private static boolean contains(Key[] keys, int n, Key k) {
    for (int i = 0; i < n; i++) {
      if (keys[i] == k || keys[i].equals(k)) {
        return true;
      }
    }
    return false;
  }

  private static Task large(Key[] keys, Task[] tasks) {
    Map<Key, Boolean> inner = new HashMap<>();
    for (Key k : keys) {
      inner.put(k, Boolean.TRUE);
    }
    java.util.LinkedHashSet<Key> outside = new java.util.LinkedHashSet<>();
    for (Task t : tasks) {
      for (int j = 0; j < t.dependencyCount(); j++) {
        if (!inner.containsKey(t.dependency(j))) {
          outside.add(t.dependency(j));
        }
      }
    }
    Key[] in = outside.toArray(new Key[0]);
    return Task.of(new Subgraph(in, keys, tasks), (Object[]) in);
  }

  @Override
  public Object apply(Object[] args) throws Exception {
    Map<Key, Object> values = new HashMap<>(inputs.length + keys.length);
    for (int i = 0; i < inputs.length; i++) {
      values.put(inputs[i], args[i]);
    }
    Object last = null;
    for (int i = 0; i < tasks.length; i++) {
      Task t = tasks[i];
      Object[] depValues = new Object[t.dependencyCount()];
      for (int j = 0; j < depValues.length; j++) {
        depValues[j] = values.get(t.dependency(j));
      }
      last = t.run(depValues);
      values.put(keys[i], last);
    }
    return last;
  }

  @Override
  public String toString() {
    return "subgraph" + Arrays.toString(keys);
  }
}
