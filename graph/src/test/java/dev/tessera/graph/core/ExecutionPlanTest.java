package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExecutionPlanTest {
  @Test
  void missingDependencyNamesTheKeyAndWhoNeedsIt() {
    Map<Key, Task> tasks = new HashMap<>();
    tasks.put(Key.of("b", 0), Task.of(Ops.INC, Key.of("a", 3)));
    GraphException e = assertThrows(GraphException.class,
        () -> ExecutionPlan.of(TaskGraph.fromTasks(tasks), List.of(Key.of("b", 0))));
    assertTrue(e.getMessage().contains("task ('b', 0) needs key ('a', 3)"), e.getMessage());
  }

  @Test
  void reachFromOutputsStopsWhereAsked() {
    // a -> b -> d, a -> c -> d; d and c are outputs
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("a"), Task.constant(1));
    tasks.put(Key.of("b"), Task.of(Ops.INC, Key.of("a")));
    tasks.put(Key.of("c"), Task.of(Ops.INC, Key.of("a")));
    tasks.put(Key.of("d"), Task.of(Ops.ADD, Key.of("b"), Key.of("c")));
    ExecutionPlan p = ExecutionPlan.of(TaskGraph.fromTasks(tasks),
        List.of(Key.of("d"), Key.of("c"), Key.of("d")));
    int a = p.index().position(Key.of("a"));
    int b = p.index().position(Key.of("b"));
    int c = p.index().position(Key.of("c"));
    int d = p.index().position(Key.of("d"));
    List<Integer> asked = new ArrayList<>();
    boolean[] all = p.reachFromOutputs(t -> {
      asked.add(t);
      return false;
    });
    assertTrue(all[a] && all[b] && all[c] && all[d]);
    assertEquals(4, asked.size(), "each task asked once: " + asked);
    // stopping at b and c: a is still reached, through neither
    boolean[] cut = p.reachFromOutputs(t -> t == b || t == c);
    assertTrue(cut[b] && cut[c] && cut[d] && !cut[a]);
    // stopping at b only: a is reached through c
    boolean[] half = p.reachFromOutputs(t -> t == b);
    assertTrue(half[a]);
  }

  @Test
  void missingOutputSaysSo() {
    TaskGraph g = TaskGraph.fromTasks(Map.of(Key.of("x", 0), Task.constant(1)));
    GraphException e = assertThrows(GraphException.class,
        () -> ExecutionPlan.of(g, List.of(Key.of("x", 1))));
    assertTrue(e.getMessage().contains("requested key ('x', 1) is not in the graph"),
        e.getMessage());
    assertTrue(e.getMessage().contains("('x', 0)"), e.getMessage());
  }

  @Test
  void cycleIsReportedAsItsPath() {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("start"), Task.of(Ops.INC, Key.of("x")));
    tasks.put(Key.of("x"), Task.of(Ops.INC, Key.of("y")));
    tasks.put(Key.of("y"), Task.of(Ops.INC, Key.of("z")));
    tasks.put(Key.of("z"), Task.of(Ops.INC, Key.of("x")));
    GraphException e = assertThrows(GraphException.class,
        () -> ExecutionPlan.of(TaskGraph.fromTasks(tasks), List.of(Key.of("start"))));
    String m = e.getMessage();
    assertTrue(m.contains("cycle"), m);
    // the path starts and ends at the same key and names all three
    assertTrue(m.matches("(?s).*'(x|y|z)' -> '(x|y|z)' -> '(x|y|z)' -> '(x|y|z)'.*"), m);
    assertTrue(m.contains("'x'") && m.contains("'y'") && m.contains("'z'"), m);
    assertThrows(GraphException.class, () -> Graphs.validate(TaskGraph.fromTasks(tasks)));
  }

  @Test
  void selfLoopIsACycle() {
    Map<Key, Task> tasks = Map.of(Key.of("me"), Task.of(Ops.INC, Key.of("me")));
    GraphException e = assertThrows(GraphException.class,
        () -> ExecutionPlan.of(TaskGraph.fromTasks(tasks), List.of(Key.of("me"))));
    assertTrue(e.getMessage().contains("'me' -> 'me'"), e.getMessage());
  }

  @Test
  void cullsWhatOutputsDoNotNeed() {
    Map<Key, Task> tasks = new HashMap<>();
    tasks.put(Key.of("a"), Task.constant(1));
    tasks.put(Key.of("b"), Task.of(Ops.INC, Key.of("a")));
    tasks.put(Key.of("unused"), Task.of(Ops.INC, Key.of("a")));
    ExecutionPlan p = ExecutionPlan.of(TaskGraph.fromTasks(tasks), List.of(Key.of("b")));
    assertEquals(2, p.size());
  }

  /** Priorities are a permutation and a topological order, on random DAGs. */
  @Test
  void prioritiesAreATopologicalPermutation() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rnd.nextInt(300);
      Map<Key, Task> tasks = new HashMap<>();
      for (int i = 0; i < n; i++) {
        List<Object> deps = new ArrayList<>();
        for (int j = 0; j < i && deps.size() < 4; j++) {
          if (rnd.nextInt(Math.max(1, i / 3)) == 0) {
            deps.add(Key.of("t", rnd.nextInt(i)));
          }
        }
        tasks.put(Key.of("t", i), deps.isEmpty() ? Task.constant(1) : Task.of(Ops.ADD,
            deps.toArray()));
      }
      List<Key> outs = new ArrayList<>(tasks.keySet());
      ExecutionPlan p = ExecutionPlan.of(TaskGraph.fromTasks(tasks), outs);
      boolean[] seen = new boolean[p.size()];
      for (int i = 0; i < p.size(); i++) {
        assertTrue(!seen[p.priority(i)]);
        seen[p.priority(i)] = true;
        for (int j = 0; j < p.dependencyCount(i); j++) {
          assertTrue(p.priority(p.dependency(i, j)) < p.priority(i));
        }
      }
    }
  }

  /**
   * On a tree reduction, running tasks in priority order holds few results at once: one
   * branch is finished before the next begins (logarithmic, not linear, in the leaf count).
   */
  @Test
  void orderFinishesBranchesFirst() throws Exception {
    int leaves = 1024;
    Map<Key, Task> tasks = new HashMap<>();
    List<Key> level = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      Key load = Key.of("load", i);
      tasks.put(load, Task.constant(i));
      Key work = Key.of("work", i);
      tasks.put(work, Task.of(Ops.INC, load));
      level.add(work);
    }
    int depth = 0;
    while (level.size() > 1) {
      List<Key> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        Key k = Key.of("sum" + depth, i / 2);
        tasks.put(k, Task.of(Ops.ADD, level.get(i), level.get(i + 1)));
        next.add(k);
      }
      level = next;
      depth++;
    }
    Key root = level.get(0);
    ExecutionPlan p = ExecutionPlan.of(TaskGraph.fromTasks(tasks), List.of(root));
    int peak = peakHeld(p);
    assertTrue(peak <= depth + 2, "peak " + peak + " results held for depth " + depth);
    assertEquals(leaves * (leaves + 1) / 2, Eval.one(TaskGraph.fromTasks(tasks), root));
  }

  /** Simulates a one-worker run in priority order and returns the peak of held results. */
  static int peakHeld(ExecutionPlan p) {
    int[] remaining = new int[p.size()];
    for (int i = 0; i < p.size(); i++) {
      remaining[i] = p.dependentCount(i);
    }
    int held = 0;
    int peak = 0;
    for (int i : p.executionOrder()) {
      held++;
      for (int j = 0; j < p.dependencyCount(i); j++) {
        if (--remaining[p.dependency(i, j)] == 0) {
          held--;
        }
      }
      peak = Math.max(peak, held);
    }
    return peak;
  }

  @Test
  void heavierBranchRunsFirst() {
    // root needs a light leaf and a heavy subtree; the heavy one should be computed first
    Map<Key, Task> tasks = new HashMap<>();
    tasks.put(Key.of("light"), Task.constant(1));
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.put(Key.of("h", i), Task.constant(i));
      parts.add(Key.of("h", i));
    }
    tasks.put(Key.of("heavy"), Task.of(Ops.ADD, parts.toArray()));
    tasks.put(Key.of("root"), Task.of(Ops.ADD, Key.of("light"), Key.of("heavy")));
    ExecutionPlan p = ExecutionPlan.of(TaskGraph.fromTasks(tasks), List.of(Key.of("root")));
    Map<Key, Integer> prio = new HashMap<>();
    for (int i = 0; i < p.size(); i++) {
      prio.put(p.key(i), p.priority(i));
    }
    assertTrue(prio.get(Key.of("heavy")) < prio.get(Key.of("light")));
    assertEquals(prio, Graphs.order(TaskGraph.fromTasks(tasks), List.of(Key.of("root"))));
  }
}
