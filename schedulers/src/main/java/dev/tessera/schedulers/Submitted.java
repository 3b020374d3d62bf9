package dev.tessera.schedulers;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A blocking computation run on a thread of an executor, as an {@link Execution}: cancel
 * interrupts that thread, which the engines treat as a cancellation. The guard makes sure a
 * late cancel never interrupts the next computation the thread runs.
 */
final class Submitted {
  private Submitted() {}

  static Execution start(Executor executor, Supplier<List<RemoteValue>> work,
      Supplier<RuntimeException> closed) {
    CompletableFuture<List<RemoteValue>> results = new CompletableFuture<>();
    Object guard = new Object();
    Thread[] runner = new Thread[1];
    boolean[] cancelled = new boolean[1];
    try {
      executor.execute(() -> {
        synchronized (guard) {
          if (cancelled[0]) {
            results.completeExceptionally(new ComputeCancelledException("cancelled before it"
                + " started"));
            return;
          }
          runner[0] = Thread.currentThread();
        }
        try {
          results.complete(work.get());
        } catch (Throwable e) {
          results.completeExceptionally(e);
        } finally {
          synchronized (guard) {
            runner[0] = null;
            Thread.interrupted();
          }
        }
      });
    } catch (RejectedExecutionException e) {
      results.completeExceptionally(closed.get());
    }
    return Execution.of(results, () -> {
      synchronized (guard) {
        cancelled[0] = true;
        if (runner[0] != null) {
          runner[0].interrupt();
        }
      }
    });
  }
}
