package dev.tessera.idioms.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ipyparallel's documented view semantics, for every scheduler with engines: subclasses give
 * the scheduler (one per class) and its engine count.
 */
abstract class ViewsContractTest {
  abstract Scheduler scheduler();

  Client client() {
    return Client.of(scheduler());
  }

  int n() {
    return client().ids().size();
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void viewsSelectEnginesAsSlicesDo() {
    Client rc = client();
    assertEquals(range(n()), rc.ids());
    assertEquals(range(n()), rc.view().ids());
    assertEquals(List.of(0, 2), rc.view(0, 4, 2).ids());
    assertEquals(List.of(1, 2), rc.view(1, 3).ids());
    assertEquals(range(n()), rc.view(0, 100).ids());
    assertEquals(1, rc.view(1).id());
    assertEquals(List.of(2, 0), rc.view(List.of(2, 0)).ids());
    assertThrows(IndexOutOfBoundsException.class, () -> rc.view(n()));
    assertThrows(IllegalArgumentException.class, () -> rc.view(5, 2));
    assertThrows(IllegalArgumentException.class, () -> Client.of(
        dev.tessera.schedulers.Schedulers.sync()));
  }

  @Test
  void applySyncRunsOnEveryEngineOfTheViewInViewOrder() {
    Client rc = client();
    assertEquals(range(n()), rc.view().applySync(ns -> ns.engine()));
    assertEquals(List.of(2, 0), rc.view(List.of(2, 0)).applySync(ns -> ns.engine()));
    List<Integer> nines = new ArrayList<>();
    for (int i = 0; i < n(); i++) {
      nines.add(9);
    }
    assertEquals(nines, rc.view().applySync((Integer x, Integer y) -> x + y, 3, 6));
    assertEquals(nines, rc.view().applySync(x -> x + 6, 3));
    assertEquals(Integer.valueOf(1), rc.view(1).applySync(ns -> ns.engine()));
  }

  @Test
  void applyReturnsAtOnceAndTheResultTellsWhenItIsReady() throws Exception {
    Gate gate = new Gate();
    AsyncResult<List<Boolean>> r = client().view(0, 2).apply(ns -> gate.pass());
    assertFalse(r.ready());
    assertFalse(r.wait(Duration.ofMillis(20)));
    assertThrows(IllegalStateException.class, r::successful);
    // the idioms' one timeout exception, naming the calls and the time waited
    ResultTimeoutException t = assertThrows(ResultTimeoutException.class,
        () -> r.get(Duration.ofMillis(20)));
    assertEquals(Duration.ofMillis(20), t.timeout());
    assertTrue(t.getMessage().startsWith("the result of 2 calls on engines 0, 1 timed out"
        + " after 20 ms (its calls go on"), t.getMessage());
    gate.open();
    assertTrue(r.wait(Duration.ofSeconds(60)));
    assertTrue(r.ready());
    assertTrue(r.successful());
    assertEquals(List.of(true, true), r.get());
    assertEquals(List.of(true, true), r.future().get());
  }

  @Test
  void metadataTellsWhereAndWhenACallRanAndWhatItPrinted() {
    Instant before = Instant.now();
    AsyncResult<List<Integer>> r = client().view().apply(ns -> {
      System.out.println("hello from " + ns.engine());
      System.err.print("warn " + ns.engine());
      return ns.engine();
    });
    r.get();
    List<Metadata> m = r.metadata();
    assertEquals(n(), m.size());
    for (int e = 0; e < n(); e++) {
      Metadata md = m.get(e);
      assertEquals(e, md.engineId());
      assertEquals("hello from " + e + System.lineSeparator(), md.stdout());
      assertEquals("warn " + e, md.stderr());
      assertFalse(md.submitted().isBefore(before));
      Instant started = md.started().orElseThrow();
      Instant completed = md.completed().orElseThrow();
      // the engine's clock is this machine's: allow a millisecond of rounding
      assertFalse(started.plusMillis(1).isBefore(md.submitted()), md.toString());
      assertFalse(completed.isBefore(started), md.toString());
    }
    assertEquals(range(n()), r.engineIds());
  }

  @Test
  void pushPullAndFunctionsThatReadAndWriteTheNamespace() {
    Client rc = client();
    DirectView dview = rc.view();
    dview.push(Map.of("a", 10, "b", 5));
    List<Integer> tens = new ArrayList<>();
    for (int i = 0; i < n(); i++) {
      tens.add(10);
    }
    assertEquals(tens, dview.pull("a"));
    assertEquals(Integer.valueOf(5), rc.view(0).get("b"));
    dview.applySync(ns -> ns.put("c", ns.<Integer>get("a") + ns.<Integer>get("b")));
    assertEquals(Integer.valueOf(15), rc.view(n() - 1).pull("c"));
    rc.view(1).put("only1", "x");
    assertEquals("x", rc.view(1).get("only1"));
    RemoteError missing = assertThrows(RemoteError.class, () -> dview.pull("only1"));
    assertEquals(0, missing.engine());
    assertInstanceOf(NoSuchElementException.class, missing.getCause());
    assertTrue(missing.getMessage().contains("'only1'") && missing.getMessage()
        .contains("engine 0"), missing.getMessage());
    dview.applySync(ns -> ns.remove("only1") | ns.remove("a") | ns.remove("b")
        | ns.remove("c"));
    assertThrows(NullPointerException.class, () -> dview.put("z", null));
  }

  @Test
  void scatterSplitsInContiguousBalancedPiecesAndGatherJoinsThemInOrder() {
    DirectView dview = client().view();
    List<Integer> ten = range(10);
    dview.scatter("a", ten);
    List<List<Integer>> pieces = dview.pull("a");
    int q = n();
    for (int p = 0; p < q; p++) {
      int lo = p * (10 / q) + Math.min(p, 10 % q);
      int size = 10 / q + (p < 10 % q ? 1 : 0);
      assertEquals(ten.subList(lo, lo + size), pieces.get(p), "engine " + p);
    }
    assertEquals(ten, dview.gather("a"));
    // the seeds' parallel list comprehension: y = [i**10 for i in x]
    dview.scatter("x", range(64));
    dview.applySync(ns -> ns.put("y", ns.<List<Integer>>get("x").stream()
        .map(i -> (long) i * i).collect(Collectors.toList())));
    List<Long> squares = dview.gather("y");
    assertEquals(range(64).stream().map(i -> (long) i * i).collect(Collectors.toList()),
        squares);
    // fewer items than engines: the last engines get empty pieces
    dview.scatter("few", List.of("p"));
    assertEquals(List.of("p"), dview.pull("few").get(0));
    assertEquals(List.of(), dview.pull("few").get(q - 1));
    assertEquals(List.of("p"), dview.gather("few"));
    dview.push(Map.of("scalar", 1));
    IllegalArgumentException notList = assertThrows(IllegalArgumentException.class,
        () -> dview.gather("scalar"));
    assertTrue(notList.getMessage().contains("engine 0"), notList.getMessage());
    dview.applySync(ns -> ns.remove("a") | ns.remove("x") | ns.remove("y")
        | ns.remove("few") | ns.remove("scalar"));
  }

  @Test
  void arraysScatterByRows() {
    DirectView dview = client().view();
    INDArray a = Nd4j.arange(30).reshape(10, 3).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    dview.scatter("rows", a);
    List<long[]> shapes = dview.applySync(ns -> ns.<INDArray>get("rows").shape());
    for (int p = 0; p < n(); p++) {
      assertEquals(10 / n() + (p < 10 % n() ? 1 : 0), shapes.get(p)[0]);
      assertEquals(3, shapes.get(p)[1]);
    }
    assertEquals(a, dview.gatherArray("rows"));
    INDArray v = Nd4j.linspace(0, 1, 7, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    dview.scatter("v", v);
    assertEquals(v, dview.gatherArray("v"));
    dview.applySync(ns -> ns.remove("rows") | ns.remove("v"));
  }

  @Test
  void mapKeepsTheItemsOrderAndSplitsThemLikeScatter() {
    DirectView dview = client().view();
    List<Integer> squares = dview.mapSync(x -> x * x, range(1, 11));
    assertEquals(List.of(1, 4, 9, 16, 25, 36, 49, 64, 81, 100), squares);
    AsyncResult<List<Integer>> where = dview.map(x -> x, range(0, 0));
    assertEquals(List.of(), where.get());
    assertEquals(List.of(), dview.mapSync(x -> x, List.of()));
  }

  static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  @Test
  void parallelAndRemoteFunctions() {
    DirectView dview = client().view();
    ParallelFunction<Integer, Integer> even = dview.parallel(xs -> xs.stream()
        .filter(x -> x % 2 == 0).collect(Collectors.toList()));
    assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14), even.call(range(16)));
    ParallelFunction<Integer, Integer> sizes = dview.parallel(xs -> List.of(xs.size()));
    assertEquals(n(), sizes.call(range(10)).size());
    assertEquals(10, sizes.call(range(10)).stream().mapToInt(i -> i).sum());
    RemoteFunction<List<Integer>, List<Integer>> scale = dview.remote(a -> a.stream()
        .map(x -> 2 * x).collect(Collectors.toList()));
    List<List<Integer>> scaled = scale.call(range(4));
    assertEquals(n(), scaled.size());
    for (List<Integer> s : scaled) {
      assertEquals(List.of(0, 2, 4, 6), s);
    }
  }

  @Test
  void aFailureNamesItsEngineAndOthersAreSuppressedAndTheEnginesGoOn() {
    DirectView dview = client().view();
    RemoteError one = assertThrows(RemoteError.class, () -> dview.applySync(ns -> {
      if (ns.engine() == 1) {
        throw new IllegalArgumentException("bad input on 1");
      }
      return ns.engine();
    }));
    assertEquals(1, one.engine());
    assertTrue(one.getMessage().contains("[engine 1]") && one.getMessage()
        .contains("bad input on 1"), one.getMessage());
    assertInstanceOf(IllegalArgumentException.class, one.getCause());
    assertEquals(1, one.metadata().engineId());
    RemoteError all = assertThrows(RemoteError.class, () -> dview.applySync(ns -> {
      throw new IllegalStateException("everywhere " + ns.engine());
    }));
    assertEquals(0, all.engine());
    assertEquals(n() - 1, all.getSuppressed().length);
    AsyncResult<List<Integer>> failed = dview.apply(ns -> 1 / (ns.engine() - ns.engine()));
    assertTrue(failed.wait(Duration.ofSeconds(60)));
    assertFalse(failed.successful());
    assertEquals(range(n()), dview.applySync(ns -> ns.engine()));
  }

  @Test
  void callsToOneEngineRunInTheOrderTheyWereMade() {
    EngineView e1 = client().view(1);
    e1.put("log", new ArrayList<Integer>());
    List<AsyncResult<Integer>> rs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int k = i;
      rs.add(e1.apply(ns -> {
        ns.<List<Integer>>get("log").add(k);
        return ns.<List<Integer>>get("log").size();
      }));
    }
    for (int i = 0; i < 40; i++) {
      assertEquals(Integer.valueOf(i + 1), rs.get(i).get());
    }
    assertEquals(range(40), e1.applySync(ns -> new ArrayList<>(ns.<List<Integer>>get("log"))));
    e1.applySync(ns -> ns.remove("log"));
  }

  @Test
  void loadBalancedMapKeepsOrderAndSpreadsOverTheEngines() {
    LoadBalancedView lview = client().loadBalancedView();
    List<Integer> items = range(200);
    AsyncResult<List<Integer>> r = lview.map(x -> x * 3, items);
    assertEquals(items.stream().map(x -> x * 3).collect(Collectors.toList()), r.get());
    assertEquals(200, r.metadata().size());
    assertTrue(new java.util.HashSet<>(r.engineIds()).size() > 1, r.engineIds().toString());
    assertEquals(items, lview.map(x -> x, items, 7).get());
    assertEquals(List.of(), lview.mapSync(x -> x, List.of()));
    assertEquals(Integer.valueOf(42), lview.applySync(x -> x * 2, 21));
  }

  @Test
  void aSlowTaskHoldsOnlyItsOwnEngine() throws Exception {
    LoadBalancedView lview = client().loadBalancedView();
    Gate gate = new Gate();
    AsyncResult<Boolean> slow = lview.apply(ns -> gate.pass());
    List<AsyncResult<Integer>> quick = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      quick.add(lview.apply(ns -> ns.engine()));
    }
    for (AsyncResult<Integer> q : quick) {
      q.get(Duration.ofSeconds(60)); // would wait for the gate if queued behind it
    }
    int held = slow.engineIds().get(0);
    for (AsyncResult<Integer> q : quick) {
      assertTrue(q.get() != held, "a quick task ran on the busy engine " + held);
    }
    assertFalse(slow.ready());
    gate.open();
    assertTrue(slow.get());
  }

  @Test
  void afterWaitsForItsDependenciesAndFollowRunsWhereTheyRan() throws Exception {
    LoadBalancedView lview = client().loadBalancedView();
    Gate gate = new Gate();
    AsyncResult<Integer> a = lview.apply(ns -> {
      gate.pass();
      ns.put("made-by-a", true);
      return ns.engine();
    });
    AsyncResult<Long> b = lview.after(a).apply(ns -> System.nanoTime());
    AsyncResult<Boolean> c = lview.follow(a).apply(ns -> ns.remove("made-by-a"));
    assertFalse(b.wait(Duration.ofMillis(50)));
    assertTrue(b.metadata().get(0).started().isEmpty());
    gate.open();
    int where = a.get();
    b.get();
    assertFalse(b.metadata().get(0).started().orElseThrow()
        .isBefore(a.metadata().get(0).completed().orElseThrow().minusMillis(1)));
    assertTrue(c.get(), "follow ran on another engine than its dependency");
    assertEquals(List.of(where), c.engineIds());
  }

  @Test
  void aFailedDependencyAndADependencyTimeoutFailTheTask() throws Exception {
    LoadBalancedView lview = client().loadBalancedView();
    AsyncResult<Integer> bad = lview.apply(ns -> {
      throw new IllegalStateException("dep broke");
    });
    AsyncResult<Integer> dependent = lview.after(bad).apply(ns -> 1);
    ImpossibleDependency x = assertThrows(ImpossibleDependency.class, dependent::get);
    assertTrue(x.getMessage().contains("dep broke"), x.getMessage());
    Gate gate = new Gate();
    AsyncResult<Boolean> slow = lview.apply(ns -> gate.pass());
    AsyncResult<Integer> late = lview.after(slow).timeout(Duration.ofMillis(100))
        .apply(ns -> 2);
    ResultTimeoutException t = assertThrows(ResultTimeoutException.class,
        () -> late.get(Duration.ofSeconds(60)));
    assertEquals(Duration.ofMillis(100), t.timeout());
    assertTrue(t.getMessage().startsWith("the dependencies (after/follow) of a load-balanced"
        + " task timed out after 100 ms"), t.getMessage());
    gate.open();
    slow.get();
    AsyncResult<Integer> ok = lview.after(slow).timeout(Duration.ofSeconds(60)).apply(ns -> 3);
    assertEquals(Integer.valueOf(3), ok.get());
  }

  @Test
  void retriesRunAFailedTaskOnEnginesItHasNotFailedOn() {
    Client rc = client();
    DirectView dview = rc.view();
    dview.put("bad", true);
    rc.view(n() - 1).applySync(ns -> ns.remove("bad"));
    EngineFn<Integer> picky = ns -> {
      if (ns.contains("bad")) {
        throw new IllegalStateException("engine " + ns.engine() + " is bad");
      }
      return ns.engine();
    };
    LoadBalancedView lview = rc.loadBalancedView().retries(n() - 1);
    for (int i = 0; i < 3; i++) {
      assertEquals(Integer.valueOf(n() - 1), lview.applySync(picky));
    }
    rc.view(n() - 1).put("bad", true);
    RemoteError everywhere = assertThrows(RemoteError.class,
        () -> rc.loadBalancedView().retries(n() + 3).applySync(picky));
    assertTrue(everywhere.getMessage().contains("is bad"), everywhere.getMessage());
    dview.applySync(ns -> ns.remove("bad"));
    assertThrows(IllegalArgumentException.class, () -> rc.loadBalancedView().retries(-1));
  }
}
