package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskCounts;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SchedulerCallback#wantsTaskEvents()} on the local engine: a task no callback wants
 * gets no per-task call, a task that one wants gets all three, and the live
 * {@link TaskCounts} are exact either way.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskEventsWantedTest {
  private static final int N = 300;
  /** What {@link Choosy} answers; tasks of {@link #flipAt} turn it on. */
  static final AtomicBoolean WANT = new AtomicBoolean();

  @AfterEach
  void reset() {
    WANT.set(false);
  }

  static int flipAt(int x) {
    if (x == N / 2) {
      WANT.set(true);
    }
    return x;
  }

  /** Wants task events while {@link #WANT} says so; counts every call. */
  static final class Choosy implements SchedulerCallback {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger pre = new AtomicInteger();
    final AtomicInteger post = new AtomicInteger();
    final AtomicInteger sized = new AtomicInteger();
    final AtomicInteger finishes = new AtomicInteger();
    volatile RunInfo run;
    volatile int completedAtFinish = -2;
    volatile int failedAtFinish = -2;
    volatile RunOutcome outcome;

    @Override
    public boolean wantsTaskEvents() {
      return WANT.get();
    }

    @Override
    public void start(RunInfo r) {
      run = r;
      starts.incrementAndGet();
    }

    @Override
    public void pretask(RunInfo r, Key key, String worker) {
      pre.incrementAndGet();
    }

    @Override
    public long sizeOf(Object result) {
      sized.incrementAndGet();
      return -1;
    }

    @Override
    public void posttask(RunInfo r, TaskEvent event) {
      post.incrementAndGet();
    }

    @Override
    public void finish(RunInfo r, RunOutcome o) {
      completedAtFinish = r.counts().completed();
      failedAtFinish = r.counts().failed();
      outcome = o;
      finishes.incrementAndGet();
    }
  }

  static Delayed<List<Integer>> tasks(boolean flip) {
    List<Delayed<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      parts.add(flip ? Delayed.call(TaskEventsWantedTest::flipAt, Delayed.value(i))
          : Delayed.call(Work::inc, Delayed.value(i)));
    }
    return Delayed.list(parts);
  }

  static void onSyncAndThreads(java.util.function.Consumer<Scheduler> test) {
    test.accept(Schedulers.sync());
    try (ThreadedScheduler threads = Schedulers.threads(2)) {
      test.accept(threads);
    }
  }

  @Test
  void aCallbackThatWantsNoTaskGetsStartAndFinishAndExactCounts() {
    onSyncAndThreads(s -> {
      Choosy c = new Choosy();
      assertEquals(N, ((List<?>) Tessera.compute(List.of(tasks(false)), s, c).get(0)).size());
      assertEquals(1, c.starts.get());
      assertEquals(1, c.finishes.get());
      assertEquals(0, c.pre.get() + c.post.get() + c.sized.get(), "no per-task call");
      assertNotSame(TaskCounts.NONE, c.run.counts(), "the local engine counts");
      assertEquals(N + 1, c.completedAtFinish, "the list task too");
      assertEquals(0, c.failedAtFinish);
      assertEquals(N + 1, c.outcome.tasksCompleted());
    });
  }

  @Test
  void aFailedTaskIsCountedWithoutTaskEvents() {
    onSyncAndThreads(s -> {
      Choosy c = new Choosy();
      Delayed<List<Integer>> failing = Delayed.list(List.of(
          Delayed.call(Work::failIfNegative, Delayed.value(-1)),
          Delayed.call(Work::inc, Delayed.value(1))));
      assertThrows(TaskFailedException.class,
          () -> Tessera.compute(List.of(failing), s, c));
      assertEquals(0, c.pre.get() + c.post.get() + c.sized.get());
      assertEquals(1, c.failedAtFinish);
      assertEquals(c.outcome.tasksCompleted(), c.completedAtFinish);
    });
  }

  @Test
  void aCallbackThatStartsWantingGetsEveryLaterTaskWhole() {
    onSyncAndThreads(s -> {
      WANT.set(false);
      Choosy c = new Choosy();
      Tessera.compute(List.of(tasks(true)), s, c);
      int reported = c.post.get();
      // at least the list, which runs last; never the flipping task, which started before
      assertTrue(reported > 0 && reported <= N,
          "the tasks that started after the flip: " + reported);
      assertEquals(reported, c.pre.get(), "pretask and posttask for the same tasks");
      assertEquals(reported, c.sized.get());
      assertEquals(N + 1, c.completedAtFinish, "counted all the same");
    });
  }

  @Test
  void theCountsAreLive() {
    // on one thread, the k-th posttask sees k tasks finished: the count is kept as they end
    List<Integer> seen = new ArrayList<>();
    SchedulerCallback live = new SchedulerCallback() {
      @Override
      public void posttask(RunInfo run, TaskEvent event) {
        seen.add(run.counts().completed());
      }
    };
    Tessera.compute(List.of(tasks(false)), Schedulers.sync(), live);
    assertEquals(N + 1, seen.size());
    for (int k = 0; k < seen.size(); k++) {
      assertEquals(k + 1, seen.get(k));
    }
  }

  @Test
  void combinedCallbacksWantATaskWhenAnyDoesAndThenAllGetIt() {
    Choosy choosy = new Choosy();
    Recorder recorder = new Recorder();
    assertTrue(new SchedulerCallback() {}.wantsTaskEvents(), "the default keeps every event");
    assertFalse(SchedulerCallback.all(List.of(choosy, new Choosy())).wantsTaskEvents());
    SchedulerCallback both = SchedulerCallback.all(List.of(choosy, recorder));
    assertTrue(both.wantsTaskEvents());
    try (ThreadedScheduler threads = Schedulers.threads(2)) {
      Tessera.compute(List.of(tasks(false)), threads, both);
    }
    assertEquals(N + 1, recorder.started());
    assertEquals(N + 1, recorder.ended());
    assertEquals(N + 1, choosy.post.get(), "called with the others, as documented");
    assertEquals(N + 1, choosy.completedAtFinish);
  }

  @Test
  void aSchedulerThatDoesNotCountSaysSo() {
    Delayed<Integer> x = Delayed.value(1);
    RunInfo run = new RunInfo(1, "s", dev.tessera.graph.core.ExecutionPlan.of(x.graph(),
        x.outputKeys()), 0);
    assertSame(TaskCounts.NONE, run.counts());
    assertEquals(-1, run.counts().completed());
    assertEquals(-1, run.counts().failed());
  }
}
