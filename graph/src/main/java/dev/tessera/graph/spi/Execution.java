package dev.tessera.graph.spi;

import dev.tessera.graph.ComputeCancelledException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One computation submitted with {@link dev.tessera.graph.Scheduler#submit}: it runs in the
 * background; {@link #results()} completes with one {@link RemoteValue} per output of the plan,
 * in order, or with the computation's error ({@link dev.tessera.graph.TaskFailedException} or
 * {@link ComputeCancelledException}) once nothing of it runs any more.
 */
public interface Execution {
  /** {@return the results, one handle per plan output; completes once} */
  CompletableFuture<List<RemoteValue>> results();

  /**
   * Asks the computation to stop: nothing new starts, running tasks are interrupted, and
   * {@link #results()} completes with a {@link ComputeCancelledException} unless it already
   * completed. Idempotent; returns at once.
   */
  void cancel();

  /**
   * Returns an execution of a future and the action that cancels it.
   *
   * @param results completes with the results
   * @param cancel asks the work to stop
   * @return the execution
   */
  static Execution of(CompletableFuture<List<RemoteValue>> results, Runnable cancel) {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(cancel, "cancel");
    return new Execution() {
      @Override
      public CompletableFuture<List<RemoteValue>> results() {
        return results;
      }

      @Override
      public void cancel() {
        cancel.run();
      }
    };
  }

  /**
   * Waits for the results, as a blocking {@code compute()} does: an interrupt of the waiting
   * thread cancels the computation, waits until it has stopped, sets the interrupt flag again
   * and throws {@link ComputeCancelledException}.
   *
   * @return the results
   * @throws RuntimeException the computation's error, unwrapped
   */
  default List<RemoteValue> await() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return results().get();
        } catch (InterruptedException e) {
          if (!interrupted) {
            interrupted = true;
            cancel();
          }
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException r) {
            throw r;
          }
          if (c instanceof Error err) {
            throw err;
          }
          throw new dev.tessera.graph.TesseraException("the computation failed: " + c, c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
