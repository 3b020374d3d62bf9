package dev.tessera.idioms.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ray's documented task semantics ({@code remote}, {@code get}, {@code put}, {@code wait},
 * references as arguments) on a Ray instance over two workers, shared by the class: subclass
 * it with the scheduler.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RayTasksContractTest {
  /** {@return the Ray instance under test, shared by the class} */
  protected abstract Ray ray();

  static int square(int x) {
    return x * x;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static long sum(List<Integer> xs) {
    return xs.stream().mapToLong(Integer::longValue).sum();
  }

  static int sleepy(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  static int failOn5(int x) {
    if (x == 5) {
      throw new IllegalArgumentException("no fives");
    }
    return x;
  }

  @Test
  void theSeedsSquaresComeBackInOrder() {
    // futures = [f.remote(i) for i in range(4)]; print(ray.get(futures))
    List<ObjectRef<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      futures.add(ray().task(RayTasksContractTest::square, i).remote());
    }
    assertEquals(List.of(0, 1, 4, 9), ray().get(futures));
    assertEquals(9, futures.get(3).get());
  }

  @Test
  void referencesAreArgumentsOfLaterTasksAlsoInsideLists() {
    ObjectRef<Integer> a = ray().task(RayTasksContractTest::square, 3).remote();
    ObjectRef<Integer> b = ray().task(RayTasksContractTest::add, a, 1).remote();
    assertEquals(10, b.get());
    ObjectRef<Integer> slow = ray().task(RayTasksContractTest::sleepy, 300).remote();
    ObjectRef<Long> total = ray().task(RayTasksContractTest::sum, List.of(a, slow, 5)).remote();
    assertEquals(9L + 300 + 5, total.get());
  }

  @Test
  void putPlacesAValueOnceForManyTasks() {
    ObjectRef<List<Integer>> xs = ray().put(List.of(1, 2, 3));
    List<ObjectRef<Long>> sums = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sums.add(ray().task(RayTasksContractTest::sum, xs).remote());
    }
    assertEquals(List.of(6L, 6L, 6L), ray().get(sums));
    assertEquals(List.of(1, 2, 3), xs.get());
    assertThrows(NullPointerException.class, () -> ray().put(null));
  }

  @Test
  void getWithATimeoutThrowsAndTheWorkGoesOn() throws Exception {
    ObjectRef<Integer> slow = ray().task(RayTasksContractTest::sleepy, 1000).remote();
    // the idioms' one timeout exception (unchecked), naming the reference and the time waited
    ResultTimeoutException t = assertThrows(ResultTimeoutException.class,
        () -> slow.get(Duration.ofMillis(10)));
    assertEquals(Duration.ofMillis(10), t.timeout());
    assertTrue(t.getMessage().matches("ray\\.get\\(ObjectRef\\(.*\\)\\) timed out after"
        + " 10 ms \\(the work goes on.*"), t.getMessage());
    assertInstanceOf(TimeoutException.class, t.getCause());
    assertEquals(1000, ray().get(slow, Duration.ofSeconds(60)));
  }

  @Test
  void waitReturnsAtMostNumReturnsReadyInTheInputsOrder() {
    // a reference that is not ready until the test says so, and occupies no worker
    CompletableFuture<Integer> gate = new CompletableFuture<>();
    ObjectRef<Integer> pending = ObjectRef.local(ray(), gate);
    ObjectRef<Integer> f1 = ray().task(RayTasksContractTest::square, 1).remote();
    ObjectRef<Integer> f2 = ray().task(RayTasksContractTest::square, 2).remote();
    List<ObjectRef<Integer>> refs = List.of(pending, f1, f2);
    WaitResult<Integer> w = ray().wait(refs, 2, Duration.ofSeconds(60));
    assertEquals(List.of(f1, f2), w.ready());
    assertEquals(List.of(pending), w.unready());

    // both are ready: asking for one returns the first of them in the input's order
    WaitResult<Integer> one = ray().wait(List.of(f2, pending, f1), 1, Duration.ofSeconds(60));
    assertEquals(List.of(f2), one.ready());
    assertEquals(List.of(pending, f1), one.unready());

    // a timeout returns what is ready so far
    WaitResult<Integer> none = ray().wait(List.of(pending, f1), 2, Duration.ofMillis(10));
    assertEquals(List.of(f1), none.ready());
    assertEquals(List.of(pending), none.unready());

    // a task that depends on a pending reference waits for it, without blocking a worker
    ObjectRef<Integer> after = ray().task(RayTasksContractTest::add, pending, 1).remote();
    assertEquals(List.of(), ray().wait(List.of(after), 1, Duration.ofMillis(50)).ready());
    gate.complete(41);
    assertEquals(42, after.get());
    WaitResult<Integer> all = ray().wait(refs);
    assertEquals(refs, all.ready());
    assertEquals(List.of(), all.unready());
  }

  @Test
  void waitRefusesDuplicatesAndABadNumReturns() {
    ObjectRef<Integer> a = ray().task(RayTasksContractTest::square, 1).remote();
    assertThrows(IllegalArgumentException.class, () -> ray().wait(List.of(a, a), 1));
    assertThrows(IllegalArgumentException.class, () -> ray().wait(List.of(a), 2));
    assertThrows(IllegalArgumentException.class, () -> ray().wait(List.of(a), 0));
  }

  @Test
  void aFailedTaskFailsItsGetAndItsDependentsWithTheSameError() {
    ObjectRef<Integer> bad = ray().task(RayTasksContractTest::failOn5, 5).remote();
    TaskFailedException e = assertThrows(TaskFailedException.class, bad::get);
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("ray-task", e.key().prefix(), e.getMessage());
    ObjectRef<Integer> after = ray().task(RayTasksContractTest::add, bad, 1).remote();
    TaskFailedException d = assertThrows(TaskFailedException.class, after::get);
    assertSame(e.getCause(), d.getCause());
    // a failed reference is ready for wait
    assertEquals(List.of(bad), ray().wait(List.of(bad), 1).ready());
  }

  @Test
  void everyCallRunsEqualCallsAreNotMerged() {
    ObjectRef<String> a = ray().task((Integer x) -> UUID.randomUUID().toString(), 1).remote();
    ObjectRef<String> b = ray().task((Integer x) -> UUID.randomUUID().toString(), 1).remote();
    assertNotEquals(a.get(), b.get());
  }

  @Test
  void aReferenceOfAnotherRayIsRefused() {
    try (Ray other = Ray.init(ray().scheduler())) {
      ObjectRef<Integer> theirs = other.task(RayTasksContractTest::square, 2).remote();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ray().task(RayTasksContractTest::add, theirs, 1).remote());
      assertTrue(e.getMessage().contains("another Ray"), e.getMessage());
    }
  }
}
