package dev.tessera.idioms.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.idioms.ResultTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * multiprocessing's documented {@code Pool} semantics, on any scheduler: subclass it with a
 * pool of two workers, shared by the class. Observes only through the public API and files
 * (temp files under target/), so it holds where the functions run in other JVMs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class PoolContractTest {
  /** {@return the pool under test: two workers, shared by the class} */
  protected abstract Pool pool();

  static int square(int x) {
    return x * x;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static String join3(String a, int b, String c) {
    return a + b + c;
  }

  static int failOn5(int x) {
    if (x == 5) {
      throw new IllegalArgumentException("no fives: " + x);
    }
    return x;
  }

  static int sleepy(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  /** Marks that item {@code x} ran (a file in {@code dir}), then fails on 5. */
  static int markThenFailOn5(String dir, int x) throws IOException {
    Files.createFile(Path.of(dir, "item-" + x));
    return failOn5(x);
  }

  static Set<Integer> marked(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> Integer.parseInt(p.getFileName().toString().substring(5)))
          .collect(Collectors.toSet());
    }
  }

  static Path freshDir() throws IOException {
    return Files.createTempDirectory("tessera-pool-test");
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  // ---- map ----

  @Test
  void mapReturnsResultsInOrderOnEveryChunking() {
    List<Integer> xs = range(23);
    List<Integer> expected = xs.stream().map(x -> x * x).collect(Collectors.toList());
    assertEquals(expected, pool().map(PoolContractTest::square, xs));
    for (int chunksize : new int[] {1, 2, 3, 7, 22, 23, 100}) {
      assertEquals(expected, pool().map(PoolContractTest::square, xs, chunksize),
          "chunksize " + chunksize);
    }
    assertEquals(List.of(), pool().map(PoolContractTest::square, List.of()));
    assertEquals(List.of(49), pool().map(PoolContractTest::square, List.of(7)));
  }

  @Test
  void aCapturingLambdaWorksAsOnThreads() {
    int offset = 100;
    assertEquals(List.of(101, 102, 103), pool().map((Integer x) -> x + offset, List.of(1, 2, 3)));
  }

  @Test
  void defaultChunksizeIsMultiprocessings() {
    // chunksize, extra = divmod(len(iterable), len(self._pool) * 4); if extra: chunksize += 1
    assertEquals(2, Pool.defaultChunksize(10, 2));
    assertEquals(1, Pool.defaultChunksize(8, 2));
    assertEquals(7, Pool.defaultChunksize(100, 4));
    assertEquals(1250, Pool.defaultChunksize(10_000, 2));
    assertEquals(1, Pool.defaultChunksize(1, 8));
    assertEquals(0, Pool.defaultChunksize(0, 2));
    assertEquals(2, pool().processes());
    assertThrows(IllegalArgumentException.class, () -> Pool.defaultChunksize(3, 0));
    assertThrows(IllegalArgumentException.class,
        () -> pool().map(PoolContractTest::square, List.of(1), 0));
  }

  @Test
  void everyCallRunsEqualCallsAreNotMerged() {
    List<String> ids = pool().map((Integer x) -> UUID.randomUUID().toString(),
        List.of(1, 1, 1, 1), 1);
    assertEquals(4, new HashSet<>(ids).size(), "each call ran: " + ids);
  }

  @Test
  void mapRaisesTheFailureNamingTheItemAndTheTaskAfterEveryChunkIsDone() throws IOException {
    Path dir = freshDir();
    String d = dir.toString();
    // chunks of 4: [0..3] [4..7] [8..11]; item 5 fails, so 6 and 7 never run (the chunk stops
    // at its first failure, as list(map(f, chunk)) does) while the other chunks complete
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> pool().map((Integer x) -> markThenFailOn5(d, x), range(12), 4));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("no fives: 5", e.getCause().getMessage());
    assertTrue(e.getMessage().contains("on item 5 (5) of Pool.map"), e.getMessage());
    assertEquals("pool-map", e.key().prefix(), e.getMessage());
    assertEquals(Set.of(0, 1, 2, 3, 4, 5, 8, 9, 10, 11), marked(dir));
    // the pool is fit for the next call
    assertEquals(List.of(1, 4), pool().map(PoolContractTest::square, List.of(1, 2)));
  }

  @Test
  void mapAsyncCallsItsCallbackWithTheWholeList() throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    AtomicReference<List<Integer>> got = new AtomicReference<>();
    AsyncResult<List<Integer>> r = pool().mapAsync(PoolContractTest::square, range(5));
    r.callback(v -> {
      got.set(v);
      called.countDown();
    });
    assertEquals(List.of(0, 1, 4, 9, 16), r.get(Duration.ofSeconds(60)));
    assertTrue(called.await(60, TimeUnit.SECONDS));
    assertEquals(List.of(0, 1, 4, 9, 16), got.get());
    assertTrue(r.successful());
  }

  @Test
  void severalThreadsMayMapOnOnePoolAtOnce() throws Exception {
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors
        .newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<Integer>>> outs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t * 1000;
        outs.add(callers.submit(() -> pool().map((Integer x) -> x + offset, range(100), 7)));
      }
      for (int t = 0; t < 4; t++) {
        int offset = t * 1000;
        assertEquals(range(100).stream().map(x -> x + offset).collect(Collectors.toList()),
            outs.get(t).get(60, TimeUnit.SECONDS));
      }
    } finally {
      callers.shutdownNow();
    }
  }

  // ---- imap ----

  @Test
  void imapYieldsInOrderWhateverTheCompletionOrder() {
    List<Integer> delays = List.of(400, 0, 300, 0, 200, 0, 100, 0);
    List<Integer> out = new ArrayList<>();
    pool().imap(PoolContractTest::sleepy, delays).forEachRemaining(out::add);
    assertEquals(delays, out);
    List<Integer> chunked = new ArrayList<>();
    pool().imap(PoolContractTest::square, range(10), 3).forEachRemaining(chunked::add);
    assertEquals(range(10).stream().map(x -> x * x).collect(Collectors.toList()), chunked);
  }

  @Test
  void imapReadsItsItemsLazilySoAnEndlessInputWorks() {
    Iterable<Integer> naturals = () -> Stream.iterate(0, x -> x + 1).iterator();
    Iterator<Integer> it = pool().imap(PoolContractTest::square, naturals, 2);
    List<Integer> first = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      first.add(it.next());
    }
    assertEquals(range(20).stream().map(x -> x * x).collect(Collectors.toList()), first);
  }

  @Test
  void imapThrowsAFailureAtItsPlaceAndGoesOn() {
    Iterator<Integer> it = pool().imap(PoolContractTest::failOn5, range(8));
    for (int i = 0; i < 5; i++) {
      assertEquals(i, it.next());
    }
    TaskFailedException e = assertThrows(TaskFailedException.class, it::next);
    assertTrue(e.getMessage().contains("on item 5 (5) of Pool.imap"), e.getMessage());
    assertEquals(6, it.next());
    assertEquals(7, it.next());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
  }

  /** Item -1 waits (at most 30 s) until the file {@code gate} exists; the others return at once. */
  static int gated(String gate, int x) throws InterruptedException {
    for (int i = 0; x == -1 && i < 3000 && !Files.exists(Path.of(gate)); i++) {
      Thread.sleep(10);
    }
    return x;
  }

  @Test
  void imapUnorderedYieldsInCompletionOrder() throws IOException {
    // the first item cannot finish before the gate opens, and the gate opens only once a
    // result has come back: that result is one of the later items
    Path gate = freshDir().resolve("gate");
    String g = gate.toString();
    Iterator<Integer> it = pool().imapUnordered((Integer x) -> gated(g, x),
        List.of(-1, 1, 2, 3, 4));
    int first = it.next();
    Files.createFile(gate);
    List<Integer> out = new ArrayList<>(List.of(first));
    it.forEachRemaining(out::add);
    assertTrue(first != -1, "a later item came first: " + out);
    assertEquals(Set.of(-1, 1, 2, 3, 4), Set.copyOf(out));
    assertEquals(5, out.size());
    List<Integer> chunked = new ArrayList<>();
    pool().imapUnordered(PoolContractTest::square, range(10), 4).forEachRemaining(chunked::add);
    assertEquals(Set.copyOf(range(10).stream().map(x -> x * x).collect(Collectors.toList())),
        Set.copyOf(chunked));
    assertEquals(10, chunked.size());
  }

  // ---- starmap ----

  @Test
  void starmapUnpacksEachArgumentList() {
    List<List<?>> pairs = List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6));
    assertEquals(List.of(3, 7, 11), pool().starmap(PoolContractTest::add, pairs));
    assertEquals(List.of(3, 7, 11), pool().starmap(PoolContractTest::add, pairs, 2));
    List<List<?>> triples = List.of(List.of("a", 1, "b"), List.of("c", 2, "d"));
    assertEquals(List.of("a1b", "c2d"), pool().starmap(PoolContractTest::join3, triples));
  }

  @Test
  void starmapRefusesAnArgumentListOfTheWrongSizeBeforeRunning() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pool().starmap(PoolContractTest::add, List.of(List.of(1, 2), List.of(3))));
    assertTrue(e.getMessage().contains("item 1 has 1 arguments, the function takes 2"),
        e.getMessage());
  }

  // ---- applyAsync ----

  @Test
  void applyAsyncIsNonBlockingWithReadyGetWaitAndCallbacks() throws Exception {
    AsyncResult<Integer> slow = pool().applyAsync(PoolContractTest::sleepy, 1500);
    assertFalse(slow.ready());
    assertThrows(IllegalStateException.class, slow::successful);
    // the idioms' one timeout exception (unchecked), naming the call and the time waited
    ResultTimeoutException t = assertThrows(ResultTimeoutException.class,
        () -> slow.get(Duration.ofMillis(10)));
    assertEquals(Duration.ofMillis(10), t.timeout());
    assertTrue(t.getMessage().matches("the result of Pool\\.applyAsync \\(task .+\\) timed"
        + " out after 10 ms \\(the work goes on.*"), t.getMessage());
    assertInstanceOf(TimeoutException.class, t.getCause());
    assertFalse(slow.wait(Duration.ofMillis(10)));
    CountDownLatch called = new CountDownLatch(1);
    slow.callback(v -> called.countDown());
    assertTrue(slow.wait(Duration.ofSeconds(60)));
    assertTrue(slow.ready());
    assertTrue(slow.successful());
    assertEquals(1500, slow.get());
    assertTrue(called.await(60, TimeUnit.SECONDS));

    assertEquals(7, pool().applyAsync(PoolContractTest::add, 3, 4).get());
    assertEquals(49, pool().apply(PoolContractTest::square, 7));               // blocking apply
    assertEquals(7, pool().apply(PoolContractTest::add, 3, 4));
    assertEquals("x2y", pool().apply(PoolContractTest::join3, "x", 2, "y"));
    assertEquals("x1y", pool().applyAsync(PoolContractTest::join3, "x", 1, "y").get());
  }

  @Test
  void applyAsyncFailureReachesGetAndTheErrorCallback() throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AsyncResult<Integer> r = pool().applyAsync(PoolContractTest::failOn5, 5)
        .errorCallback(t -> {
          seen.set(t);
          called.countDown();
        });
    r.await();
    assertTrue(r.ready());
    assertFalse(r.successful());
    TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("pool-apply", e.key().prefix());
    assertTrue(called.await(60, TimeUnit.SECONDS));
    assertInstanceOf(TaskFailedException.class, seen.get());
  }

  @Test
  void closingAPoolCancelsItsPendingWorkAndNothingHangs() {
    try (Pool other = Pool.on(pool().scheduler())) {
      AsyncResult<Integer> r = other.applyAsync(PoolContractTest::sleepy, 20_000);
      other.close();
      assertThrows(CancellationException.class, r::get);
      assertThrows(IllegalStateException.class,
          () -> other.map(PoolContractTest::square, List.of(1)));
    }
    // the shared scheduler is still usable
    assertEquals(List.of(4), pool().map(PoolContractTest::square, List.of(2)));
  }
}
