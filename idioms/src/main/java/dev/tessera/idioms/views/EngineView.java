package dev.tessera.idioms.views;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.spi.Engines;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One engine, as ipyparallel's {@code rc[0]}: the same calls as a {@link DirectView}, with
 * one value instead of a list of one. Calls run on that engine in the order they were made.
 *
 * <pre>{@code
 * EngineView e0 = client.view(0);
 * e0.put("a", 10);
 * int a = e0.get("a");
 * }</pre>
 */
public final class EngineView {
  private final Engines engines;
  private final int id;
  private final DirectView all;

  EngineView(Engines engines, int id) {
    this.engines = engines;
    this.id = id;
    this.all = new DirectView(engines, List.of(id));
  }

  /** {@return this engine's id} */
  public int id() {
    return id;
  }

  /**
   * Runs the function on this engine and returns at once.
   *
   * @param fn the function, given the engine's namespace
   * @param <R> its result type
   * @return its result
   */
  @SuppressWarnings("unchecked")
  public <R> AsyncResult<R> apply(EngineFn<R> fn) {
    Objects.requireNonNull(fn, "fn");
    Instant now = Instant.now();
    CompletableFuture<Object> f = new CompletableFuture<>();
    AsyncResult<R> result = new AsyncResult<>((CompletableFuture<R>) f,
        List.of(Metadata.queued(id, now)));
    Calls.call(engines, id, fn, now, m -> result.metadata(0, m)).whenComplete((v, e) -> {
      if (e == null) {
        f.complete(v);
      } else {
        f.completeExceptionally(Calls.unwrap(e));
      }
    });
    return result;
  }

  /**
   * Runs {@code fn(arg)} on this engine and returns at once.
   *
   * @param fn the function
   * @param arg its argument, sent with the call
   * @param <A> the argument type
   * @param <R> the result type
   * @return its result
   */
  public <A, R> AsyncResult<R> apply(Fn1<A, R> fn, A arg) {
    Objects.requireNonNull(fn, "fn");
    return apply(ns -> fn.apply(arg));
  }

  /**
   * Runs {@code fn(a, b)} on this engine and returns at once.
   *
   * @param fn the function
   * @param a its first argument
   * @param b its second argument
   * @param <A> the first argument's type
   * @param <B> the second argument's type
   * @param <R> the result type
   * @return its result
   */
  public <A, B, R> AsyncResult<R> apply(Fn2<A, B, R> fn, A a, B b) {
    Objects.requireNonNull(fn, "fn");
    return apply(ns -> fn.apply(a, b));
  }

  /**
   * Runs the function on this engine and waits.
   *
   * @param fn the function
   * @param <R> its result type
   * @return its result
   * @throws RemoteError if it failed
   */
  public <R> R applySync(EngineFn<R> fn) {
    return apply(fn).get();
  }

  /**
   * Runs {@code fn(arg)} on this engine and waits.
   *
   * @param fn the function
   * @param arg its argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return its result
   */
  public <A, R> R applySync(Fn1<A, R> fn, A arg) {
    return apply(fn, arg).get();
  }

  /**
   * Runs {@code fn(a, b)} and waits (the seeds' {@code dview.apply_sync(add, 3, 6)}).
   *
   * @param fn the function
   * @param a its first argument
   * @param b its second argument
   * @param <A> the first argument's type
   * @param <B> the second argument's type
   * @param <R> the result type
   * @return its result
   */
  public <A, B, R> R applySync(Fn2<A, B, R> fn, A a, B b) {
    return apply(fn, a, b).get();
  }

  /**
   * Sets variables on this engine and waits.
   *
   * @param values the variables by name, no null values
   */
  public void push(Map<String, ?> values) {
    all.push(values);
  }

  /**
   * Sets one variable on this engine ({@code rc[0]['a'] = 10}).
   *
   * @param name its name
   * @param value its value, not null
   */
  public void put(String name, Object value) {
    all.put(name, value);
  }

  /**
   * Reads a variable from this engine ({@code rc[0]['a']}).
   *
   * @param name its name
   * @param <T> its type
   * @return its value
   * @throws RemoteError if the engine does not have it
   */
  public <T> T pull(String name) {
    Objects.requireNonNull(name, "name");
    return applySync(ns -> ns.<T>get(name));
  }

  /**
   * The same as {@link #pull}.
   *
   * @param name its name
   * @param <T> its type
   * @return its value
   */
  public <T> T get(String name) {
    return pull(name);
  }

  @Override
  public String toString() {
    return "EngineView(" + engines.name(id) + ")";
  }
}
