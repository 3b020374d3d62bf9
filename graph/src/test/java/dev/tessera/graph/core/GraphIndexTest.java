package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphIndexTest {
  /** a0, a1 constants; b(i) = a(i) + 1; c = b0 + b1; two layers with labels. */
  static TaskGraph labelled() {
    Map<Key, Task> a = new LinkedHashMap<>();
    a.put(Key.of("a-1", 0), Task.constant(1));
    a.put(Key.of("a-1", 1), Task.constant(2));
    Map<Key, Task> b = new LinkedHashMap<>();
    b.put(Key.of("b-2", 0), Task.of(Ops.INC, Key.of("a-1", 0)));
    b.put(Key.of("b-2", 1), Task.of(Ops.INC, Key.of("a-1", 1)));
    TaskGraph ga = TaskGraph.of(Layer.of("a-1", "load", a));
    TaskGraph gb = TaskGraph.of(Layer.of("b-2", "inc", b), ga);
    return TaskGraph.of(Layer.of("c-3", "total", Map.of(Key.of("c-3"),
        Task.of(Ops.ADD, Key.of("b-2", 0), Key.of("b-2", 1)))), gb);
  }

  @Test
  void indexMatchesTheTasks() {
    TaskGraph g = labelled();
    GraphIndex idx = g.index();
    assertEquals(5, idx.size());
    assertSame(idx, g.index());   // computed once
    int c = idx.position(Key.of("c-3"));
    assertEquals(2, idx.dependencyCount(c));
    assertEquals(Key.of("b-2", 0), idx.key(idx.dependency(c, 0)));
    assertEquals(Key.of("b-2", 1), idx.key(idx.dependency(c, 1)));
    assertEquals(1, idx.dependentCount(idx.position(Key.of("a-1", 1))));
    assertEquals(-1, idx.position(Key.of("zzz")));
    int[] rank = new int[idx.size()];
    for (int r = 0; r < idx.size(); r++) {
      rank[idx.topological(r)] = r;
    }
    for (int i = 0; i < idx.size(); i++) {
      for (int j = 0; j < idx.dependencyCount(i); j++) {
        assertTrue(rank[idx.dependency(i, j)] < rank[i]);
      }
    }
  }

  @Test
  void replaceKeepsLayersLabelsAndValues() throws Exception {
    TaskGraph g = labelled();
    TaskGraph r = g.replace(Map.of(Key.of("b-2", 1), Task.of(Ops.ADD, Key.of("b-2", 0), 10)));
    assertEquals(List.of("load", "inc", "total"),
        r.layers().stream().map(Layer::operation).toList());
    assertEquals(List.of("a-1", "b-2", "c-3"), r.layers().stream().map(Layer::name).toList());
    assertSame(g.layers().get(0), r.layers().get(0));   // untouched layers are reused
    assertEquals(5, r.size());
    // b1 = b0 + 10 = 12, c = 2 + 12
    assertEquals(14, Eval.one(r, Key.of("c-3")));
    assertEquals(14, Eval.one(TaskGraphTest.roundTrip(r), Key.of("c-3")));
    // a1 is no longer needed by the outputs: culling the replaced graph drops it
    assertEquals(4, Graphs.cull(r, List.of(Key.of("c-3"))).size());
    assertEquals(2, r.layers().get(0).tasks().size());
  }

  @Test
  void replaceByPositionEqualsReplaceByKey() throws Exception {
    TaskGraph g = labelled();
    Task t = Task.of(Ops.ADD, Key.of("b-2", 0), 10);
    Task[] byPosition = new Task[g.index().size()];
    byPosition[g.index().position(Key.of("b-2", 1))] = t;
    TaskGraph r = g.replace(byPosition);
    assertEquals(14, Eval.one(r, Key.of("c-3")));
    assertEquals(g.replace(Map.of(Key.of("b-2", 1), t)).layers().stream().map(Layer::name)
        .toList(), r.layers().stream().map(Layer::name).toList());
    assertSame(g, g.replace(new Task[g.index().size()]));   // nothing to replace
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.replace(new Task[1]));
    assertTrue(e.getMessage().contains("one entry per position"), e.getMessage());
  }

  @Test
  void rewrittenLayersKeepTheirInfo() {
    TaskGraph g = labelled();
    Layer b = g.layers().get(1).withInfo(Map.of("shape", "(2)"));
    TaskGraph withInfo = TaskGraph.of(b, TaskGraph.of(g.layers().get(0)));
    TaskGraph r = withInfo.replace(Map.of(Key.of("b-2", 1), Task.of(Ops.ADD, Key.of("b-2", 0), 1)));
    assertEquals(Map.of("shape", "(2)"), r.layers().get(1).info());
    assertEquals("inc", r.layers().get(1).operation());
  }

  @Test
  void replaceRejectsMissingKeysAndCycles() {
    TaskGraph g = labelled();
    assertThrows(IllegalArgumentException.class,
        () -> g.replace(Map.of(Key.of("nope"), Task.constant(0))));
    GraphException missing = assertThrows(GraphException.class,
        () -> g.replace(Map.of(Key.of("b-2", 0), Task.of(Ops.INC, Key.of("nope")))));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    GraphException cycle = assertThrows(GraphException.class,
        () -> g.replace(Map.of(Key.of("a-1", 0), Task.of(Ops.INC, Key.of("c-3")))));
    assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
  }

  @Test
  void passesHandOnTheirIndexAndKeepLabels() throws Exception {
    TaskGraph g = labelled();
    List<Key> out = List.of(Key.of("c-3"));
    TaskGraph fused = Graphs.fuse(Graphs.cull(g, out), out);
    // b(i) absorbed a(i): the fused tasks stay in b's layer, under its label
    assertEquals(3, fused.size());
    assertEquals(List.of("inc", "total"), fused.layers().stream().map(Layer::operation).toList());
    ExecutionPlan plan = ExecutionPlan.of(fused, out);
    assertSame(fused.index(), plan.index());   // nothing to cull: the pass's index is used
    assertEquals(5, Eval.one(fused, Key.of("c-3")));
  }

  @Test
  void aLayerOnTopOfAPassResultSeesItsTasks() throws Exception {
    TaskGraph g = labelled();
    List<Key> out = List.of(Key.of("c-3"));
    TaskGraph fused = Graphs.fuse(Graphs.cull(g, out), out);
    TaskGraph more = TaskGraph.of(Layer.of("d-4", "double", Map.of(Key.of("d-4"),
        Task.of(Ops.ADD, Key.of("c-3"), Key.of("c-3")))), fused);
    assertEquals(4, more.size());
    assertEquals(List.of("b-2", "c-3", "d-4"), more.layers().stream().map(Layer::name).toList());
    assertEquals(10, Eval.one(more, Key.of("d-4")));
  }

  @Test
  void derivedIndexesAgreeWithFreshOnes() throws Exception {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 40; trial++) {
      int n = 1 + rnd.nextInt(100);
      TaskGraph g = GraphsTest.randomGraph(rnd, n);
      List<Key> outs = GraphsTest.someOutputs(rnd, n);
      TaskGraph passed = Graphs.fuse(Graphs.inline(Graphs.cull(g, outs), outs,
          t -> !t.isConstant() && rnd.nextBoolean()), outs);
      GraphIndex derived = passed.index();
      GraphIndex fresh = TaskGraph.fromTasks(new HashMap<>(passed.tasks())).index();
      assertEquals(fresh.size(), derived.size());
      for (int i = 0; i < derived.size(); i++) {
        Key k = derived.key(i);
        int f = fresh.position(k);
        assertEquals(derived.dependentCount(i), fresh.dependentCount(f), k.toString());
        for (int j = 0; j < derived.dependencyCount(i); j++) {
          assertEquals(fresh.key(fresh.dependency(f, j)), derived.key(derived.dependency(i, j)));
        }
      }
      assertEquals(Eval.run(g, outs), Eval.run(passed, outs));
    }
  }
}
