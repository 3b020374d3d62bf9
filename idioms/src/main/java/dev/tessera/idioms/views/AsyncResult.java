package dev.tessera.idioms.views;

import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The result of a non-blocking call, as ipyparallel's {@code AsyncResult}: {@link #ready()},
 * {@link #wait(Duration)}, {@link #get()} and {@link #get(Duration)}, and the
 * {@link #metadata()} of each engine call behind it (engine id, submitted/started/completed
 * times, captured stdout and stderr). A failed call makes {@code get} throw a
 * {@link RemoteError} naming its engine.
 *
 * <pre>{@code
 * AsyncResult<List<Integer>> r = dview.apply(ns -> ns.engine());
 * r.wait(Duration.ofSeconds(1));
 * List<Integer> ids = r.get();
 * }</pre>
 *
 * @param <T> the result type: a list (one value per engine, or per item of a map) for
 *     multi-engine calls, one value for one engine or one load-balanced task
 */
public final class AsyncResult<T> {
  private final CompletableFuture<T> future;
  private final AtomicReferenceArray<Metadata> metadata;

  AsyncResult(CompletableFuture<T> future, List<Metadata> initial) {
    this.future = future;
    this.metadata = new AtomicReferenceArray<>(initial.toArray(new Metadata[0]));
  }

  private AsyncResult(CompletableFuture<T> future, AtomicReferenceArray<Metadata> metadata) {
    this.future = future;
    this.metadata = metadata;
  }

  /** A result computed from another's, with the same calls behind it. */
  static <T> AsyncResult<T> derived(AsyncResult<?> from, CompletableFuture<T> future) {
    return new AsyncResult<>(future, from.metadata);
  }

  /** Records what became known about call {@code i}. */
  void metadata(int i, Metadata m) {
    metadata.set(i, m);
  }

  /** {@return whether every call behind this result has ended (returned or failed)} */
  public boolean ready() {
    return future.isDone();
  }

  /**
   * {@return whether it ended without error}
   *
   * @throws IllegalStateException if it is not ready yet (ask {@link #ready()} or
   *     {@link #wait(Duration)} first)
   */
  public boolean successful() {
    if (!future.isDone()) {
      throw new IllegalStateException("the result is not ready yet: wait for it first");
    }
    return !future.isCompletedExceptionally();
  }

  /**
   * Waits until it is ready or the timeout passes.
   *
   * @param timeout how long to wait at most
   * @return whether it is ready
   */
  public boolean wait(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return future.isDone();
    } catch (ExecutionException | CancellationException e) {
      return true;
    }
    return true;
  }

  /**
   * Waits for the result and returns it.
   *
   * @return the result
   * @throws RemoteError if a call failed, naming its engine, with its exception as the cause
   */
  public T get() {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the result", e);
    } catch (ExecutionException e) {
      throw rethrow(e);
    }
  }

  /**
   * Waits at most {@code timeout} for the result.
   *
   * @param timeout how long to wait at most
   * @return the result
   * @throws ResultTimeoutException if it is not ready in time, naming the calls and the
   *     timeout (the calls go on: ipyparallel's {@code TimeoutError})
   * @throws RemoteError if a call failed
   */
  public T get(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ResultTimeoutException("the result of " + calls(), timeout,
          "its calls go on: ask again later", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the result", e);
    } catch (ExecutionException e) {
      throw rethrow(e);
    }
  }

  /** {@return the calls behind this result, for messages: "the call on engine 0"} */
  private String calls() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < metadata.length(); i++) {
      Metadata m = metadata.get(i);
      if (m != null && m.engineId() >= 0 && !ids.contains(m.engineId())) {
        ids.add(m.engineId());
      }
    }
    if (ids.isEmpty()) {
      return "a load-balanced task not yet on an engine";
    }
    String list = ids.toString();
    return ids.size() == 1 ? "the call on engine " + ids.get(0)
        : metadata.length() + " calls on engines " + list.substring(1, list.length() - 1);
  }

  private static RuntimeException rethrow(ExecutionException e) {
    Throwable c = Calls.unwrap(e);
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new CompletionException(c);
  }

  /**
   * {@return what is known about each call behind this result, in order (one per engine, or
   * per task of a load-balanced map), a snapshot}
   */
  public List<Metadata> metadata() {
    List<Metadata> out = new ArrayList<>(metadata.length());
    for (int i = 0; i < metadata.length(); i++) {
      out.add(metadata.get(i));
    }
    return out;
  }

  /** {@return the engine of each call, as {@link #metadata()} knows them (-1: not yet placed)} */
  public List<Integer> engineIds() {
    List<Integer> out = new ArrayList<>(metadata.length());
    for (int i = 0; i < metadata.length(); i++) {
      out.add(metadata.get(i).engineId());
    }
    return out;
  }

  /** {@return the result as a future, for composing (completing it does not change this one)} */
  public CompletableFuture<T> future() {
    return future.copy();
  }

  /** The future itself, for dependencies. */
  CompletableFuture<T> raw() {
    return future;
  }

  @Override
  public String toString() {
    return "AsyncResult(" + (!future.isDone() ? "pending"
        : future.isCompletedExceptionally() ? "failed" : "finished") + ", "
        + metadata.length() + " calls)";
  }
}
