package dev.tessera.idioms.views;

import dev.tessera.graph.Fn1;
import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Tasks that go to whichever engine is free, as ipyparallel's {@code LoadBalancedView}: each
 * engine runs one of this client's load-balanced tasks at a time, so a slow task never holds
 * others back while an engine is idle. The flags of ipyparallel's {@code set_flags} /
 * {@code temp_flags} are copies of the view with the flag set: {@link #after} (run once these
 * results are ready), {@link #follow} (run on the engine where these ran), {@link #retries}
 * (run again, on an engine it has not failed on, up to n times) and {@link #timeout} (fail if
 * the dependencies take longer).
 *
 * <pre>{@code
 * LoadBalancedView lview = client.loadBalancedView();
 * AsyncResult<Integer> a = lview.apply(ns -> 20);
 * AsyncResult<Integer> b = lview.after(a).retries(2).apply(ns -> 22);
 * List<Integer> squares = lview.mapSync(x -> x * x, List.of(1, 2, 3));
 * }</pre>
 */
public final class LoadBalancedView {
  private final Balancer balancer;
  private final List<AsyncResult<?>> after;
  private final List<AsyncResult<?>> follow;
  private final int retries;
  private final Duration timeout;

  LoadBalancedView(Balancer balancer) {
    this(balancer, List.of(), List.of(), 0, null);
  }

  private LoadBalancedView(Balancer balancer, List<AsyncResult<?>> after,
      List<AsyncResult<?>> follow, int retries, Duration timeout) {
    this.balancer = balancer;
    this.after = after;
    this.follow = follow;
    this.retries = retries;
    this.timeout = timeout;
  }

  /** {@return the ids of the engines tasks may go to} */
  public List<Integer> ids() {
    return balancer.targets();
  }

  /**
   * {@return a copy of this view whose tasks start only once these results are ready (a
   * failed one makes them fail with {@link ImpossibleDependency})}
   *
   * @param results the dependencies
   */
  public LoadBalancedView after(AsyncResult<?>... results) {
    return new LoadBalancedView(balancer, deps(results, "results"), follow, retries, timeout);
  }

  /**
   * {@return a copy of this view whose tasks run on the engine where these results ran, once
   * they are ready}
   *
   * @param results the dependencies, all from one engine
   */
  public LoadBalancedView follow(AsyncResult<?>... results) {
    return new LoadBalancedView(balancer, after, deps(results, "results"), retries, timeout);
  }

  /**
   * {@return a copy of this view whose failed tasks run again, each time on an engine they
   * have not failed on, up to {@code n} times}
   *
   * @param n how many times at most, 0 or more
   */
  public LoadBalancedView retries(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("retries must be 0 or more, got " + n);
    }
    return new LoadBalancedView(balancer, after, follow, n, timeout);
  }

  /**
   * {@return a copy of this view whose tasks fail with a {@link ResultTimeoutException} when
   * their dependencies are not met within {@code timeout}}
   *
   * @param timeout how long a task waits for its dependencies at most
   */
  public LoadBalancedView timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new LoadBalancedView(balancer, after, follow, retries, timeout);
  }

  private static List<AsyncResult<?>> deps(AsyncResult<?>[] results, String name) {
    Objects.requireNonNull(results, name);
    List<AsyncResult<?>> out = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      out.add(Objects.requireNonNull(results[i], name + "[" + i + "]"));
    }
    return List.copyOf(out);
  }

  /**
   * Runs the function on the first free engine and returns at once.
   *
   * @param fn the function, given the namespace of the engine it lands on
   * @param <R> its result type
   * @return its result
   */
  @SuppressWarnings("unchecked")
  public <R> AsyncResult<R> apply(EngineFn<R> fn) {
    Objects.requireNonNull(fn, "fn");
    AsyncResult<List<Object>> one = submit(List.of(fn));
    CompletableFuture<R> first = one.raw().thenApply(l -> (R) l.get(0));
    return AsyncResult.derived(one, first);
  }

  /**
   * Runs {@code fn(arg)} on the first free engine and returns at once.
   *
   * @param fn the function
   * @param arg its argument, sent with the task
   * @param <A> the argument type
   * @param <R> the result type
   * @return its result
   */
  public <A, R> AsyncResult<R> apply(Fn1<A, R> fn, A arg) {
    Objects.requireNonNull(fn, "fn");
    return apply(ns -> fn.apply(arg));
  }

  /**
   * Runs the function on the first free engine and waits.
   *
   * @param fn the function
   * @param <R> its result type
   * @return its result
   * @throws RemoteError if it failed (after its retries)
   */
  public <R> R applySync(EngineFn<R> fn) {
    return apply(fn).get();
  }

  /**
   * Runs {@code fn(arg)} on the first free engine and waits.
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
   * Applies the function to every item, each item a task of its own, and returns at once;
   * the results keep the items' order.
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return one result per item, in order
   */
  public <A, R> AsyncResult<List<R>> map(Fn1<A, R> fn, List<A> items) {
    return map(fn, items, 1);
  }

  /**
   * Applies the function to every item, {@code chunksize} consecutive items per task
   * (ipyparallel's {@code chunksize}), and returns at once; results keep the items' order.
   *
   * @param fn the function
   * @param items the items
   * @param chunksize items per task, at least 1
   * @param <A> the item type
   * @param <R> the result type
   * @return one result per item, in order
   */
  @SuppressWarnings("unchecked")
  public <A, R> AsyncResult<List<R>> map(Fn1<A, R> fn, List<A> items, int chunksize) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1, got " + chunksize);
    }
    List<EngineFn<?>> fns = new ArrayList<>();
    for (int lo = 0; lo < items.size(); lo += chunksize) {
      ArrayList<A> chunk = new ArrayList<>(items.subList(lo,
          Math.min(items.size(), lo + chunksize)));
      fns.add(ns -> {
        List<R> out = new ArrayList<>(chunk.size());
        for (A a : chunk) {
          out.add(fn.apply(a));
        }
        return out;
      });
    }
    AsyncResult<List<Object>> chunks = submit(fns);
    CompletableFuture<List<R>> joined = chunks.raw().thenApply(ls -> {
      List<R> out = new ArrayList<>(items.size());
      for (Object l : ls) {
        out.addAll((List<R>) l);
      }
      return out;
    });
    return AsyncResult.derived(chunks, joined);
  }

  /**
   * {@link #map} and wait (ipyparallel's {@code map_sync}).
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return one result per item, in order
   */
  public <A, R> List<R> mapSync(Fn1<A, R> fn, List<A> items) {
    return map(fn, items).get();
  }

  private AsyncResult<List<Object>> submit(List<EngineFn<?>> fns) {
    List<Metadata> initial = new ArrayList<>();
    java.time.Instant now = java.time.Instant.now();
    for (int i = 0; i < fns.size(); i++) {
      initial.add(Metadata.queued(-1, now));
    }
    CompletableFuture<List<Object>> all = new CompletableFuture<>();
    AsyncResult<List<Object>> result = new AsyncResult<>(all, initial);
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < fns.size(); i++) {
      int slot = i;
      Balancer.Job job = new Balancer.Job(fns.get(i), retries, m -> result.metadata(slot, m));
      calls.add(job.result);
      balancer.submit(job, after, follow, timeout);
    }
    Calls.all(calls).whenComplete((v, e) -> {
      if (e == null) {
        all.complete(v);
      } else {
        all.completeExceptionally(Calls.unwrap(e));
      }
    });
    return result;
  }

  @Override
  public String toString() {
    return "LoadBalancedView(engines " + balancer.targets() + (after.isEmpty() ? ""
        : ", after " + after.size()) + (follow.isEmpty() ? "" : ", follow " + follow.size())
        + (retries == 0 ? "" : ", retries " + retries)
        + (timeout == null ? "" : ", timeout " + timeout) + ")";
  }
}
