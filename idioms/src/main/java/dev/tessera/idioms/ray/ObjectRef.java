package dev.tessera.idioms.ray;

import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A reference to a value that a task, an actor call or {@link Ray#put} makes, like Ray's
 * {@code ObjectRef}: {@link #get()} brings a copy here; passed as an argument to a later
 * {@link Ray#task}, it is used where it is (on the worker that holds it), never pulled here.
 * The value stays held on the workers while a reference to it is reachable, and no longer.
 *
 * <pre>{@code
 * ObjectRef<Integer> a = ray.task(Demo::square, 3).remote();
 * ObjectRef<Integer> b = ray.task(Demo::add, a, 1).remote();   // a is resolved on the worker
 * int ten = b.get();
 * }</pre>
 *
 * @param <T> the value type
 */
public final class ObjectRef<T> {
  private final Ray ray;
  /** Where the value is held for tasks, once known; null for a value made in this JVM. */
  private final CompletableFuture<TaskFuture<T>> held;
  /** The value in this JVM, when it was made here (an actor's result); else fetched lazily. */
  private final CompletableFuture<T> local;
  private CompletableFuture<T> fetched; // guarded by this
  private CompletableFuture<TaskFuture<T>> scattered; // guarded by this

  private ObjectRef(Ray ray, CompletableFuture<TaskFuture<T>> held, CompletableFuture<T> local) {
    this.ray = ray;
    this.held = held;
    this.local = local;
  }

  static <T> ObjectRef<T> held(Ray ray, CompletableFuture<TaskFuture<T>> held) {
    return new ObjectRef<>(ray, held, null);
  }

  static <T> ObjectRef<T> local(Ray ray, CompletableFuture<T> value) {
    return new ObjectRef<>(ray, null, value);
  }

  Ray ray() {
    return ray;
  }

  /** The value in this JVM: fetched from the workers on first need (Ray's fetch_local). */
  synchronized CompletableFuture<T> value() {
    if (local != null) {
      return local;
    }
    if (fetched == null) {
      fetched = held.thenCompose(ObjectRef::fetch);
    }
    return fetched;
  }

  /** Fetches a held value; a value that cannot come here fails naming its key, as get() does. */
  static <T> CompletableFuture<T> fetch(TaskFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.toCompletableFuture().whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
        return;
      }
      Throwable t = Ray.unwrap(e);
      out.completeExceptionally(t instanceof TaskFailedException
          || t instanceof java.util.concurrent.CancellationException ? t
          : new TaskFailedException(f.key(), ", but its result could not be fetched", t));
    });
    return out;
  }

  /** The value where tasks use it: put on the workers on first need if it was made here. */
  synchronized CompletableFuture<TaskFuture<T>> onWorkers() {
    if (held != null) {
      return held;
    }
    if (scattered == null) {
      scattered = local.thenApply(v -> ray.client().scatter(List.of(v)).get(0));
    }
    return scattered;
  }

  /**
   * Waits for the value and returns a copy of it: the same as {@link Ray#get(ObjectRef)}.
   *
   * @return the value
   * @throws dev.tessera.graph.TaskFailedException if its task failed, naming the key, the
   *     function's exception as cause
   * @throws ActorDiedException if it is the result of a call to an actor that died or was
   *     killed before the call ran
   */
  public T get() {
    return ray != null ? ray.get(this) : Ray.await(this, null);
  }

  /**
   * Like {@link #get()}, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return the value
   * @throws dev.tessera.idioms.ResultTimeoutException if it is not ready in time, naming
   *     this reference and the timeout (the work goes on)
   */
  public T get(Duration timeout) {
    if (ray == null) {
      java.util.Objects.requireNonNull(timeout, "timeout");
      return Ray.await(this, timeout);
    }
    return ray.get(this, timeout);
  }

  @Override
  public String toString() {
    CompletableFuture<?> f = local != null ? local : held;
    String state = !f.isDone() ? "pending" : f.isCompletedExceptionally() ? "failed"
        : local != null ? "ready" : "submitted";
    return "ObjectRef(" + (held != null && held.isDone() && !held.isCompletedExceptionally()
        ? held.join().key() + ", " : "") + state + ")";
  }
}
