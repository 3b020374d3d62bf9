package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {
  @Test
  void dependenciesAreDistinctAndInFirstSeenOrder() {
    Key a = Key.of("a");
    Key b = Key.of("b");
    Task t = Task.of(Ops.ADD, b, 3, a, b, List.of(a, List.of(Key.of("c"))));
    assertEquals(List.of(b, a, Key.of("c")), t.dependencies());
  }

  @Test
  void nestedListsResolveToAnyDepth() throws Exception {
    Key a = Key.of("a");
    Key b = Key.of("b");
    TaskFunction echo = args -> List.of(args);
    Task t = Task.of(echo, List.of(a, 1, List.of(b, List.of(a))), b);
    Object out = t.run(new Object[] {"A", "B"});
    assertEquals(List.of(List.of(List.of("A", 1, List.of("B", List.of("A"))), "B")),
        List.of(out));
  }

  @Test
  void manyNestedKeysResolveQuickly() throws Exception {
    List<Key> keys = new ArrayList<>();
    Object[] values = new Object[50_000];
    for (int i = 0; i < values.length; i++) {
      keys.add(Key.of("k", i));
      values[i] = i;
    }
    Task t = Task.of(Ops.SUM_LIST, keys);
    long t0 = System.nanoTime();
    Object sum = t.run(values);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals((int) (50_000L * 49_999 / 2), sum);
    assertTrue(ms < 2_000, "resolving 50,000 nested keys took " + ms + " ms");
  }

  @Test
  void quotedKeysAndListsStayLiteral() throws Exception {
    Key a = Key.of("a");
    TaskFunction first = args -> args[0];
    assertEquals(a, Task.of(first, Task.quote(a)).run(new Object[0]));
    assertEquals(List.of(a), Task.constant(List.of(a)).run(new Object[0]));
    assertTrue(Task.constant(List.of(a)).isConstant());
    assertEquals(0, Task.constant(List.of(a)).dependencyCount());
    assertTrue(Task.alias(a).isAlias());
    assertEquals("x", Task.alias(a).run(new Object[] {"x"}));
  }

  @Test
  void argumentsAreAnUnmodifiableCopy() {
    Object[] args = {1, 2};
    Task t = Task.of(Ops.ADD, args);
    args[0] = 5;
    assertEquals(List.of(1, 2), t.args());
  }

  @Test
  void dependencyOfArgumentNamesEachKeyArgumentsPosition() {
    Key a = Key.of("a");
    Key b = Key.of("b");
    for (int extra : new int[] {0, 20}) {   // the small flat path and the general one
      Object[] args = new Object[4 + extra];
      args[0] = b;
      args[1] = 3;
      args[2] = a;
      args[3] = b;
      for (int i = 4; i < args.length; i++) {
        args[i] = i;
      }
      Task t = Task.of(Ops.ADD, args);
      assertEquals(args.length, t.argumentCount());
      assertEquals(0, t.dependencyOfArgument(0));
      assertEquals(-1, t.dependencyOfArgument(1));
      assertEquals(1, t.dependencyOfArgument(2));
      assertEquals(0, t.dependencyOfArgument(3));   // a repeated key: the same position
    }
    Task nested = Task.of(Ops.ADD, List.of(a), b);
    assertEquals(-1, nested.dependencyOfArgument(0));   // a list, which holds keys
    assertEquals(1, nested.dependencyOfArgument(1));
    assertEquals(-1, Task.of(Ops.ADD, 1, 2).dependencyOfArgument(1));
    org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
        () -> nested.dependencyOfArgument(2));
  }

  @Test
  void withFunctionKeepsTheArgumentsAndDependencies() throws Exception {
    Key a = Key.of("a");
    Task t = Task.of(Ops.ADD, a, 10, List.of(a));
    Task swapped = t.withFunction(args -> List.of(args));
    assertEquals(t.args(), swapped.args());
    assertEquals(t.dependencies(), swapped.dependencies());
    assertEquals(List.of(List.of(7, 10, List.of(7))), List.of(swapped.run(new Object[] {7})));
  }
}
