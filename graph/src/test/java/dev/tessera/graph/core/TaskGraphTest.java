package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskGraphTest {
  static int inc(int x) {
    return x + 1;
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void layersKeepOperationsAndTheirDependencies() {
    Key a = Key.of("a-00000000aaaaaaaa");
    Key b = Key.of("b-00000000bbbbbbbb", 0);
    Key b1 = Key.of("b-00000000bbbbbbbb", 1);
    TaskGraph ga = TaskGraph.of(Layer.of(a.name(), Map.of(a, Task.constant(1))));
    TaskGraph gb = TaskGraph.of(Layer.of(b.name(), "inc-twice",
        Map.of(b, Task.of(Ops.INC, a), b1, Task.of(Ops.INC, a))), ga);
    assertEquals(3, gb.size());
    assertEquals(List.of(a.name(), b.name()), gb.layers().stream().map(Layer::name).toList());
    assertEquals("inc-twice", gb.layers().get(1).operation());
    assertEquals("a", gb.layers().get(0).operation());
    assertEquals(Set.of(a.name()), gb.layerDependencies().get(b.name()));
    assertEquals(Set.of(), gb.layerDependencies().get(a.name()));
    assertTrue(gb.contains(b1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> gb.get(Key.of("zzz")));
    assertTrue(e.getMessage().contains("'zzz'"), e.getMessage());
  }

  @Test
  void mergeSharesLayersOnce() {
    Delayed<Integer> x = Delayed.call(TaskGraphTest::inc, Delayed.value(1));
    Delayed<Integer> y = Delayed.call(TaskGraphTest::inc, x);
    Delayed<Integer> z = Delayed.call(TaskGraphTest::inc, x);
    assertEquals(y.key(), z.key()); // the same expression: the same key
    Delayed<Integer> w = Delayed.call(v -> v * 2, x);
    TaskGraph merged = TaskGraph.merge(y.graph(), z.graph(), w.graph(), x.graph());
    assertEquals(3, merged.size());
    assertEquals(3, merged.layers().size());
    assertSame(y.graph(), TaskGraph.merge(y.graph(), TaskGraph.empty()));
    assertEquals(0, TaskGraph.merge(List.of()).size());
  }

  @Test
  void deepChainsFlattenAndSerializeWithoutRecursion() throws Exception {
    Delayed<Integer> d = Delayed.value(0);
    for (int i = 0; i < 100_000; i++) {
      d = Delayed.call(TaskGraphTest::inc, d);
    }
    assertEquals(100_000, d.graph().size());
    TaskGraph copy = roundTrip(d.graph());
    assertEquals(100_000, copy.size());
    assertEquals(d.graph().tasks().keySet(), copy.tasks().keySet());
    assertEquals(100_000, Eval.one(copy, d.key()));
  }

  @Test
  void graphsRoundTripThroughJavaSerialization() throws Exception {
    int offset = 5;
    Fn2<Integer, Integer, Integer> f = (a, b) -> a * b + offset;
    Delayed<Integer> a = Delayed.call(TaskGraphTest::inc, Delayed.value(2));
    Delayed<Integer> b = Delayed.apply(args -> (Integer) args[0] + ((List<?>) args[1]).size(),
        a, List.of(a, Delayed.value(7), List.of(a)));
    Delayed<Integer> c = Delayed.call(f, a, b);
    TaskGraph copy = roundTrip(c.graph());
    assertEquals(c.graph().size(), copy.size());
    assertEquals(Eval.one(c.graph(), c.key()), Eval.one(copy, c.key()));
    assertEquals(3 * (3 + 3) + offset, Eval.one(copy, c.key()));
    // and every single task on its own
    for (Task t : c.graph().tasks().values()) {
      Task back = roundTrip(t);
      assertEquals(t.dependencies(), back.dependencies());
    }
  }

  @Test
  void fromTasksGroupsByName() {
    Map<Key, Task> tasks = new java.util.LinkedHashMap<>();
    List<Key> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Key k = Key.of("part", i);
      parts.add(k);
      tasks.put(k, Task.constant(i));
    }
    tasks.put(Key.of("total"), Task.of(Ops.ADD, parts.toArray()));
    TaskGraph g = TaskGraph.fromTasks(tasks);
    assertEquals(2, g.layers().size());
    assertEquals(Set.of("part"), g.layerDependencies().get("total"));
  }
}
