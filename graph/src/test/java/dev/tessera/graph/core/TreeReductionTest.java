package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.Lazy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeReductionTest {
  /** Concatenates lists of strings in order: associative, not commutative. */
  record Concat() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      StringBuilder b = new StringBuilder();
      for (Object o : (List<?>) args[0]) {
        b.append(o);
      }
      return b.toString();
    }
  }

  /** Concatenates and brackets: aggregate = finish(combine(parts)). */
  record Finish() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return "[" + new Concat().apply(args) + "]";
    }
  }

  static TaskGraph chunks(int n, List<Key> parts) {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Key k = Key.of("cat-chunk-00", i);
      tasks.put(k, Task.constant(Character.toString('a' + i % 26)));
      parts.add(k);
    }
    return TaskGraph.of(Layer.of("cat-chunk-00", TreeReduction.chunkPrefix("cat"), tasks));
  }

  @Test
  void everyTreeShapeGivesTheSequentialAnswer() throws Exception {
    for (int n : new int[] {1, 2, 7, 8, 9, 64, 65, 300}) {
      for (int split : new int[] {2, 3, 8}) {
        List<Key> parts = new ArrayList<>();
        TaskGraph g = chunks(n, parts);
        TreeReduction.Tree t = TreeReduction.build(g, parts, "cat", "concat", split, 1,
            p -> new Concat(), p -> new Finish());
        StringBuilder expected = new StringBuilder("[");
        int tasks = n + 1;   // chunks and the aggregate
        for (int level = n; level > split; level = (level + split - 1) / split) {
          tasks += (level + split - 1) / split;
        }
        for (int i = 0; i < n; i++) {
          expected.append((char) ('a' + i % 26));
        }
        assertEquals(expected + "]", Eval.one(t.graph(), t.results().get(0)), n + "/" + split);
        assertEquals(tasks, ExecutionPlan.of(t.graph(), t.results()).size(), n + "/" + split);
        // no task gets more than splitEvery partials
        for (Task task : t.graph().tasks().values()) {
          assertTrue(task.dependencyCount() <= split);
        }
        Layer result = t.graph().layers().get(t.graph().layers().size() - 1);
        assertEquals("cat", result.operation());
        assertTrue(result.name().startsWith("cat-") && result.name().equals(t.name()));
      }
    }
  }

  @Test
  void piecesAreSeparateTreesOverTheSameParts() throws Exception {
    List<Key> parts = new ArrayList<>();
    TaskGraph g = chunks(10, parts);
    TreeReduction.Tree t = TreeReduction.build(g, parts, "cat", "pieces", 4, 3,
        p -> new Concat(), p -> new Finish());
    assertEquals(3, t.results().size());
    for (int p = 0; p < 3; p++) {
      assertEquals(Key.of(t.name(), p), t.results().get(p));
      assertEquals("[abcdefghij]", Eval.one(t.graph(), t.results().get(p)));
    }
  }

  @Test
  void badArgumentsAreRefusedWhenBuilding() {
    List<Key> parts = new ArrayList<>();
    TaskGraph g = chunks(3, parts);
    assertThrows(GraphException.class, () -> TreeReduction.build(g, List.of(), "cat", "x", 4,
        1, p -> new Concat(), p -> new Finish()));
    GraphException split = assertThrows(GraphException.class, () -> TreeReduction.build(g,
        parts, "cat", "x", 1, 1, p -> new Concat(), p -> new Finish()));
    assertTrue(split.getMessage().contains("splitEvery"), split.getMessage());
  }

  @Test
  void delayedOfAnExistingKeyAddsNoTask() throws Exception {
    List<Key> parts = new ArrayList<>();
    TaskGraph g = chunks(5, parts);
    TreeReduction.Tree t = TreeReduction.build(g, parts, "cat", "d", 8, 1, p -> new Concat(),
        p -> new Finish());
    Delayed<String> d = Delayed.fromKey(t.results().get(0), t.graph());
    assertEquals(6, ExecutionPlan.of(d.graph(), d.outputKeys()).size());
    assertEquals("[abcde]", Eval.run(d.graph(), d.outputKeys()).get(0));
    assertThrows(GraphException.class, () -> Delayed.fromKey(Key.of("nope"), g));
    Lazy<String> joined = Lazy.of(g, parts, values -> {
      StringBuilder b = new StringBuilder();
      values.forEach(b::append);
      return b.toString();
    });
    assertEquals(parts, joined.outputKeys());
    assertEquals("abcde", joined.assembler().apply(Eval.run(g, parts)));
  }
}
