package dev.tessera.idioms.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ray's documented actor semantics on a Ray instance over two workers, shared by the class:
 * state kept on one worker, calls in the order sent, results as references, handles passed to
 * tasks, named actors, kill. Subclass it with the scheduler.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RayActorsContractTest {
  /** {@return the Ray instance under test, shared by the class} */
  protected abstract Ray ray();

  static int plusTen(int x) {
    return x + 10;
  }

  static int sleepy(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  /** A task that receives a handle and calls the actor twice. */
  static int incrementTwice(ActorHandle<Counter> c) {
    c.task(Counter::increment).remote();
    return c.task(Counter::increment).remote().get();
  }

  @Test
  void theSeedsCountersKeepTheirOwnState() {
    // counters = [Counter.remote() for i in range(4)]
    List<ActorHandle<Counter>> counters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      counters.add(ray().actor(Counter::new).remote());
    }
    for (ActorHandle<Counter> c : counters) {
      c.task(Counter::increment).remote();
    }
    counters.get(0).task(Counter::increment).remote();
    List<ObjectRef<Integer>> futures = new ArrayList<>();
    for (ActorHandle<Counter> c : counters) {
      futures.add(c.task(Counter::read).remote());
    }
    assertEquals(List.of(2, 1, 1, 1), ray().get(futures));
    counters.forEach(ActorHandle::kill);
  }

  @Test
  void callsRunInTheOrderTheyWereSentEvenBehindAPendingArgument() {
    ActorHandle<Counter> c = ray().actor(Counter::new, 100).remote();
    assertEquals(100, c.task(Counter::read).remote().get());
    ObjectRef<Integer> slow = ray().task(RayActorsContractTest::sleepy, 300).remote();
    c.task(Counter::append, slow).remote();     // waits for slow: later calls wait behind it
    for (int i = 0; i < 50; i++) {
      c.task(Counter::append, i).remote();
    }
    List<Integer> expected = new ArrayList<>(List.of(300));
    expected.addAll(IntStream.range(0, 50).boxed().collect(Collectors.toList()));
    assertEquals(expected, c.task(Counter::log).remote().get());
    c.kill();
  }

  @Test
  void eachCallersCallsRunInTheOrderItSentThem() throws Exception {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors
        .newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 1000;
        sent.add(callers.submit(() -> {
          for (int i = 0; i < 25; i++) {
            c.task(Counter::append, base + i).remote();
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }
    List<Integer> log = c.task(Counter::log).remote().get();
    assertEquals(100, log.size());
    for (int t = 0; t < 4; t++) {
      int base = t * 1000;
      List<Integer> mine = log.stream().filter(x -> x / 1000 == base / 1000)
          .collect(Collectors.toList());
      assertEquals(IntStream.range(0, 25).map(i -> base + i).boxed()
          .collect(Collectors.toList()), mine, "caller " + t + "'s calls in its order");
    }
    c.kill();
  }

  @Test
  void actorResultsAreReferencesForLaterTasks() {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    ObjectRef<Integer> one = c.task(Counter::increment).remote();
    assertEquals(11, ray().task(RayActorsContractTest::plusTen, one).remote().get());
    assertEquals(List.of(one), ray().wait(List.of(one), 1).ready());
    c.kill();
  }

  /**
   * {@return whether a task that receives a handle runs on the scheduler's workers (threads,
   * worker JVMs), rather than in the calling JVM (schedulers without WorkerEngines)}
   */
  protected boolean tasksWithHandlesRunOnWorkers() {
    return true;
  }

  /** A task that appends through a handle, in its own order, and says where it ran. */
  static List<Object> appendThrough(ActorHandle<Counter> c) {
    c.task(Counter::append, 10).remote();
    c.task(Counter::append, 11).remote();
    List<Integer> log = c.task(Counter::log).remote().get();
    return List.of(log, Thread.currentThread().getName(), ProcessHandle.current().pid());
  }

  @Test
  void aTaskWithAHandleRunsOnTheWorkersAfterTheCallersCallsInItsOwnOrder() {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    c.task(Counter::append, 1).remote();
    c.task(Counter::append, 2).remote(); // made before the task: they run before its calls
    List<Object> r = ray().task(RayActorsContractTest::appendThrough, c).remote().get();
    assertEquals(List.of(1, 2, 10, 11), r.get(0));
    // like any other task: on a worker, not on a thread of the calling JVM's Ray (where the
    // scheduler's workers reach the engines)
    assertEquals(tasksWithHandlesRunOnWorkers(),
        !String.valueOf(r.get(1)).startsWith("tessera-ray-local"), r.toString());
    // and the caller's later calls still see the actor's state
    assertEquals(List.of(1, 2, 10, 11, 3), appendAndLog(c, 3));
    c.kill();
  }

  static List<Integer> appendAndLog(ActorHandle<Counter> c, int x) {
    c.task(Counter::append, x).remote();
    return c.task(Counter::log).remote().get();
  }

  @Test
  void aHandlePassedToATaskCallsTheSameActor() {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    ObjectRef<Integer> r = ray().task(RayActorsContractTest::incrementTwice, c).remote();
    assertEquals(2, r.get());
    assertEquals(2, c.task(Counter::read).remote().get());
    c.kill();
  }

  @Test
  void namedActorsAreFoundByName() {
    ActorHandle<Counter> c = ray().actor(Counter::new).name("shared-counter").remote();
    Optional<ActorHandle<Counter>> found = ray().getActor("shared-counter");
    assertTrue(found.isPresent());
    found.get().task(Counter::increment).remote();
    assertEquals(1, c.task(Counter::read).remote().get());
    assertEquals(Optional.of("shared-counter"), c.name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ray().actor(Counter::new).name("shared-counter").remote());
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(ray().getActor("nobody").isEmpty());
    c.kill();
    assertTrue(ray().getActor("shared-counter").isEmpty(), "a killed actor's name is free");
    ActorHandle<Counter> again = ray().actor(Counter::new).name("shared-counter").remote();
    assertEquals(0, again.task(Counter::read).remote().get());
    again.kill();
  }

  @Test
  void aKilledActorFailsItsLaterCalls() {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    assertEquals(1, c.task(Counter::increment).remote().get());
    c.kill();
    assertTrue(c.isDead());
    ActorDiedException e = assertThrows(ActorDiedException.class,
        () -> c.task(Counter::read).remote().get());
    assertTrue(e.getMessage().contains("was killed"), e.getMessage());
    c.kill(); // idempotent
  }

  @Test
  void aMethodThatThrowsFailsItsCallAndTheActorLivesOn() {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> c.task(Counter::failOnNegative, -1).remote().get());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertTrue(e.getMessage().contains("Counter.failOnNegative"), e.getMessage());
    assertEquals(5, c.task(Counter::failOnNegative, 5).remote().get());
    assertFalse(c.isDead());
    c.kill();
  }

  @Test
  void anActorWhoseConstructorFailedFailsItsCalls() {
    ActorHandle<Counter> c = ray().actor(Counter::broken).remote();
    ActorDiedException e = assertThrows(ActorDiedException.class,
        () -> c.task(Counter::read).remote().get());
    assertTrue(e.getMessage().contains("could not be created"), e.getMessage());
    assertInstanceOf(TaskFailedException.class, e.getCause());
    assertInstanceOf(IllegalStateException.class, e.getCause().getCause());
    c.kill();
  }

  @Test
  void aFailedArgumentFailsTheCallWithTheSameError() {
    ActorHandle<Counter> c = ray().actor(Counter::new).remote();
    ObjectRef<Integer> bad = ray().task(RayTasksContractTest::failOn5, 5).remote();
    TaskFailedException first = assertThrows(TaskFailedException.class, bad::get);
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> c.task(Counter::append, bad).remote().get());
    assertSame(first.getCause(), e.getCause());
    assertEquals(List.of(), c.task(Counter::log).remote().get(), "later calls still run");
    c.kill();
  }
}
