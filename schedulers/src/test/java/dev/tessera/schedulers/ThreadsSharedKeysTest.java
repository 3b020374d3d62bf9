package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.futures.Client;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Computations in progress at once on one {@link ThreadedScheduler} use each other's results
 * for the keys they share ({@link SharedKeys}). Each test uses keys of its own (a fresh tag
 * among the arguments), counts runs per key with a global callback, and waits for events
 * (a task has started, a task has finished) rather than for fixed times where it can.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadsSharedKeysTest {
  /** Latches counted down when a tagged slow task starts, by tag. */
  private static final ConcurrentMap<String, CountDownLatch> STARTED = new ConcurrentHashMap<>();
  /** The scheduler that a nested task computes on, by tag. */
  private static final ConcurrentMap<String, ThreadedScheduler> NESTED_ON =
      new ConcurrentHashMap<>();

  private final Runs runs = new Runs();
  private Tessera.Scope registered;
  private final List<ThreadedScheduler> opened = new ArrayList<>();
  private String tag;

  @BeforeEach
  void register() {
    registered = Tessera.addCallback(runs);
    tag = UUID.randomUUID().toString();
  }

  @AfterEach
  void unregister() {
    registered.close();
    for (ThreadedScheduler s : opened) {
      s.close();
    }
  }

  private ThreadedScheduler threads(int workers) {
    ThreadedScheduler s = Schedulers.threads(workers);
    opened.add(s);
    return s;
  }

  /** Counts how often each key ran, from posttask. */
  static final class Runs implements SchedulerCallback {
    final ConcurrentMap<Key, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public void posttask(RunInfo run, TaskEvent event) {
      runs.computeIfAbsent(event.key(), k -> new AtomicInteger()).incrementAndGet();
    }

    int of(Delayed<?> d) {
      AtomicInteger n = runs.get(d.key());
      return n == null ? 0 : n.get();
    }
  }

  // ---- task functions: static, pure given their arguments ----

  static CountDownLatch started(String tag) {
    return STARTED.computeIfAbsent(tag, t -> new CountDownLatch(1));
  }

  static int slow(int ms, String tag) throws InterruptedException {
    started(tag).countDown();
    Thread.sleep(ms);
    return ms;
  }

  static Integer slowNull(int ms, String tag) throws InterruptedException {
    started(tag).countDown();
    Thread.sleep(ms);
    return null;
  }

  static int slowFail(int ms, String tag) throws InterruptedException {
    started(tag).countDown();
    Thread.sleep(ms);
    throw new IllegalStateException("shared task failed on purpose");
  }

  static int plus(int a, int b) {
    return a + b;
  }

  static int times(int a, int b) {
    return a * b;
  }

  static String describe(Integer x, String who) {
    return who + ":" + x;
  }

  static List<Object> pair(Object a, Object b) {
    List<Object> out = new ArrayList<>();
    out.add(a);
    out.add(b);
    return out;
  }

  static int tagged(String tag, int x) throws InterruptedException {
    Thread.sleep(300);
    return tag.length() + x;
  }

  /** Computes a graph sharing {@code tagged(tag, x)} on the scheduler this task runs on. */
  static int nested(String tag, int x, int y) {
    Delayed<Integer> u = Delayed.call(ThreadsSharedKeysTest::tagged, Delayed.value(tag),
        Delayed.value(x));
    return Delayed.call(ThreadsSharedKeysTest::plus, u, Delayed.value(y))
        .compute(NESTED_ON.get(tag));
  }

  static int sleepAdd(int a, int b) throws InterruptedException {
    Thread.sleep((a * 7 + b) % 5);
    return a + b;
  }

  static int sleepMul(int a, int b) throws InterruptedException {
    Thread.sleep((a + b) % 4);
    return a * b;
  }

  /** Like {@link #sleepMul}, slower, and failing when the product is 12. */
  static int mulOrFail(int a, int b) throws InterruptedException {
    Thread.sleep(5 + (a + b) % 10);
    if (a * b == 12) {
      throw new IllegalStateException("product 12 refused");
    }
    return a * b;
  }

  static int slowAdd(int a, int b) throws InterruptedException {
    Thread.sleep(10 + (a * 3 + b) % 30);
    return a + b;
  }

  // ---- helpers ----

  /** A computation on a thread of its own, which a test may interrupt. */
  record Started<T>(Thread thread, CompletableFuture<T> result) {
    T get() throws Exception {
      try {
        return result.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }

    Throwable error() throws Exception {
      try {
        result.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return e.getCause();
      }
      throw new AssertionError("the computation did not fail");
    }
  }

  static <T> Started<T> start(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "shared-keys-test");
    t.setDaemon(true);
    t.start();
    return new Started<>(t, result);
  }

  private static void awaitStarted(String tag) throws InterruptedException {
    assertTrue(started(tag).await(30, TimeUnit.SECONDS), "the shared task started");
  }

  private void awaitRuns(Delayed<?> d, int n) throws InterruptedException {
    for (int i = 0; i < 3000 && runs.of(d) < n; i++) {
      Thread.sleep(10);
    }
    assertEquals(n, runs.of(d));
  }

  private static void assertIdle(ThreadedScheduler s) {
    assertEquals(0, s.inProgress(), "no computation left in the registry");
  }

  // ---- tests ----

  @Test
  void aRunningSharedIntermediateRunsOnceOnTwoWorkers() throws Exception {
    sharesARunningIntermediate(threads(2));
  }

  @Test
  void aRunningSharedIntermediateRunsOnceOnFourWorkers() throws Exception {
    sharesARunningIntermediate(threads(4));
  }

  private void sharesARunningIntermediate(ThreadedScheduler s) throws Exception {
    Delayed<Integer> shared = Delayed.call(ThreadsSharedKeysTest::slow, Delayed.value(600),
        Delayed.value(tag));
    Delayed<Integer> a = Delayed.call(ThreadsSharedKeysTest::plus, shared, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(ThreadsSharedKeysTest::times, shared, Delayed.value(2));
    Started<Integer> first = start(() -> a.compute(s));
    awaitStarted(tag);
    Thread.sleep(200);
    Started<Integer> second = start(() -> b.compute(s));
    assertEquals(601, first.get());
    assertEquals(1200, second.get());
    assertEquals(1, runs.of(shared), "the shared key ran once");
    assertEquals(1, runs.of(a));
    assertEquals(1, runs.of(b), "the second computation's own task ran");
    assertIdle(s);
  }

  @Test
  void futuresOfTwoClientComputationsShareARunningKey() throws Exception {
    ThreadedScheduler s = threads(2);
    Delayed<Integer> shared = Delayed.call(ThreadsSharedKeysTest::slow, Delayed.value(600),
        Delayed.value(tag));
    Delayed<Integer> a = Delayed.call(ThreadsSharedKeysTest::plus, shared, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(ThreadsSharedKeysTest::times, shared, Delayed.value(2));
    try (Client client = Client.on(s)) {
      TaskFuture<Object> fa = client.compute(a).get(0);
      awaitStarted(tag);
      Thread.sleep(200);
      TaskFuture<Object> fb = client.compute(b).get(0);
      assertEquals(601, fa.get(60, TimeUnit.SECONDS));
      assertEquals(1200, fb.get(60, TimeUnit.SECONDS));
    }
    assertEquals(1, runs.of(shared), "the shared key ran once");
    assertEquals(1, runs.of(b));
    assertIdle(s);
  }

  @Test
  void aFinishedSharedValueStillHeldIsTakenWithoutRunningAgain() throws Exception {
    ThreadedScheduler s = threads(2);
    Delayed<Integer> shared = Delayed.call(ThreadsSharedKeysTest::slow, Delayed.value(100),
        Delayed.value(tag));
    Delayed<Integer> later = Delayed.call(ThreadsSharedKeysTest::slow, Delayed.value(3000),
        Delayed.value(tag + "-later"));
    Delayed<List<Object>> lender = Delayed.call(ThreadsSharedKeysTest::pair, shared, later);
    Started<List<Object>> first = start(() -> lender.compute(s));
    awaitRuns(shared, 1); // done, and held for pair, while later still sleeps
    Delayed<Integer> b = Delayed.call(ThreadsSharedKeysTest::plus, shared, Delayed.value(5));
    assertEquals(105, b.compute(s));
    assertFalse(first.result().isDone(), "the lender is still running its later task");
    assertEquals(1, runs.of(shared), "the finished value was used, not run again");
    assertEquals(1, runs.of(b));
    assertEquals(List.of(100, 3000), first.get());
    assertIdle(s);
  }

  @Test
  void aBorrowerRunsAgainWhenItsLenderIsCancelled() throws Exception {
    ThreadedScheduler s = threads(2);
    Delayed<Integer> shared = Delayed.call(ThreadsSharedKeysTest::slow, Delayed.value(1000),
        Delayed.value(tag));
    Delayed<Integer> a = Delayed.call(ThreadsSharedKeysTest::plus, shared, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(ThreadsSharedKeysTest::times, shared, Delayed.value(3));
    Started<Integer> first = start(() -> a.compute(s));
    awaitStarted(tag);
    long t0 = System.nanoTime();
    Started<Integer> second = start(() -> b.compute(s));
    Thread.sleep(300); // the second is waiting for the shared task by now
    first.thread().interrupt();
    assertInstanceOf(ComputeCancelledException.class, first.error());
    assertEquals(3000, second.get(), "the borrower ran the shared task itself");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // it waited until the interrupt (300 ms) and only then slept 1000 ms: a lower bound only
    assertTrue(ms >= 1290, "the borrower waited, then ran again: " + ms + " ms");
    assertEquals(1, runs.of(b));
    assertEquals(0, runs.of(a));
    assertIdle(s);
  }

  @Test
  void aBorrowerFailsWithTheLendersFailure() throws Exception {
    ThreadedScheduler s = threads(2);
    Delayed<Integer> shared = Delayed.call(ThreadsSharedKeysTest::slowFail, Delayed.value(600),
        Delayed.value(tag));
    Delayed<Integer> a = Delayed.call(ThreadsSharedKeysTest::plus, shared, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(ThreadsSharedKeysTest::times, shared, Delayed.value(3));
    Started<Integer> first = start(() -> a.compute(s));
    awaitStarted(tag);
    Thread.sleep(200);
    Started<Integer> second = start(() -> b.compute(s));
    TaskFailedException lent = assertInstanceOf(TaskFailedException.class, first.error());
    TaskFailedException borrowed = assertInstanceOf(TaskFailedException.class,
        second.error());
    assertEquals(shared.key(), lent.key());
    assertEquals(shared.key(), borrowed.key(), borrowed.getMessage());
    assertSame(lent.getCause(), borrowed.getCause());
    assertEquals(1, runs.of(shared), "the failing task ran once");
    assertEquals(0, runs.of(b));
    assertIdle(s);
  }

  @Test
  void aSharedTaskTheLenderHasNotStartedIsComputedByTheBorrower() throws Exception {
    // one worker: the lender's only thread is inside nested(), which computes a graph that
    // shares tagged(), ready in the lender but not started; waiting for it would deadlock
    ThreadedScheduler s = threads(1);
    NESTED_ON.put(tag, s);
    try {
      Delayed<Integer> u = Delayed.call(ThreadsSharedKeysTest::tagged, Delayed.value(tag),
          Delayed.value(0));
      Delayed<Integer> t = Delayed.call(ThreadsSharedKeysTest::nested, Delayed.value(tag),
          Delayed.value(0), Delayed.value(1));
      Started<List<Object>> lender = start(() -> Delayed.call(ThreadsSharedKeysTest::pair, t, u)
          .compute(s));
      int len = tag.length();
      assertEquals(List.of(len + 1, len), lender.get());
      assertEquals(2, runs.of(u), "the nested computation ran it, then the lender");
      assertIdle(s);
    } finally {
      NESTED_ON.remove(tag);
    }
  }

  @Test
  void aNullResultIsBorrowedRunningOrFinished() throws Exception {
    ThreadedScheduler s = threads(2);
    Delayed<Integer> shared = Delayed.call(ThreadsSharedKeysTest::slowNull, Delayed.value(600),
        Delayed.value(tag));
    Delayed<Integer> later = Delayed.call(ThreadsSharedKeysTest::slow, Delayed.value(3000),
        Delayed.value(tag + "-later"));
    Started<List<Object>> lender = start(() -> Delayed.call(ThreadsSharedKeysTest::pair,
        shared, later).compute(s));
    awaitStarted(tag);
    Thread.sleep(200);
    Delayed<String> whileRunning = Delayed.call(ThreadsSharedKeysTest::describe, shared,
        Delayed.value("running"));
    assertEquals("running:null", whileRunning.compute(s));
    awaitRuns(shared, 1);
    Delayed<String> whenDone = Delayed.call(ThreadsSharedKeysTest::describe, shared,
        Delayed.value("done"));
    assertEquals("done:null", whenDone.compute(s));
    assertFalse(lender.result().isDone(), "the lender still holds the null");
    assertEquals(1, runs.of(shared), "null was borrowed both times");
    List<Object> out = lender.get();
    assertNull(out.get(0));
    assertEquals(3000, out.get(1));
    assertIdle(s);
  }

  @Test
  void manyConcurrentComputationsSharingKeysGetTheRightAnswers() throws Exception {
    ThreadedScheduler s = threads(3);
    int leaves = 6;
    List<Delayed<Integer>> values = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      values.add(Delayed.value(i));
    }
    // level 1: sums of two leaves; level 2: products of two sums; both shared by everyone
    List<Delayed<Integer>> sums = new ArrayList<>();
    List<int[]> sumArgs = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      for (int j = i; j < leaves; j++) {
        sums.add(Delayed.call(ThreadsSharedKeysTest::sleepAdd, values.get(i), values.get(j)));
        sumArgs.add(new int[] {i, j});
      }
    }
    int threads = 8;
    int rounds = 20;
    List<Started<Void>> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      long seed = 1000 + w;
      workers.add(start(() -> {
        Random r = new Random(seed);
        for (int round = 0; round < rounds; round++) {
          List<Delayed<Integer>> outs = new ArrayList<>();
          List<Integer> expected = new ArrayList<>();
          for (int k = 0, m = 1 + r.nextInt(4); k < m; k++) {
            int x = r.nextInt(sums.size());
            int y = r.nextInt(sums.size());
            outs.add(Delayed.call(ThreadsSharedKeysTest::sleepMul, sums.get(x), sums.get(y)));
            int[] a = sumArgs.get(x);
            int[] b = sumArgs.get(y);
            expected.add((a[0] + a[1]) * (b[0] + b[1]));
          }
          assertEquals(expected, Delayed.list(outs).compute(s), "seed " + seed + " round "
              + round);
        }
        return null;
      }));
    }
    for (Started<Void> w : workers) {
      w.get();
    }
    assertIdle(s);
  }

  @Test
  void interruptedAndFailingComputationsSharingKeysNeverHang() throws Exception {
    // lenders are cancelled while others wait for them, and some shared tasks fail: every
    // computation ends, with the right answer, the failure of one of its own keys, or its
    // own cancellation
    ThreadedScheduler s = threads(2);
    List<Delayed<Integer>> sums = new ArrayList<>();
    List<Integer> sumValues = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      for (int j = i; j < 5; j++) {
        sums.add(Delayed.call(ThreadsSharedKeysTest::slowAdd, Delayed.value(i),
            Delayed.value(j)));
        sumValues.add(i + j);
      }
    }
    int threads = 6;
    int rounds = 15;
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Started<Void>> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      long seed = 2000 + w;
      workers.add(start(() -> {
        Random r = new Random(seed);
        for (int round = 0; round < rounds; round++) {
          Thread.interrupted(); // an interrupt meant for the last round
          List<Delayed<Integer>> outs = new ArrayList<>();
          List<Integer> expected = new ArrayList<>();
          List<Key> failing = new ArrayList<>();
          for (int k = 0, m = 1 + r.nextInt(3); k < m; k++) {
            int x = r.nextInt(sums.size());
            int y = r.nextInt(sums.size());
            Delayed<Integer> out = Delayed.call(ThreadsSharedKeysTest::mulOrFail, sums.get(x),
                sums.get(y));
            outs.add(out);
            int product = sumValues.get(x) * sumValues.get(y);
            expected.add(product);
            if (product == 12) {
              failing.add(out.key());
            }
          }
          try {
            List<Integer> got = Delayed.list(outs).compute(s);
            assertTrue(failing.isEmpty(), "seed " + seed + " round " + round + " failed");
            assertEquals(expected, got, "seed " + seed + " round " + round);
            answered.incrementAndGet();
          } catch (ComputeCancelledException e) {
            cancelled.incrementAndGet();
          } catch (TaskFailedException e) {
            assertTrue(failing.contains(e.key()), "seed " + seed + " round " + round + ": "
                + e);
            assertInstanceOf(IllegalStateException.class, e.getCause());
            failed.incrementAndGet();
          }
        }
        return null;
      }));
    }
    Random r = new Random(7);
    while (workers.stream().anyMatch(w -> !w.result().isDone())) {
      Thread.sleep(5 + r.nextInt(30));
      workers.get(r.nextInt(threads)).thread().interrupt();
    }
    for (Started<Void> w : workers) {
      w.get();
    }
    assertEquals(threads * rounds, answered.get() + cancelled.get() + failed.get());
    assertTrue(answered.get() > 0, "some computations were answered");
    assertIdle(s);
  }
}
