package dev.tessera.idioms.pool;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The result of {@link Pool#applyAsync}, {@link Pool#mapAsync} or {@link Pool#starmapAsync},
 * like multiprocessing's {@code AsyncResult}: {@link #ready()}, {@link #successful()},
 * {@link #get()}, {@link #get(Duration)}, {@link #wait(Duration)}, and callbacks.
 *
 * <pre>{@code
 * AsyncResult<Integer> r = pool.applyAsync(Demo::square, 7);
 * r.callback(v -> System.out.println("got " + v));
 * int fortyNine = r.get(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>A failure is a {@link dev.tessera.graph.TaskFailedException} naming the task's key (and,
 * for a map, the failing item), with the function's exception as its cause; {@link #get()}
 * throws it, as Python re-raises the worker's exception. Closing the pool cancels what is
 * pending: its results fail with a {@link CancellationException}. Thread-safe.
 *
 * @param <T> the value type
 */
public final class AsyncResult<T> {
  private final CompletableFuture<T> value;
  /** What it is the result of, for messages: {@code "Pool.applyAsync(square)"}. */
  private final String what;

  AsyncResult(CompletableFuture<T> value, String what) {
    this.value = value;
    this.what = what;
  }

  /** {@return whether the call has completed, successfully or not} */
  public boolean ready() {
    return value.isDone();
  }

  /**
   * {@return whether the call completed without raising}
   *
   * @throws IllegalStateException if it is not ready yet (Python raises {@code ValueError})
   */
  public boolean successful() {
    if (!value.isDone()) {
      throw new IllegalStateException("the result is not ready: call successful() after"
          + " ready() is true, or after wait(timeout)");
    }
    return !value.isCompletedExceptionally();
  }

  /**
   * Waits for the result and returns it, or throws its failure.
   *
   * @return the value
   * @throws dev.tessera.graph.TaskFailedException naming the key, the function's exception as
   *     its cause
   * @throws CancellationException if the pool was closed before it was computed
   * @throws ComputeCancelledException if the waiting thread is interrupted
   */
  public T get() {
    try {
      return value.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for a pool's result");
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    }
  }

  /**
   * Like {@link #get()}, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return the value
   * @throws ResultTimeoutException if it is not ready in time, naming the call and the
   *     timeout (the work goes on; Python raises {@code multiprocessing.TimeoutError})
   */
  public T get(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return value.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ResultTimeoutException("the result of " + what, timeout,
          "the work goes on: ask again later", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for a pool's result");
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    }
  }

  /**
   * Waits until the result is ready or {@code timeout} has passed; never throws its failure.
   * (The no-argument {@code wait()} is {@link Object#wait()}: use {@link #await()}.)
   *
   * @param timeout how long to wait at most
   * @return whether it is ready
   */
  public boolean wait(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      value.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for a pool's result");
    } catch (ExecutionException | CancellationException | TimeoutException e) {
      // a failure is ready too; a timeout returns false below
    }
    return value.isDone();
  }

  /** Waits until the result is ready, with no timeout; never throws its failure. */
  public void await() {
    try {
      value.handle((v, e) -> null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for a pool's result");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // cannot happen: handle() absorbs the failure
    }
  }

  /**
   * Calls {@code callback} with the value once it is computed (at once, on this thread, if it
   * is already): Python's {@code callback=} argument. It runs on the thread that received the
   * result, so it should return quickly; an exception it throws is printed, not propagated.
   *
   * @param callback what to do with the value
   * @return this result
   */
  public AsyncResult<T> callback(Consumer<? super T> callback) {
    Objects.requireNonNull(callback, "callback");
    value.thenAccept(v -> safely(() -> callback.accept(v)));
    return this;
  }

  /**
   * Calls {@code errorCallback} with the failure once the call has failed (at once if it has):
   * Python's {@code error_callback=} argument.
   *
   * @param errorCallback what to do with the failure
   * @return this result
   */
  public AsyncResult<T> errorCallback(Consumer<? super Throwable> errorCallback) {
    Objects.requireNonNull(errorCallback, "errorCallback");
    value.whenComplete((v, e) -> {
      if (e != null) {
        Throwable t = e instanceof CompletionException && e.getCause() != null
            ? e.getCause() : e;
        safely(() -> errorCallback.accept(t));
      }
    });
    return this;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      System.err.println("[pool] a callback threw: " + e);
    }
  }

  static RuntimeException unchecked(Throwable t) {
    if (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new CompletionException(t);
  }

  @Override
  public String toString() {
    return "AsyncResult(" + (!value.isDone() ? "pending"
        : value.isCompletedExceptionally() ? "failed" : "ready") + ")";
  }
}
