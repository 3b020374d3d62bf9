package dev.tessera.futures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link Client} on any scheduler: subclass it with the scheduler. Observes
 * only through the public API and callbacks, so it holds where tasks run in other JVMs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class FuturesContractTest {
  /** {@return the scheduler under test, shared by the class} */
  protected abstract Scheduler scheduler();

  /** {@return how many values the scheduler's workers hold, or -1 if it cannot tell} */
  protected long heldByWorkers() {
    return -1;
  }

  /** The client of the current test, over {@link #scheduler()}; closed after each test. */
  protected Client client;

  @BeforeEach
  void open() {
    client = Client.on(scheduler());
  }

  @AfterEach
  void close() {
    client.close();
  }

  static int inc(int x) {
    return x + 1;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static long sum(List<Integer> xs) {
    return xs.stream().mapToLong(Integer::longValue).sum();
  }

  static int sleepy(int ms) throws InterruptedException {
    Thread.sleep(ms);
    return ms;
  }

  static int fail(int x) {
    throw new IllegalArgumentException("bad input " + x);
  }

  static int firstByte(byte[] b) {
    return b[0];
  }

  /** Fails until it has been called {@code okAt} times, counting in a file (any JVM). */
  static int flaky(String counter, int okAt) throws IOException {
    Path p = Paths.get(counter);
    int n = Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) : 0;
    Files.writeString(p, Integer.toString(n + 1));
    if (n + 1 < okAt) {
      throw new IllegalStateException("flaky call " + (n + 1));
    }
    return n + 1;
  }

  /** Counts how often each key ran, from callbacks. */
  static final class Runs implements SchedulerCallback {
    final ConcurrentMap<Key, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public void posttask(dev.tessera.graph.spi.RunInfo run, TaskEvent event) {
      runs.computeIfAbsent(event.key(), k -> new AtomicInteger()).incrementAndGet();
    }

    int of(Key k) {
      AtomicInteger n = runs.get(k);
      return n == null ? 0 : n.get();
    }
  }

  @Test
  void submitReturnsAFutureOfTheResult() throws Exception {
    TaskFuture<Integer> f = client.submit(FuturesContractTest::inc, 1);
    assertEquals(2, f.get());
    assertEquals(2, f.get(10, TimeUnit.SECONDS));
    assertEquals(2, f.result());
    assertEquals("inc", f.key().prefix());
    assertTrue(f.isDone() && !f.isCancelled() && !f.failed());
    Future<Integer> plain = f;
    assertEquals(2, plain.get());
    assertEquals(2, f.toCompletableFuture().get());
  }

  @Test
  void futuresAreArgumentsOfSubmitsAndOfDelayedCalls() {
    TaskFuture<Integer> a = client.submit(FuturesContractTest::inc, 1);
    TaskFuture<Integer> b = client.submit(FuturesContractTest::add, a, 10);
    assertEquals(12, b.result());
    assertEquals(3, Delayed.call(FuturesContractTest::inc, a).compute(scheduler()));
    List<TaskFuture<Integer>> xs = client.map(FuturesContractTest::inc, List.of(1, 2, 3));
    assertEquals(9L, client.submit(FuturesContractTest::sum, xs).result());
    // a lazy collection as an argument: computed as part of the task
    Delayed<Integer> d = Delayed.call(FuturesContractTest::inc, Delayed.value(41));
    assertEquals(43, client.submit(FuturesContractTest::inc, d).result());
  }

  /** Sleeps, and appends a line to {@code log}: counts real runs in any JVM. */
  static int logged(String log, int ms) throws Exception {
    Thread.sleep(ms);
    Files.writeString(Paths.get(log), "ran\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return ms;
  }

  @Test
  void aKeyIsNeverComputedTwice() throws Exception {
    Path log = Files.createTempFile("tessera-runs", ".log");
    TaskFuture<Integer> a = client.submit(FuturesContractTest::logged, log.toString(), 200);
    TaskFuture<Integer> again = client.submit(FuturesContractTest::logged, log.toString(), 200);
    assertEquals(a.key(), again.key());
    TaskFuture<Integer> b = client.submit(FuturesContractTest::add, a, 1);
    TaskFuture<Integer> c = client.submit(FuturesContractTest::add, again, 2);
    assertEquals(List.of(201, 202), client.gather(List.of(b, c)));
    assertEquals(200, Delayed.call(FuturesContractTest::inc, a).compute(scheduler()) - 1);
    assertEquals(1, Files.readAllLines(log).size(), "the shared key ran more than once");
    Files.delete(log);
  }

  @Test
  void mapIsOrderedAlsoInBatches() {
    List<Integer> items = IntStream.range(0, 200).boxed().collect(Collectors.toList());
    List<Integer> expected = items.stream().map(i -> i + 1).collect(Collectors.toList());
    assertEquals(expected, client.gather(client.map(FuturesContractTest::inc, items)));
    List<TaskFuture<Integer>> batched = client.with(Submit.options().batchSize(32))
        .map(FuturesContractTest::add2, items);
    assertEquals(items.stream().map(i -> i + 2).collect(Collectors.toList()),
        client.gather(batched));
  }

  static int add2(int x) {
    return x + 2;
  }

  @Test
  void aFailureInABatchFailsOnlyItsItem() {
    List<Integer> items = List.of(1, 2, -3, 4);
    List<TaskFuture<Integer>> fs = client.with(Submit.options().batchSize(4))
        .map(FuturesContractTest::positive, items);
    assertEquals(2, fs.get(0).result());
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> fs.get(2).result());
    assertEquals(fs.get(2).key(), e.key());
    assertEquals(5, fs.get(3).result());
  }

  static int positive(int x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative " + x);
    }
    return x + 1;
  }

  @Test
  void scatterPutsValuesOnceForManyTasks() {
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] b = new byte[100_000];
      b[0] = (byte) (i + 1);
      data.add(b);
    }
    List<TaskFuture<byte[]>> held = client.scatter(data);
    List<TaskFuture<Integer>> firsts = client.map(FuturesContractTest::firstByte, held);
    assertEquals(List.of(1, 2, 3, 4), client.gather(firsts));
    assertEquals(3, held.get(2).result()[0]);
  }

  static int byteAt(byte[] b, int i) {
    return b[i];
  }

  @Test
  void broadcastGivesOneFutureThatEveryTaskReads() {
    byte[] table = new byte[50_000];
    for (int i = 0; i < table.length; i++) {
      table[i] = (byte) (i % 101);
    }
    TaskFuture<byte[]> b = client.broadcast(table);
    List<TaskFuture<Integer>> reads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      reads.add(client.submit(FuturesContractTest::byteAt, b, 1000 * i + 7));
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      expected.add((int) table[1000 * i + 7]);
    }
    assertEquals(expected, client.gather(reads));
    assertArrayEquals(table, b.result());
    assertThrows(NullPointerException.class, () -> client.broadcast(null));
  }

  @Test
  void asCompletedYieldsEachFutureOnceAsItFinishes() {
    List<TaskFuture<Integer>> fs = new ArrayList<>();
    for (int ms : new int[] {300, 10, 150, 50}) {
      fs.add(client.submit(FuturesContractTest::sleepy, ms));
    }
    Set<Integer> seen = new HashSet<>();
    Iterator<TaskFuture<Integer>> it = client.asCompleted(fs);
    while (it.hasNext()) {
      TaskFuture<Integer> f = it.next();
      assertTrue(f.isDone());
      seen.add(f.result());
    }
    assertEquals(Set.of(300, 10, 150, 50), seen);
  }

  @Test
  void waitReturnsAtTheFirstOrAllOrTheTimeout() {
    TaskFuture<Integer> quick = client.submit(FuturesContractTest::sleepy, 1);
    TaskFuture<Integer> slow = client.submit(FuturesContractTest::sleepy, 30_000);
    Done<Integer> first = client.wait(List.of(quick, slow), WaitFor.FIRST_COMPLETED,
        Duration.ofSeconds(20));
    assertEquals(List.of(quick), first.done());
    assertEquals(List.of(slow), first.notDone());
    Done<Integer> timedOut = client.wait(List.of(quick, slow), WaitFor.ALL_COMPLETED,
        Duration.ofMillis(100));
    assertEquals(List.of(slow), timedOut.notDone(), () -> "slow: " + slow + " "
        + (slow.isDone() ? describe(slow) : ""));
    client.cancel(List.of(slow));
    Done<Integer> all = client.wait(List.of(quick, slow), WaitFor.ALL_COMPLETED,
        Duration.ofSeconds(20));
    assertEquals(2, all.done().size());
    assertTrue(slow.isCancelled());
  }

  private static String describe(TaskFuture<?> f) {
    try {
      return String.valueOf(f.result());
    } catch (RuntimeException e) {
      java.io.StringWriter w = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(w));
      return w.toString();
    }
  }

  @Test
  void cancelStopsTheWorkAndFailsDependents() throws Exception {
    TaskFuture<Integer> slow = client.submit(FuturesContractTest::sleepy, 60_000);
    TaskFuture<Integer> after = client.submit(FuturesContractTest::add, slow, 1);
    Thread.sleep(200);
    assertTrue(slow.cancel(true));
    assertThrows(CancellationException.class, slow::get);
    assertThrows(CancellationException.class, after::get); // the same error as its input
    // the scheduler is free again: the cancelled sleep does not hold a worker
    List<TaskFuture<Integer>> next = client.map(FuturesContractTest::sleepy, List.of(20, 21));
    assertEquals(List.of(20, 21), client.gather(next));
  }

  @Test
  void retriesRunAFailedTaskAgain() throws Exception {
    Path dir = Files.createTempDirectory("tessera-flaky");
    TaskFuture<Integer> ok = client.with(Submit.options().retries(2))
        .submit(FuturesContractTest::flaky, dir.resolve("a").toString(), 3);
    assertEquals(3, ok.result());
    TaskFuture<Integer> notEnough = client.with(Submit.options().retries(1))
        .submit(FuturesContractTest::flaky, dir.resolve("b").toString(), 3);
    TaskFailedException e = assertThrows(TaskFailedException.class, notEnough::result);
    assertEquals(notEnough.key(), e.key());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("flaky call 2"), e.getMessage());
  }

  @Test
  void aFailureNamesItsKeyAndDependentsFailWithTheSameError() {
    TaskFuture<Integer> bad = client.submit(FuturesContractTest::fail, 7);
    TaskFuture<Integer> dependent = client.submit(FuturesContractTest::inc, bad);
    TaskFailedException e = assertThrows(TaskFailedException.class, bad::result);
    assertEquals(bad.key(), e.key());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertTrue(e.getMessage().contains("bad input 7"), e.getMessage());
    TaskFailedException d = assertThrows(TaskFailedException.class, dependent::result);
    assertSame(e, d);
    assertTrue(bad.failed() && dependent.failed());
  }

  @Test
  void optionsNameKeysAndImpureCallsRunEachTime() {
    TaskFuture<Integer> named = client.with(Submit.options().key("my-answer"))
        .submit(FuturesContractTest::inc, 41);
    assertEquals(Key.of("my-answer"), named.key());
    assertEquals(42, named.result());
    TaskFuture<Integer> x = client.with(Submit.options().pure(false))
        .submit(FuturesContractTest::inc, 1);
    TaskFuture<Integer> y = client.with(Submit.options().pure(false))
        .submit(FuturesContractTest::inc, 1);
    assertNotEquals(x.key(), y.key());
    assertEquals(List.of(2, 2), client.gather(List.of(x, y)));
  }

  @Test
  void higherPriorityGoesFirstWhenTheClientIsFull() {
    try (Client one = Client.on(scheduler(), 1)) {
      TaskFuture<Integer> blocker = one.submit(FuturesContractTest::sleepy, 300);
      TaskFuture<Integer> low = one.with(Submit.options().priority(-5))
          .submit(FuturesContractTest::sleepy, 11);
      TaskFuture<Integer> high = one.with(Submit.options().priority(5))
          .submit(FuturesContractTest::sleepy, 12);
      Iterator<TaskFuture<Integer>> order = one.asCompleted(List.of(low, high, blocker));
      assertEquals(List.of(blocker, high, low), List.of(order.next(), order.next(),
          order.next()));
    }
  }

  @Test
  void computeReturnsFuturesOfCollections() {
    Delayed<Integer> a = Delayed.call(FuturesContractTest::inc, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(FuturesContractTest::add, a, Delayed.value(10));
    List<TaskFuture<Object>> fs = client.compute(a, b);
    assertEquals(List.of(2, 12), client.gather(fs));
  }

  @Test
  void manyThreadsShareKeysAndEachRunsOnce() throws Exception {
    Runs r = new Runs();
    try (var reg = Tessera.addCallback(r)) {
      ExecutorService callers = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Integer>>> answers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          answers.add(callers.submit(() -> {
            List<TaskFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
              fs.add(client.submit(FuturesContractTest::add, i, 1000));
            }
            return client.gather(fs);
          }));
        }
        List<Integer> expected = IntStream.range(0, 40).map(i -> i + 1000).boxed()
            .collect(Collectors.toList());
        for (Future<List<Integer>> a : answers) {
          assertEquals(expected, a.get(60, TimeUnit.SECONDS));
        }
      } finally {
        callers.shutdownNow();
      }
      for (int i = 0; i < 40; i++) {
        Key k = client.submit(FuturesContractTest::add, i, 1000).key();
        assertEquals(1, r.of(k), "key " + k + " ran " + r.of(k) + " times");
      }
    }
  }

  @Test
  void computationsInProgressShareAnIntermediateThatRunsOnce() throws Exception {
    Delayed<Integer> slow = Delayed.call(FuturesContractTest::sleepy, Delayed.value(900));
    Delayed<Integer> a = Delayed.call(FuturesContractTest::add, slow, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(FuturesContractTest::add, slow, Delayed.value(2));
    Runs r = new Runs();
    try (var reg = Tessera.addCallback(r)) {
      TaskFuture<Object> fa = client.compute(a).get(0);
      Thread.sleep(300); // the shared task is running in the first computation
      TaskFuture<Object> fb = client.compute(b).get(0);
      assertEquals(902, fb.result());
      assertEquals(901, fa.result());
      // as blocking computes too, from two threads
      Delayed<Integer> slow2 = Delayed.call(FuturesContractTest::sleepy, Delayed.value(901));
      Delayed<Integer> c = Delayed.call(FuturesContractTest::add, slow2, Delayed.value(3));
      Delayed<Integer> d = Delayed.call(FuturesContractTest::add, slow2, Delayed.value(4));
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<Integer> fc = other.submit(() -> c.compute(scheduler()));
        Thread.sleep(300);
        assertEquals(905, d.compute(scheduler()));
        assertEquals(904, fc.get(60, TimeUnit.SECONDS));
      } finally {
        other.shutdownNow();
      }
      assertEquals(1, r.of(slow.key()), "the shared task ran once");
      assertEquals(1, r.of(slow2.key()), "the shared task ran once");
      assertEquals(1, r.of(a.key()));
      assertEquals(1, r.of(b.key()));
      fa.release();
      fb.release();
    }
    assertHeldByWorkers(0);
  }

  @Test
  void aResultStillHeldByAComputationInProgressIsUsedWhereItIs() throws Exception {
    Delayed<Integer> x = Delayed.call(FuturesContractTest::inc, Delayed.value(41));
    Delayed<Integer> late = Delayed.call(FuturesContractTest::sleepy, Delayed.value(1200));
    Delayed<Integer> first = Delayed.call(FuturesContractTest::add, x, late);
    Delayed<Integer> second = Delayed.call(FuturesContractTest::add, x, Delayed.value(100));
    Runs r = new Runs();
    try (var reg = Tessera.addCallback(r)) {
      TaskFuture<Object> f1 = client.compute(first).get(0);
      Thread.sleep(400); // x is done, held for the sleeping task's dependent
      TaskFuture<Object> f2 = client.compute(second).get(0);
      assertEquals(142, f2.result());
      assertEquals(1242, f1.result());
      assertEquals(1, r.of(x.key()), "x ran once");
      f1.release();
      f2.release();
    }
    assertHeldByWorkers(0);
  }

  @Test
  void aLenderCancelledMidwayLeavesItsBorrowersRight() throws Exception {
    Delayed<Integer> slow = Delayed.call(FuturesContractTest::sleepy, Delayed.value(1000));
    Delayed<Integer> a = Delayed.call(FuturesContractTest::add, slow, Delayed.value(1));
    Delayed<Integer> b = Delayed.call(FuturesContractTest::add, slow, Delayed.value(2));
    TaskFuture<Object> fa = client.compute(a).get(0);
    Thread.sleep(300);
    TaskFuture<Object> fb = client.compute(b).get(0);
    Thread.sleep(200); // the second waits for the first's slow task
    fa.cancel(true);
    assertThrows(CancellationException.class, fa::result);
    assertEquals(1002, fb.result(), "ran again by itself");
    fb.release();
    // and the engine is fine afterwards: sharing again, answers right
    Delayed<Integer> c = Delayed.call(FuturesContractTest::add, slow, Delayed.value(3));
    assertEquals(1003, client.compute(c).get(0).result());
    assertHeldByWorkersAfterGc();
  }

  static int sleepThenFail(int ms) throws InterruptedException {
    Thread.sleep(ms);
    throw new IllegalStateException("failed after " + ms + " ms");
  }

  @Test
  void aSharedTaskThatFailsFailsEachComputationNamingIt() {
    Delayed<Integer> bad = Delayed.call(FuturesContractTest::sleepThenFail, Delayed.value(700));
    TaskFuture<Object> fa = client.compute(Delayed.call(FuturesContractTest::add, bad,
        Delayed.value(1))).get(0);
    assertThrows(TimeoutException.class, () -> fa.get(250, TimeUnit.MILLISECONDS));
    TaskFuture<Object> fb = client.compute(Delayed.call(FuturesContractTest::add, bad,
        Delayed.value(2))).get(0);
    for (TaskFuture<Object> f : List.of(fa, fb)) {
      TaskFailedException e = assertThrows(TaskFailedException.class, f::result);
      assertTrue(e.getMessage().contains(bad.key().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("failed after 700 ms"), e.getMessage());
    }
    assertEquals(2, client.submit(FuturesContractTest::inc, 1).result(), "still usable");
  }

  @Test
  void manyConcurrentComputationsSharingKeysAreAllRight() throws Exception {
    java.util.Random seed = new java.util.Random(11);
    List<Delayed<Integer>> bases = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bases.add(Delayed.call(FuturesContractTest::sleepy, Delayed.value(20 + 10 * i)));
    }
    List<Delayed<Integer>> sums = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      int i = seed.nextInt(bases.size());
      int j = seed.nextInt(bases.size());
      Delayed<Integer> mid = Delayed.call(FuturesContractTest::add, bases.get(i), bases.get(j));
      sums.add(Delayed.call(FuturesContractTest::add, mid, Delayed.value(k)));
      expected.add(40 + 10 * (i + j) + k);
    }
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> got = new ArrayList<>();
      for (int k = 0; k < sums.size(); k++) {
        Delayed<Integer> s = sums.get(k);
        boolean blocking = k % 2 == 0;
        got.add(callers.submit(() -> blocking ? s.compute(scheduler())
            : (Integer) client.compute(s).get(0).result()));
      }
      for (int k = 0; k < sums.size(); k++) {
        assertEquals(expected.get(k), got.get(k).get(60, TimeUnit.SECONDS), "sum " + k);
      }
    } finally {
      callers.shutdownNow();
    }
    assertHeldByWorkersAfterGc();
  }

  @Test
  void resultsLiveWhileNeededAndNoLonger() throws Exception {
    List<TaskFuture<Integer>> fs = client.map(FuturesContractTest::inc,
        IntStream.range(0, 30).boxed().collect(Collectors.toList()));
    client.gather(fs);
    assertEquals(30, client.heldResults());
    for (TaskFuture<Integer> f : fs) {
      f.release();
    }
    assertEquals(0, client.heldResults());
    assertHeldByWorkers(0);
    // unreferenced futures are released by the Cleaner
    submitAndDrop();
    for (int i = 0; i < 100 && client.heldResults() > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, client.heldResults());
    assertHeldByWorkers(0);
  }

  private void submitAndDrop() {
    client.gather(client.map(FuturesContractTest::add2, List.of(1, 2, 3)));
  }

  private void assertHeldByWorkers(long expected) throws InterruptedException {
    if (heldByWorkers() < 0) {
      return;
    }
    long held = heldByWorkers();
    for (int i = 0; i < 50 && held != expected; i++) {
      Thread.sleep(20); // releases are messages: let them arrive
      held = heldByWorkers();
    }
    assertEquals(expected, held);
  }

  @Test
  void persistedCollectionsStayUntilReleased() throws Exception {
    Delayed<Integer> base = Delayed.call(FuturesContractTest::inc, Delayed.value(1));
    Delayed<Integer> chain = Delayed.call(FuturesContractTest::inc, base);
    Delayed<Integer> held = client.persist(List.of(chain)).get(0);
    Runs r = new Runs();
    try (var s = Tessera.useCallback(r)) {
      assertEquals(13, client.submit(FuturesContractTest::add, held, 10).result());
      assertEquals(0, r.of(base.key()), "the persisted chain does not run again");
    }
    client.release(held);
    assertHeldByWorkersAfterGc();
  }

  private void assertHeldByWorkersAfterGc() throws InterruptedException {
    for (int i = 0; i < 100 && client.heldResults() > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, client.heldResults());
    assertHeldByWorkers(0);
  }

  @Test
  void closeCancelsWhatIsPendingAndRefusesMore() {
    Client c = Client.on(scheduler());
    TaskFuture<Integer> slow = c.submit(FuturesContractTest::sleepy, 60_000);
    c.close();
    assertThrows(CancellationException.class, slow::result);
    assertThrows(IllegalStateException.class, () -> c.submit(FuturesContractTest::inc, 1));
    assertEquals(2, client.submit(FuturesContractTest::inc, 1).result());
  }
}
