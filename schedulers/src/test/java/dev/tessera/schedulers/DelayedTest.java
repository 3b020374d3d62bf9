package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Delayed on the synchronous scheduler, against plain Java. */
class DelayedTest {
  static int square(int x) {
    return x * x;
  }

  static String join(String a, Integer b, Double c) {
    return a + b + c;
  }

  static int readFile(String path) throws IOException {
    throw new IOException("cannot read " + path);
  }

  @Test
  void typedCallsOfOneTwoAndThreeArguments() {
    Delayed<Integer> a = Delayed.call(DelayedTest::square, Delayed.value(7));
    Delayed<Integer> b = Delayed.call(Integer::sum, a, Delayed.value(1));
    Delayed<String> c = Delayed.call(DelayedTest::join, Delayed.value("x"), b, Delayed.value(.5));
    assertEquals("x500.5", c.compute(Schedulers.sync()));
    assertEquals(50, a.map(v -> v + 1).compute(Schedulers.sync()));
  }

  @Test
  void listsOfDelayedValues() {
    List<Delayed<Integer>> squares = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      squares.add(Delayed.call(DelayedTest::square, Delayed.value(i)));
    }
    Delayed<Integer> total = Delayed.call(l -> l.stream().mapToInt(x -> x).sum(),
        Delayed.list(squares));
    assertEquals(IntStream.range(0, 100).map(i -> i * i).sum(),
        total.compute(Schedulers.sync()));
    assertEquals(List.of(), Delayed.list(List.<Delayed<Integer>>of()).compute(Schedulers.sync()));
  }

  @Test
  void literalsComputeToThemselves() {
    assertEquals("hello", Delayed.value("hello").compute(Schedulers.sync()));
    assertEquals(List.of(Key.of("k")), Delayed.value(List.of(Key.of("k")))
        .compute(Schedulers.sync()));
    assertEquals(null, Delayed.value(null).compute(Schedulers.sync()));
  }

  @Test
  void otherCollectionsAsArgumentsArriveComputed() {
    Delayed<Integer> a = Delayed.call(DelayedTest::square, Delayed.value(3));
    // a collection that is not a Delayed: its value is assembled inside a task
    Delayed<Integer> viaList = Delayed.apply(args -> ((List<?>) args[0]).size(),
        Delayed.list(List.of(a, a, a)));
    assertEquals(3, viaList.compute(Schedulers.sync()));
  }

  @Test
  void keysAreDeterministicAndDistinguishArguments() {
    Fn1<Integer, Integer> f = DelayedTest::square;
    assertEquals(Delayed.call(f, Delayed.value(2)).key(), Delayed.call(f, Delayed.value(2)).key());
    assertNotEquals(Delayed.call(f, Delayed.value(2)).key(),
        Delayed.call(f, Delayed.value(3)).key());
    assertEquals("square", Delayed.call(f, Delayed.value(2)).key().prefix());
    assertEquals("lambda", Delayed.call((Integer x) -> x, Delayed.value(2)).key().prefix());
    Delayed<Integer> named = Delayed.call(f, Delayed.value(2)).named("load");
    assertEquals("load", named.key().prefix());
    assertEquals(4, named.compute(Schedulers.sync()));
  }

  @Test
  void failingUserFunctionKeepsItsCheckedException() {
    Delayed<Integer> bad = Delayed.call(DelayedTest::readFile, Delayed.value("/no/such"));
    Delayed<Integer> after = Delayed.call(DelayedTest::square, bad);
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> after.compute(Schedulers.sync()));
    assertEquals(bad.key(), e.key());
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(e.getMessage().contains("readFile"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot read /no/such"), e.getMessage());
  }

  @Test
  void computeManyAtOnce() {
    Delayed<Integer> a = Delayed.call(DelayedTest::square, Delayed.value(4));
    Delayed<Integer> b = Delayed.call(Integer::sum, a, a);
    assertEquals(List.of(16, 32), Tessera.compute(List.of(a, b), Schedulers.sync()));
  }

  @Test
  void persistReturnsADelayedOfTheSameKey() {
    Delayed<Integer> a = Delayed.call(DelayedTest::square, Delayed.value(5));
    Delayed<Integer> p = a.persist(Schedulers.sync());
    assertEquals(a.key(), p.key());
    assertEquals(25, p.compute(Schedulers.sync()));
    assertTrue(dev.tessera.graph.spi.RemoteValue.of(p.graph().tasks().get(p.key())) != null,
        "the persisted graph holds a handle to the result");
  }
}
