package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.EngineMessage;
import dev.tessera.graph.spi.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engines SPI's contract, for every scheduler that has engines: addressing, order per
 * engine, namespaces, errors, messages, and graph tasks running beside engine calls.
 * Subclasses give the scheduler (one per class, two engines).
 */
abstract class EnginesContractTest {
  /** {@return the scheduler under test, with 2 engines, shared by the class's tests} */
  abstract Scheduler scheduler();

  Engines engines() {
    return scheduler().engines().orElseThrow();
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  @Test
  void countsAndNamesItsEngines() throws Exception {
    Engines e = engines();
    assertEquals(2, e.count());
    assertNotEquals(e.name(0), e.name(1));
    assertTrue(e.name(1).contains("engine-1"), e.name(1));
    assertEquals(List.of(0, 2), await(e.call(0, c -> List.of(c.engine(), c.count()))));
    assertEquals(e.name(1), await(e.call(1, c -> c.name())));
    IndexOutOfBoundsException bad = assertThrows(IndexOutOfBoundsException.class,
        () -> e.call(2, c -> 1));
    assertTrue(bad.getMessage().contains("no engine 2"), bad.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> e.name(-1));
  }

  @Test
  void runsTheCallsToOneEngineInTheOrderTheyWereSent() throws Exception {
    Engines e = engines();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      calls.add(e.call(i % 2, c -> {
        @SuppressWarnings("unchecked")
        List<Integer> seen = (List<Integer>) c.namespace().computeIfAbsent("order",
            k -> new ArrayList<Integer>());
        seen.add(n);
        return seen.size();
      }));
    }
    for (CompletableFuture<Integer> f : calls) {
      await(f);
    }
    List<Integer> on0 = await(e.call(0, c -> new ArrayList<>(order(c.namespace().remove("order")))));
    List<Integer> on1 = await(e.call(1, c -> new ArrayList<>(order(c.namespace().remove("order")))));
    List<Integer> even = new ArrayList<>();
    List<Integer> odd = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      (i % 2 == 0 ? even : odd).add(i);
    }
    assertEquals(even, on0);
    assertEquals(odd, on1);
  }

  @SuppressWarnings("unchecked")
  private static List<Integer> order(Object o) {
    return (List<Integer>) o;
  }

  @Test
  void keepsEachEnginesNamespaceAcrossCalls() throws Exception {
    Engines e = engines();
    await(e.call(0, c -> c.namespace().put("a", 10)));
    await(e.call(1, c -> c.namespace().put("a", 20)));
    assertEquals(30, (int) await(e.call(0, c -> (Integer) c.namespace().get("a") + 20)));
    assertEquals((Object) 20, await(e.<Object>call(1, c -> c.namespace().remove("a"))));
    assertEquals((Object) 10, await(e.<Object>call(0, c -> c.namespace().remove("a"))));
  }

  @Test
  void aFailingCallFailsItsFutureAndTheEngineGoesOn() throws Exception {
    Engines e = engines();
    CompletableFuture<Integer> bad = e.call(1, c -> {
      throw new IllegalArgumentException("bad input 42");
    });
    ExecutionException x = assertThrows(ExecutionException.class, () -> await(bad));
    assertTrue(String.valueOf(x.getCause().getMessage()).contains("bad input 42"),
        String.valueOf(x.getCause()));
    assertEquals(Integer.valueOf(7), await(e.call(1, c -> 7)));
  }

  @Test
  void enginesSendEachOtherMessagesInOrder() throws Exception {
    Engines e = engines();
    CompletableFuture<List<Object>> receiver = e.call(1, c -> {
      List<Object> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        EngineMessage m = c.receive(Duration.ofSeconds(30));
        got.add(m.from() + ":" + m.tag() + ":" + m.value());
      }
      return got;
    });
    await(e.call(0, c -> {
      c.send(1, 5, "x");
      c.send(1, 6, null);
      c.send(1, 7, List.of(1.5, 2.5));
      return null;
    }));
    assertEquals(List.of("0:5:x", "0:6:null", "0:7:[1.5, 2.5]"), await(receiver));
    assertNull(await(e.call(0, c -> c.receive(Duration.ofMillis(1)))));
  }

  @Test
  void aPostFromOutsideWakesAReceiveAndGraphTasksRunMeanwhile() throws Exception {
    Engines e = engines();
    CompletableFuture<String> blocked = e.call(0, c -> {
      EngineMessage m = c.receive(Duration.ofSeconds(60));
      return m.from() + ":" + m.value();
    });
    // both engines' threads are busy or idle: graph tasks still have their own workers
    List<Delayed<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      parts.add(Delayed.value(i).map(v -> v * v));
    }
    assertEquals(140, Delayed.list(parts).map(l -> l.stream().mapToInt(v -> v).sum())
        .compute(scheduler()));
    assertFalse(blocked.isDone());
    e.post(0, 1, "wake");
    assertEquals(Engines.OUTSIDE + ":wake", await(blocked));
  }

  @Test
  void callsFromManyThreadsAllRun() throws Exception {
    Engines e = engines();
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 100;
      Thread th = new Thread(() -> {
        for (int i = 0; i < 25; i++) {
          int n = base + i;
          CompletableFuture<Integer> f = e.call(n % 2, c -> n);
          synchronized (all) {
            all.add(f);
          }
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    HashSet<Integer> got = new HashSet<>();
    for (CompletableFuture<Integer> f : all) {
      got.add(await(f));
    }
    assertEquals(100, got.size());
  }

  @Test
  void aFunctionThatThrowsAnErrorStillCompletes() throws Exception {
    Engines e = engines();
    CompletableFuture<Integer> f = e.call(0, c -> {
      throw new StackOverflowError("deep");
    });
    ExecutionException x = assertThrows(ExecutionException.class, () -> await(f));
    assertTrue(String.valueOf(x.getCause()).contains("deep"), String.valueOf(x.getCause()));
    assertInstanceOf(Integer.class, await(e.call(0, c -> 3)));
  }
}
