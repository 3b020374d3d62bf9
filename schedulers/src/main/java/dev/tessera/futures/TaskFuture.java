package dev.tessera.futures;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.spi.RemoteValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of one submission to a {@link Client}, computed in the background and held where
 * the scheduler keeps it (a worker JVM keeps it there) until no future of its key and no
 * pending task needs it. A {@link Future}: {@link #get()} brings a copy here; also a
 * {@link Lazy} value, so it may be an argument of later submissions and of
 * {@code Delayed.call}, where it is used in place and never computed again.
 *
 * <pre>{@code
 * TaskFuture<Integer> a = client.submit(Demo::inc, 1);
 * TaskFuture<Integer> b = client.submit(Demo::add, a, 10);   // waits for a, on the workers
 * int twelve = b.get();
 * }</pre>
 *
 * <p>A failed future's {@link #get()} throws an {@link ExecutionException} whose cause is a
 * {@link TaskFailedException} naming the key, with the task's exception as its own cause; a
 * future that depends on a failed one fails with that same exception. {@link #result()} throws
 * it unwrapped. Thread-safe.
 *
 * @param <T> the value type
 */
public final class TaskFuture<T> implements Future<T>, Lazy<T> {
  private final Client client;
  final Entry entry;
  /** What graphs hold: when no future and no graph reaches it, the client forgets the key. */
  private final Handle handle;
  private final TaskGraph graph;
  private boolean released; // guarded by the client's lock

  TaskFuture(Client client, Entry entry) {
    this.client = client;
    this.entry = entry;
    this.handle = new Handle(entry);
    this.graph = TaskGraph.of(Layer.of(entry.key.name(), "future",
        Map.of(entry.key, RemoteValue.task(handle))));
  }

  /** {@return the key of the task whose result this is} */
  public Key key() {
    return entry.key;
  }

  Client client() {
    return client;
  }

  /** Returns the handle graphs hold; the client tracks its reachability. */
  Object handle() {
    return handle;
  }

  /**
   * Waits for the result and returns a copy of it in this JVM.
   *
   * @return the value
   * @throws ExecutionException with a {@link TaskFailedException} naming the key as cause
   * @throws CancellationException if it was cancelled
   * @throws InterruptedException if the waiting thread is interrupted (the work goes on)
   */
  @Override
  public T get() throws InterruptedException, ExecutionException {
    return fetch(entry.value.get());
  }

  /**
   * Like {@link #get()}, waiting at most {@code timeout}.
   *
   * @throws TimeoutException if it is not done in time (the work goes on)
   */
  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return fetch(entry.value.get(timeout, unit));
  }

  /**
   * Returns the value like {@link #get()}, but throws the failure itself: a
   * {@link TaskFailedException} naming the key, a {@link CancellationException}, or a
   * {@link ComputeCancelledException} if the waiting thread is interrupted.
   *
   * @return the value
   */
  public T result() {
    try {
      return get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for " + entry.key);
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    }
  }

  @SuppressWarnings("unchecked")
  private T fetch(RemoteValue v) throws ExecutionException {
    try {
      return (T) v.fetch();
    } catch (RuntimeException e) {
      throw new ExecutionException(new TaskFailedException(entry.key,
          ", but its result could not be fetched", e));
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

  /**
   * Returns a {@link CompletableFuture} of the value, completed (on a pool thread, which
   * fetches the value) when this one is.
   *
   * @return the completable future; cancelling it does not cancel this one
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<T> toCompletableFuture() {
    return entry.value.thenApplyAsync(v -> (T) v.fetch());
  }

  /**
   * Cancels the work if it has not finished: its task stops, this future and those that
   * depend on it fail with a {@link CancellationException}. The same as
   * {@link Client#cancel(List)} with this future.
   *
   * @param mayInterruptIfRunning ignored: a running task is always interrupted
   * @return whether this call cancelled it
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return client.cancel(this);
  }

  @Override
  public boolean isCancelled() {
    return entry.value.isCancelled();
  }

  @Override
  public boolean isDone() {
    return entry.value.isDone();
  }

  /** {@return whether it is done and failed (or was cancelled)} */
  public boolean failed() {
    return entry.value.isCompletedExceptionally();
  }

  /**
   * Says that this future is no longer needed: when no other future of the same key and no
   * pending task needs the result, it is dropped where it is held. Idempotent; a
   * {@code Cleaner} does the same for futures that become unreachable.
   */
  public void release() {
    client.release(this);
  }

  boolean markReleased() {
    if (released) {
      return false;
    }
    released = true;
    return true;
  }

  @Override
  public TaskGraph graph() {
    return graph;
  }

  @Override
  public List<Key> outputKeys() {
    return List.of(entry.key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Fn1<List<Object>, T> assembler() {
    return values -> (T) values.get(0);
  }

  /** Not supported: a future is computed already; use {@link Client#persist} for collections. */
  @Override
  public Lazy<T> withGraph(TaskGraph graph) {
    throw new UnsupportedOperationException("a future is computed already and needs no"
        + " persist(); its result stays held while the future is referenced");
  }

  /** Returns the value, like {@link #result()}; the scheduler argument is not used. */
  @Override
  public T compute(Scheduler scheduler) {
    return result();
  }

  @Override
  public String toString() {
    String state = !isDone() ? "pending" : isCancelled() ? "cancelled"
        : failed() ? "error" : "finished";
    return "TaskFuture(" + entry.key + ", " + state + ")";
  }

  /**
   * The handle a future's graph holds: it stands for the result while it is computed, and
   * resolves to the scheduler's own handle, which a scheduler uses in place.
   */
  static final class Handle implements RemoteValue {
    private final Entry entry;

    Handle(Entry entry) {
      this.entry = entry;
    }

    @Override
    public Key key() {
      return entry.key;
    }

    @Override
    public long sizeBytes() {
      return entry.value.isDone() && !entry.value.isCompletedExceptionally()
          ? entry.value.join().sizeBytes() : -1;
    }

    @Override
    public RemoteValue resolve() {
      try {
        return entry.value.join();
      } catch (CompletionException | CancellationException e) {
        throw unchecked(e);
      }
    }

    @Override
    public Object fetch() {
      return resolve().fetch();
    }

    /** Graphs do not own a future's result: releasing through them does nothing. */
    @Override
    public void release() {}

    @Override
    public boolean isReleased() {
      return false;
    }

    @Override
    public Scheduler owner() {
      return entry.value.isDone() && !entry.value.isCompletedExceptionally()
          ? entry.value.join().owner() : null;
    }
  }
}
