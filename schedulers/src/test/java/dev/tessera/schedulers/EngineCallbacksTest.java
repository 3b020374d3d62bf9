package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker-JVM engine calls diagnostics callbacks without holding its lock. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineCallbacksTest {
  @Test
  void pretaskRunsOutsideTheLockSoOtherTasksFinishMeanwhile() {
    // the second pretask waits for the first task's posttask: under the engine's lock the
    // first task's done event could not be handled, and the wait would time out
    CountDownLatch firstEnded = new CountDownLatch(1);
    AtomicInteger pretasks = new AtomicInteger();
    AtomicBoolean sawTheOtherFinish = new AtomicBoolean();
    SchedulerCallback callback = new SchedulerCallback() {
      @Override
      public void pretask(RunInfo run, Key key, String worker) {
        if (pretasks.incrementAndGet() == 2) {
          try {
            sawTheOtherFinish.set(firstEnded.await(30, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void posttask(RunInfo run, TaskEvent event) {
        firstEnded.countDown();
      }
    };
    try (ProcessScheduler s = Schedulers.processes(2)) {
      Delayed<List<Integer>> both = Delayed.list(List.of(
          Delayed.call(Work::inc, Delayed.value(1)), Delayed.call(Work::inc, Delayed.value(2))));
      List<Object> out = Tessera.compute(List.of(both), s, callback);
      assertEquals(List.of(List.of(2, 3)), out);
    }
    assertTrue(sawTheOtherFinish.get(), "a task finished while another's pretask ran");
  }
}
