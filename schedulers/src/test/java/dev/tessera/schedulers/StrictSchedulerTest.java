package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StrictSchedulerTest {
  /** Changes its input: fine on one thread, wrong once the list is shared or shipped. */
  static int popFirst(List<Integer> xs) {
    return xs.remove(0);
  }

  static List<Integer> listOf(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  private static final AtomicInteger CALLS = new AtomicInteger();

  /** Not deterministic: reads shared state. */
  static int counter(int x) {
    return x + CALLS.incrementAndGet();
  }

  private static String strictFailure(Delayed<?> d, Scheduler s) {
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> d.compute(Schedulers.strict(s)));
    assertInstanceOf(StrictModeException.class, e.getCause(), e.toString());
    return e.getCause().getMessage();
  }

  @Test
  void correctTasksGiveTheSameResultsAsWithoutStrictMode() {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(Delayed.call(Work::inc, Delayed.value(i)));
    }
    Delayed<Long> sum = Delayed.call(Work::sum, Delayed.list(items));
    try (ThreadedScheduler threads = Schedulers.threads(2)) {
      assertEquals(sum.compute(Schedulers.sync()), sum.compute(Schedulers.strict(threads)));
    }
    assertEquals(1275L, sum.compute(Schedulers.strict(Schedulers.sync())));
  }

  @Test
  void reportsATaskThatChangesItsInput() {
    Delayed<List<Integer>> xs = Delayed.call(StrictSchedulerTest::listOf, Delayed.value(3));
    Delayed<Integer> pop = Delayed.call(StrictSchedulerTest::popFirst, xs);
    assertEquals(0, pop.compute(Schedulers.sync())); // unnoticed without strict mode
    String m = strictFailure(pop, Schedulers.sync());
    assertTrue(m.startsWith("task " + pop.key() + " modifies its input #0 (java.util."), m);
    assertTrue(m.contains("change a copy instead"), m);
  }

  @Test
  void reportsATaskThatIsNotDeterministic() {
    Delayed<Integer> d = Delayed.call(StrictSchedulerTest::counter, Delayed.value(1));
    String m = strictFailure(d, Schedulers.sync());
    assertTrue(m.startsWith("task " + d.key() + " is not deterministic"), m);
  }

  @Test
  void reportsAFunctionThatIsNotSerializable() {
    Object lock = new Object(); // captured: not serializable
    Fn1<Integer, Integer> f = x -> lock.hashCode() == 0 ? x : x + 1;
    Delayed<Integer> d = Delayed.call(f, Delayed.value(1));
    assertEquals(2, d.compute(Schedulers.sync())); // works on threads
    String m = strictFailure(d, Schedulers.sync());
    assertTrue(m.startsWith("task " + d.key() + " cannot be sent to a worker process"), m);
    assertTrue(m.contains("java.lang.Object"), m);
  }

  @Test
  void reportsAResultThatDoesNotGoThroughTheCodecs() {
    Delayed<Thread> d = Delayed.call(x -> new Thread(), Delayed.value(1));
    String m = strictFailure(d, Schedulers.sync());
    assertTrue(m.contains("its result (java.lang.Thread) does not go through the codecs"), m);
  }

  @Test
  void refusesWorkerProcesses() {
    try (ProcessScheduler p = Schedulers.processes(1)) {
      assertThrows(IllegalArgumentException.class, () -> Schedulers.strict(p));
    }
  }
}
