package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.SchedulerCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Choosing the scheduler per call, per scope and globally; registering callbacks. */
class TesseraTest {
  /** A scheduler that counts its calls and delegates to sync. */
  static final class Counting implements Scheduler {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
      calls.incrementAndGet();
      return Schedulers.sync().get(plan, callback);
    }
  }

  private static final Delayed<Integer> X = Delayed.call(Work::inc, Delayed.value(1));

  @Test
  void defaultIsTheSharedThreadedSchedulerWithOneWorkerPerCore() {
    assertSame(Schedulers.shared(), Tessera.scheduler());
    assertEquals(Runtime.getRuntime().availableProcessors(), Schedulers.shared().workers());
  }

  @Test
  void scopesNestAndRestore() {
    Counting outer = new Counting();
    Counting inner = new Counting();
    try (var a = Tessera.useScheduler(outer)) {
      X.compute();
      try (var b = Tessera.useScheduler(inner)) {
        assertSame(inner, Tessera.scheduler());
        X.compute();
        X.compute();
      }
      assertSame(outer, Tessera.scheduler());
      X.compute();
    }
    assertSame(Schedulers.shared(), Tessera.scheduler());
    assertEquals(2, outer.calls.get());
    assertEquals(2, inner.calls.get());
  }

  @Test
  void scopeIsPerThread() throws Exception {
    Counting mine = new Counting();
    try (var s = Tessera.useScheduler(mine)) {
      Scheduler[] seen = new Scheduler[1];
      Thread t = new Thread(() -> seen[0] = Tessera.scheduler());
      t.start();
      t.join();
      assertSame(Schedulers.shared(), seen[0]);
    }
  }

  @Test
  void perCallWinsAndGlobalDefaultApplies() {
    Counting global = new Counting();
    Counting call = new Counting();
    Tessera.setDefaultScheduler(global);
    try {
      X.compute();
      X.compute(call);
      assertEquals(1, global.calls.get());
      assertEquals(1, call.calls.get());
    } finally {
      Tessera.setDefaultScheduler(null);
    }
    assertSame(Schedulers.shared(), Tessera.scheduler());
  }

  @Test
  void callbacksGlobalScopedAndPerCall() {
    Recorder global = new Recorder();
    Recorder scoped = new Recorder();
    Recorder call = new Recorder();
    try (var g = Tessera.addCallback(global)) {
      try (var s = Tessera.useCallback(scoped)) {
        Tessera.compute(List.of(X), Schedulers.sync(), call);
      }
      X.compute(Schedulers.sync());
    }
    X.compute(Schedulers.sync());
    assertEquals(2, global.ended());
    assertEquals(1, scoped.ended());
    assertEquals(1, call.ended());
  }

  @Test
  void closingAScopeTwiceIsHarmless() {
    Counting c = new Counting();
    var s = Tessera.useScheduler(c);
    s.close();
    s.close();
    assertSame(Schedulers.shared(), Tessera.scheduler());
  }

  @Test
  void threadsAreDaemonsAndNamed() {
    List<Delayed<String>> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      names.add(Delayed.call(ThreadedSchedulerTest::threadName, Delayed.value(i)));
    }
    try (ThreadedScheduler s = Schedulers.threads(2)) {
      List<String> out = Delayed.list(names).compute(s);
      assertTrue(out.stream().anyMatch(n -> n.contains("-worker-") || !n.isEmpty()));
    }
  }
}
