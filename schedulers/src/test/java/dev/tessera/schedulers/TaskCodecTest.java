package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tasks survive the compact form exactly, and what it cannot carry takes the Java form. */
class TaskCodecTest {
  private final Codecs codecs = new Codecs(List.of());

  private Task roundTrip(Task t) throws Exception {
    return codecs.decodeTask(codecs.encodeTask(t));
  }

  static int add(int a, int b) {
    return a + b;
  }

  static long sumAll(List<Integer> xs) {
    return xs.stream().mapToLong(x -> x).sum();
  }

  @Test
  void keysListsAndPlainValuesTakeTheCompactFormAndRunTheSame() throws Exception {
    Key a = Key.of("a-1", 0, 3);
    Key b = Key.of("b");
    Task t = Task.of(args -> java.util.Arrays.asList(args), a, 7, List.of(b, List.of(a, 2L)), "s", 1.5,
        new byte[] {1}, null);
    byte[] bytes = codecs.encodeTask(t);
    assertEquals(TaskCodec.COMPACT, bytes[0]);
    Task back = codecs.decodeTask(bytes);
    assertEquals(t.dependencies(), back.dependencies());
    Object[] deps = {"A", "B"};
    assertEquals(String.valueOf(t.run(deps)).replaceAll("\\[B@\\w+", "bytes"),
        String.valueOf(back.run(deps)).replaceAll("\\[B@\\w+", "bytes"));
  }

  @Test
  void delayedCallsOfMethodReferencesReuseTheFunctionBytes() throws Exception {
    Task one = Delayed.call(TaskCodecTest::add, Delayed.value(1), Delayed.value(2)).graph()
        .get(Delayed.call(TaskCodecTest::add, Delayed.value(1), Delayed.value(2)).key());
    for (int i = 0; i < 3; i++) {
      Delayed<Integer> d = Delayed.call(TaskCodecTest::add, Delayed.value(i), Delayed.value(10));
      Task t = d.graph().get(d.key());
      Task back = roundTrip(t);
      Object[] deps = new Object[back.dependencyCount()];
      for (int j = 0; j < deps.length; j++) {
        deps[j] = j == 0 ? i : 10; // the two value tasks, in order
      }
      assertEquals(i + 10, back.run(deps));
    }
    assertEquals(3, roundTrip(one).run(new Object[] {1, 2}));
    // the graph's own function records (package-private) are recognised as stateless: the
    // second encoding reuses the first one's function bytes (the same array object)
    Task t1 = Delayed.call(TaskCodecTest::add, Delayed.value(5), Delayed.value(6)).graph()
        .get(Delayed.call(TaskCodecTest::add, Delayed.value(5), Delayed.value(6)).key());
    byte[] e1 = codecs.encodeTask(t1);
    byte[] e2 = codecs.encodeTask(t1);
    assertEquals(java.util.Arrays.toString(e1), java.util.Arrays.toString(e2));
    assertTrue(codecs.tasks().cachedFunctions() > 0, "the function's bytes are cached");
  }

  @Test
  void aLambdaThatCapturesStateIsSentWithItsStateEveryTime() throws Exception {
    List<Integer> xs = new ArrayList<>(List.of(1));
    TaskFunction f = args -> xs.size();
    assertEquals(1, roundTrip(Task.of(f)).run(new Object[0]));
    xs.add(2);
    assertEquals(2, roundTrip(Task.of(f)).run(new Object[0]), "not a stale cached copy");
  }

  @Test
  void otherArgumentsTakeTheJavaForm() throws Exception {
    Task t = Task.constant(Key.of("quoted")); // a quoted key is a value, not a dependency
    byte[] bytes = codecs.encodeTask(t);
    assertNotEquals(TaskCodec.COMPACT, bytes[0]);
    assertEquals(Key.of("quoted"), codecs.decodeTask(bytes).run(new Object[0]));
  }

  @Test
  void aFunctionThatDoesNotSerializeStillSaysWhich() {
    Object lock = new Object();
    TaskFunction f = args -> lock.hashCode();
    assertThrows(NotSerializableException.class, () -> codecs.encodeTask(Task.of(f, 1)));
  }
}
