package dev.tessera.dashboard;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One computation's progress per layer: how many of each layer's tasks are done, running,
 * failed or waiting. A layer is one collection operation. A {@code Delayed} call is a layer
 * of one task, so layers of one task are grouped with the others of the same operation label
 * (eight calls of {@code inc}: one group of 8), and when a graph still has more than
 * {@link #LAYER_LIMIT} layers, all layers are grouped by operation, as Dask groups its
 * progress bars by key prefix. The groups are the nodes of the graph page too.
 *
 * <p>Built by the reader from the plan, the first time somebody looks at the computation,
 * and then fed the activities it drains; not thread-safe (the State lock guards it).
 */
final class Progress {
  /** Above this many layers, progress (and the graph) is shown per operation. */
  static final int LAYER_LIMIT = 40;

  private static final byte WAITING = 0;
  private static final byte RUNNING = 1;
  private static final byte DONE = 2;
  private static final byte FAILED = 3;

  /**
   * One group of tasks: a layer, or all layers of one operation.
   *
   * @param name unique: the layer's name, or the operation's label when grouped
   * @param label what users read: the operation
   * @param tasks the plan indices of its tasks
   */
  record Group(String name, String label, int[] tasks) {}

  final List<Group> groups;
  final boolean byOperation;
  private final Map<Key, Integer> index;
  private final int[] groupOf;
  private final byte[] state;
  private final int[][] counts; // [group][state]

  private Progress(List<Group> groups, boolean byOperation, Map<Key, Integer> index,
      int[] groupOf) {
    this.groups = groups;
    this.byOperation = byOperation;
    this.index = index;
    this.groupOf = groupOf;
    this.state = new byte[groupOf.length];
    this.counts = new int[groups.size()][4];
    for (int g = 0; g < groups.size(); g++) {
      counts[g][WAITING] = groups.get(g).tasks().length;
    }
  }

  static Progress of(ExecutionPlan plan) {
    int n = plan.size();
    Map<Key, Integer> index = new HashMap<>(Math.max(16, n * 2));
    for (int i = 0; i < n; i++) {
      index.put(plan.key(i), i);
    }
    // the layers that hold tasks of the plan, in the graph's order
    Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
    Map<String, String> labelOf = new HashMap<>();
    int[] layerOf = new int[n];
    java.util.Arrays.fill(layerOf, -1);
    List<String> layerNames = new ArrayList<>();
    for (Layer l : plan.graph().layers()) {
      for (Key k : l.tasks().keySet()) {
        Integer i = index.get(k);
        if (i != null && layerOf[i] < 0) {
          List<Integer> members = byLayer.get(l.name());
          if (members == null) {
            members = new ArrayList<>();
            byLayer.put(l.name(), members);
            labelOf.put(l.name(), l.operation());
            layerNames.add(l.name());
          }
          layerOf[i] = layerNames.size() - 1;
          members.add(i);
        }
      }
    }
    boolean byOperation = byLayer.size() > LAYER_LIMIT;
    Map<String, List<Integer>> grouped = new LinkedHashMap<>();
    Map<String, String> groupLabel = new HashMap<>();
    for (Map.Entry<String, List<Integer>> e : byLayer.entrySet()) {
      String label = labelOf.get(e.getKey());
      // layers of one task (a Delayed call each) join the other one-task layers of their
      // operation: eight calls of inc are one row "inc" of 8 tasks, not eight rows
      boolean merge = byOperation || e.getValue().size() == 1;
      String name = merge ? label : e.getKey();
      grouped.computeIfAbsent(name, x -> new ArrayList<>()).addAll(e.getValue());
      groupLabel.put(name, label);
    }
    List<Integer> orphans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (layerOf[i] < 0) {
        orphans.add(i); // a task in no layer: only graphs built by hand
      }
    }
    if (!orphans.isEmpty()) {
      grouped.computeIfAbsent("other", x -> new ArrayList<>()).addAll(orphans);
      groupLabel.putIfAbsent("other", "other");
    }
    List<Group> groups = new ArrayList<>();
    int[] groupOf = new int[n];
    for (Map.Entry<String, List<Integer>> e : grouped.entrySet()) {
      int[] tasks = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      for (int t : tasks) {
        groupOf[t] = groups.size();
      }
      groups.add(new Group(e.getKey(), groupLabel.get(e.getKey()), tasks));
    }
    return new Progress(List.copyOf(groups), byOperation, index, groupOf);
  }

  void started(Key key) {
    move(key, RUNNING);
  }

  void ended(Key key, boolean failed) {
    move(key, failed ? FAILED : DONE);
  }

  /** Marks every task not failed as done: the computation succeeded. */
  void completed() {
    for (int i = 0; i < state.length; i++) {
      if (state[i] != DONE) {
        set(i, DONE);
      }
    }
  }

  /** Marks tasks still shown as running as waiting: the computation stopped. */
  void stopped() {
    for (int i = 0; i < state.length; i++) {
      if (state[i] == RUNNING) {
        set(i, WAITING);
      }
    }
  }

  private void move(Key key, byte to) {
    Integer i = index.get(key);
    if (i == null) {
      return;
    }
    byte from = state[i];
    if (from == DONE) {
      return; // done is final (a worker JVM's late report of a recomputed task changes nothing)
    }
    set(i, to);
  }

  private void set(int i, byte to) {
    int g = groupOf[i];
    counts[g][state[i]]--;
    counts[g][to]++;
    state[i] = to;
  }

  int done(int group) {
    return counts[group][DONE];
  }

  int running(int group) {
    return counts[group][RUNNING];
  }

  int failed(int group) {
    return counts[group][FAILED];
  }

  int waiting(int group) {
    return counts[group][WAITING];
  }
}
