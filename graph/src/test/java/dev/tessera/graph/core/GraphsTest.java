package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphsTest {
  /** A random DAG of constants, increments and sums, with a few outputs. */
  static TaskGraph randomGraph(Random rnd, int n) {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int kind = i == 0 ? 0 : rnd.nextInt(4);
      Key k = Key.of("t", i);
      if (kind == 0) {
        tasks.put(k, Task.constant(rnd.nextInt(10)));
      } else if (kind == 1 || kind == 2) {
        tasks.put(k, Task.of(Ops.INC, Key.of("t", i - 1 - rnd.nextInt(Math.min(i, 3)))));
      } else {
        List<Object> deps = new ArrayList<>();
        for (int j = 0; j < 1 + rnd.nextInt(3); j++) {
          deps.add(Key.of("t", rnd.nextInt(i)));
        }
        tasks.put(k, Task.of(Ops.ADD, deps.toArray()));
      }
    }
    return TaskGraph.fromTasks(tasks);
  }

  static List<Key> someOutputs(Random rnd, int n) {
    List<Key> outs = new ArrayList<>();
    outs.add(Key.of("t", n - 1));
    for (int j = 0; j < 3; j++) {
      outs.add(Key.of("t", rnd.nextInt(n)));
    }
    return outs;
  }

  @Test
  void passesKeepTheValuesOfTheOutputs() throws Exception {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + rnd.nextInt(120);
      TaskGraph g = randomGraph(rnd, n);
      List<Key> outs = someOutputs(rnd, n);
      List<Object> expected = Eval.run(g, outs);
      assertEquals(expected, Eval.run(Graphs.cull(g, outs), outs));
      assertEquals(expected, Eval.run(Graphs.fuse(g, outs), outs));
      assertEquals(expected, Eval.run(Graphs.inline(g, outs), outs));
      assertEquals(expected, Eval.run(Graphs.inline(g, outs, t -> !t.isConstant()), outs));
      TaskGraph all = Graphs.fuse(Graphs.inline(Graphs.cull(g, outs), outs), outs);
      assertEquals(expected, Eval.run(all, outs));
      assertEquals(expected, Eval.run(TaskGraphTest.roundTrip(all), outs));
    }
  }

  @Test
  void cullDropsUnneededTasksAndKeepsLayers() {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("a", 0), Task.constant(1));
    tasks.put(Key.of("a", 1), Task.constant(2));
    tasks.put(Key.of("b", 0), Task.of(Ops.INC, Key.of("a", 0)));
    tasks.put(Key.of("b", 1), Task.of(Ops.INC, Key.of("a", 1)));
    TaskGraph g = TaskGraph.fromTasks(tasks);
    TaskGraph c = Graphs.cull(g, List.of(Key.of("b", 0)));
    assertEquals(Set.of(Key.of("a", 0), Key.of("b", 0)), c.tasks().keySet());
    assertEquals(List.of("a", "b"), c.layers().stream().map(Layer::name).toList());
    assertSame(g, Graphs.cull(g, List.of(Key.of("b", 0), Key.of("b", 1))));
  }

  @Test
  void fuseMergesLinearChainsIntoOneTask() throws Exception {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("c", 0), Task.constant(0));
    for (int i = 1; i <= 100; i++) {
      tasks.put(Key.of("c", i), Task.of(Ops.INC, Key.of("c", i - 1)));
    }
    TaskGraph g = TaskGraph.fromTasks(tasks);
    TaskGraph f = Graphs.fuse(g, List.of(Key.of("c", 100)));
    assertEquals(1, f.size());
    assertEquals(100, Eval.one(f, Key.of("c", 100)));
    // a kept key in the middle splits the chain there
    TaskGraph f2 = Graphs.fuse(g, List.of(Key.of("c", 100), Key.of("c", 50)));
    assertEquals(2, f2.size());
    assertEquals(List.of(50, 100), Eval.run(f2, List.of(Key.of("c", 50), Key.of("c", 100))));
  }

  @Test
  void fuseLeavesBranchesAlone() {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("a"), Task.constant(1));
    tasks.put(Key.of("b"), Task.of(Ops.INC, Key.of("a")));
    tasks.put(Key.of("c"), Task.of(Ops.INC, Key.of("a")));
    tasks.put(Key.of("d"), Task.of(Ops.ADD, Key.of("b"), Key.of("c")));
    TaskGraph g = TaskGraph.fromTasks(tasks);
    assertSame(g, Graphs.fuse(g, List.of(Key.of("d"))));
  }

  @Test
  void inlineTurnsConstantsIntoLiterals() throws Exception {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("x"), Task.constant(List.of(Key.of("not-a-reference"))));
    tasks.put(Key.of("n"), Task.constant(41));
    TaskFunction sizePlus = args -> ((List<?>) args[0]).size() + (Integer) args[1];
    tasks.put(Key.of("y"), Task.of(sizePlus, Key.of("x"), Key.of("n")));
    TaskGraph g = Graphs.inline(TaskGraph.fromTasks(tasks), List.of(Key.of("y")));
    assertEquals(Set.of(Key.of("y")), g.tasks().keySet());
    assertEquals(0, g.get(Key.of("y")).dependencyCount());
    assertEquals(42, Eval.one(g, Key.of("y")));
  }

  @Test
  void inlineRecomputesCheapTasksInEachUser() throws Exception {
    int[] calls = {0};
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("seed"), Task.constant(3));
    tasks.put(Key.of("gen"), Task.of(Ops.INC, Key.of("seed")));
    tasks.put(Key.of("u", 0), Task.of(Ops.INC, Key.of("gen")));
    tasks.put(Key.of("u", 1), Task.of(Ops.ADD, Key.of("gen"), Key.of("gen")));
    List<Key> outs = List.of(Key.of("u", 0), Key.of("u", 1));
    TaskGraph g = TaskGraph.fromTasks(tasks);
    TaskGraph in = Graphs.inline(g, outs, t -> t.function() instanceof Ops.Inc);
    assertFalse(in.contains(Key.of("gen")));
    assertTrue(in.contains(Key.of("seed")));
    assertEquals(Eval.run(g, outs), Eval.run(in, outs));
    assertEquals(List.of(5, 8), Eval.run(in, outs));
    assertEquals(0, calls[0]);
  }

  @Test
  void passesReportCycles() {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    tasks.put(Key.of("x"), Task.of(Ops.INC, Key.of("y")));
    tasks.put(Key.of("y"), Task.of(Ops.INC, Key.of("x")));
    TaskGraph g = TaskGraph.fromTasks(tasks);
    assertThrows(GraphException.class, () -> Graphs.fuse(g, List.of()));
    assertThrows(GraphException.class, () -> Graphs.inline(g, List.of()));
  }

  @Test
  void toposortPutsDependenciesFirst() {
    Random rnd = new Random(3);
    TaskGraph g = randomGraph(rnd, 200);
    List<Key> order = Graphs.toposort(g, List.of(Key.of("t", 199)));
    Map<Key, Integer> pos = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      pos.put(order.get(i), i);
    }
    for (Key k : order) {
      for (Key d : g.get(k).dependencies()) {
        assertTrue(pos.get(d) < pos.get(k));
      }
    }
  }
}
