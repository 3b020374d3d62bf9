package dev.tessera.idioms.views;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.spi.Engines;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Several engines addressed together, as ipyparallel's {@code DirectView} ({@code rc[:]},
 * {@code rc[0:2]}, {@code rc[::2]}): every call runs on each of them, and results come back as
 * a list in the view's engine order. {@code apply} and {@code map} return at once with an
 * {@link AsyncResult}; their {@code Sync} forms and the data movements ({@code push},
 * {@code pull}, {@code scatter}, {@code gather}) block. Calls to one engine run in the order
 * they were made, one at a time.
 *
 * <pre>{@code
 * DirectView dview = client.view();
 * dview.push(Map.of("a", 10, "b", 5));
 * List<Integer> sums = dview.applySync(ns -> ns.<Integer>get("a") + ns.<Integer>get("b"));
 * dview.scatter("x", List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));   // 3, 3, 2, 2 on 4 engines
 * }</pre>
 */
public final class DirectView {
  private final Engines engines;
  private final List<Integer> targets;

  DirectView(Engines engines, List<Integer> targets) {
    this.engines = engines;
    this.targets = List.copyOf(targets);
  }

  /** {@return the ids of this view's engines, in order} */
  public List<Integer> ids() {
    return targets;
  }

  /**
   * Runs the function on every engine of the view and returns at once (ipyparallel's
   * {@code apply_async}).
   *
   * @param fn the function, given each engine's namespace
   * @param <R> its result type
   * @return the results, one per engine in view order, once all ended
   */
  public <R> AsyncResult<List<R>> apply(EngineFn<R> fn) {
    Objects.requireNonNull(fn, "fn");
    List<EngineFn<?>> same = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      same.add(fn);
    }
    return run(same);
  }

  /**
   * Runs {@code fn(arg)} on every engine; {@code arg} travels with the call.
   *
   * @param fn the function
   * @param arg its argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the results, one per engine
   */
  public <A, R> AsyncResult<List<R>> apply(Fn1<A, R> fn, A arg) {
    Objects.requireNonNull(fn, "fn");
    return apply(ns -> fn.apply(arg));
  }

  /**
   * Runs {@code fn(a, b)} on every engine; the arguments travel with the call.
   *
   * @param fn the function
   * @param a its first argument
   * @param b its second argument
   * @param <A> the first argument's type
   * @param <B> the second argument's type
   * @param <R> the result type
   * @return the results, one per engine
   */
  public <A, B, R> AsyncResult<List<R>> apply(Fn2<A, B, R> fn, A a, B b) {
    Objects.requireNonNull(fn, "fn");
    return apply(ns -> fn.apply(a, b));
  }

  /**
   * Runs the function on every engine and waits (ipyparallel's {@code apply_sync}).
   *
   * @param fn the function
   * @param <R> its result type
   * @return the results, one per engine in view order
   * @throws RemoteError if it failed on an engine, naming the first (others suppressed)
   */
  public <R> List<R> applySync(EngineFn<R> fn) {
    return apply(fn).get();
  }

  /**
   * Runs {@code fn(arg)} on every engine and waits.
   *
   * @param fn the function
   * @param arg its argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the results, one per engine
   */
  public <A, R> List<R> applySync(Fn1<A, R> fn, A arg) {
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
   * @return its result, one per engine
   */
  public <A, B, R> List<R> applySync(Fn2<A, B, R> fn, A a, B b) {
    return apply(fn, a, b).get();
  }

  /** Runs one function per engine (same size as the view), in view order. */
  @SuppressWarnings("unchecked")
  <R> AsyncResult<List<R>> run(List<EngineFn<?>> fns) {
    Instant now = Instant.now();
    List<Metadata> initial = new ArrayList<>();
    for (int e : targets) {
      initial.add(Metadata.queued(e, now));
    }
    CompletableFuture<List<Object>> all = new CompletableFuture<>();
    AsyncResult<List<R>> result = new AsyncResult<>((CompletableFuture<List<R>>) (Object) all,
        initial);
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      int slot = i;
      calls.add(Calls.call(engines, targets.get(i), fns.get(i), now,
          m -> result.metadata(slot, m)));
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

  /**
   * Sets variables on every engine of the view, the same values on each, and waits
   * (ipyparallel's {@code push}). On worker JVMs each engine gets its own copy; on threads
   * they share the caller's objects.
   *
   * @param values the variables by name, no null values
   */
  public void push(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "values: a null name"),
        Objects.requireNonNull(v, () -> "values: '" + k + "' is null; engine namespaces hold"
            + " no nulls")));
    applySync(ns -> {
      ns.map().putAll(copy);
      return null;
    });
  }

  /**
   * Sets one variable on every engine (ipyparallel's {@code dview['a'] = 10}).
   *
   * @param name its name
   * @param value its value, not null
   */
  public void put(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    push(Map.of(name, value));
  }

  /**
   * Reads a variable from every engine of the view (ipyparallel's {@code pull}).
   *
   * @param name its name
   * @param <T> its type
   * @return its value on each engine, in view order
   * @throws RemoteError if an engine does not have it, naming the engine and the variable
   */
  public <T> List<T> pull(String name) {
    Objects.requireNonNull(name, "name");
    return applySync(ns -> ns.<T>get(name));
  }

  /**
   * The same as {@link #pull} (ipyparallel's {@code dview['a']}).
   *
   * @param name the variable's name
   * @param <T> its type
   * @return its value on each engine
   */
  public <T> List<T> get(String name) {
    return pull(name);
  }

  /**
   * Splits the list into contiguous, balanced pieces, one per engine in view order, and sets
   * each engine's piece under {@code name} (ipyparallel's {@code scatter}: 10 items on 4
   * engines give 3, 3, 2, 2; engines beyond the items get empty lists). Waits.
   *
   * @param name the variable's name on the engines
   * @param values the items (nulls allowed inside the pieces)
   */
  public void scatter(String name, List<?> values) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(values, "values");
    List<EngineFn<?>> fns = new ArrayList<>();
    int n = values.size();
    int q = targets.size();
    for (int p = 0; p < q; p++) {
      ArrayList<Object> piece = new ArrayList<>(values.subList(Partition.low(n, p, q),
          Partition.high(n, p, q)));
      fns.add(ns -> ns.put(name, piece));
    }
    run(fns).get();
  }

  /**
   * Splits an array by rows (its first axis) the same way and sets each engine's rows under
   * {@code name} as an array of their own; a 1-D array splits by elements.
   *
   * @param name the variable's name on the engines
   * @param array the array, at least 1-D
   */
  public void scatter(String name, INDArray array) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(array, "array");
    List<INDArray> pieces = RowPieces.split(array, targets.size());
    List<EngineFn<?>> fns = new ArrayList<>();
    for (INDArray piece : pieces) {
      fns.add(ns -> ns.put(name, piece));
    }
    run(fns).get();
  }

  /**
   * Reads the pieces of a scattered list back from the engines and joins them in view order
   * (ipyparallel's {@code gather}).
   *
   * @param name the variable's name on the engines: a list on each
   * @param <T> the items' type
   * @return the items, the pieces in view order
   * @throws IllegalArgumentException if an engine holds something else than a list, naming it
   *     (an array: {@link #gatherArray})
   */
  @SuppressWarnings("unchecked")
  public <T> List<T> gather(String name) {
    Objects.requireNonNull(name, "name");
    List<Object> pieces = pull(name);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      Object piece = pieces.get(i);
      if (!(piece instanceof List<?> l)) {
        throw new IllegalArgumentException("gather(\"" + name + "\") needs a list on every"
            + " engine, but engine " + targets.get(i) + " holds a "
            + piece.getClass().getName() + (piece instanceof INDArray ? ": use gatherArray"
            : ": use pull for values that are not pieces of a list"));
      }
      out.addAll((List<T>) l);
    }
    return out;
  }

  /**
   * Reads the pieces of a scattered array back and stacks them along the first axis in view
   * order.
   *
   * @param name the variable's name on the engines: an array on each
   * @return the array
   * @throws IllegalArgumentException if an engine holds something else than an array
   */
  public INDArray gatherArray(String name) {
    Objects.requireNonNull(name, "name");
    List<Object> pieces = pull(name);
    List<INDArray> arrays = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      if (!(pieces.get(i) instanceof INDArray a)) {
        throw new IllegalArgumentException("gatherArray(\"" + name + "\") needs an array on"
            + " every engine, but engine " + targets.get(i) + " holds a "
            + pieces.get(i).getClass().getName());
      }
      arrays.add(a);
    }
    return RowPieces.join(arrays);
  }

  /**
   * Applies the function to every item, the items split over the engines as
   * {@link #scatter} splits them, and returns at once; the results keep the items' order
   * (ipyparallel's {@code DirectView.map}).
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return one result per item, in order
   */
  @SuppressWarnings("unchecked")
  public <A, R> AsyncResult<List<R>> map(Fn1<A, R> fn, List<A> items) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    List<EngineFn<?>> fns = new ArrayList<>();
    int n = items.size();
    int q = targets.size();
    for (int p = 0; p < q; p++) {
      ArrayList<A> piece = new ArrayList<>(items.subList(Partition.low(n, p, q),
          Partition.high(n, p, q)));
      fns.add(ns -> {
        List<R> out = new ArrayList<>(piece.size());
        for (A a : piece) {
          out.add(fn.apply(a));
        }
        return out;
      });
    }
    AsyncResult<List<List<R>>> pieces = run(fns);
    return flatten(pieces);
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

  /** The per-engine lists of a map joined, with the same metadata. */
  private static <R> AsyncResult<List<R>> flatten(AsyncResult<List<List<R>>> pieces) {
    CompletableFuture<List<R>> joined = pieces.raw().thenApply(ls -> {
      List<R> out = new ArrayList<>();
      ls.forEach(out::addAll);
      return out;
    });
    return AsyncResult.derived(pieces, joined);
  }

  /**
   * A function of a list that runs on every engine with its own contiguous piece of the list,
   * the pieces' results joined in order (ipyparallel's {@code @dview.parallel}).
   *
   * <pre>{@code
   * ParallelFunction<Integer, Integer> even = dview.parallel(xs -> xs.stream()
   *     .filter(x -> x % 2 == 0).collect(Collectors.toList()));
   * List<Integer> evens = even.call(List.of(0, 1, 2, 3, 4, 5));
   * }</pre>
   *
   * @param fn the function of one piece, returning a list
   * @param <A> the item type
   * @param <R> the result items' type
   * @return the parallel function
   */
  public <A, R> ParallelFunction<A, R> parallel(Fn1<List<A>, List<R>> fn) {
    Objects.requireNonNull(fn, "fn");
    return new ParallelFunction<>(this, fn);
  }

  /**
   * A function that runs on every engine with the whole argument, one result per engine
   * (ipyparallel's {@code @dview.remote}).
   *
   * @param fn the function
   * @param <A> the argument type
   * @param <R> the result type
   * @return the remote function
   */
  public <A, R> RemoteFunction<A, R> remote(Fn1<A, R> fn) {
    Objects.requireNonNull(fn, "fn");
    return new RemoteFunction<>(this, fn);
  }

  /** Runs {@code fn} on every engine with its piece of {@code items}, results joined. */
  <A, R> AsyncResult<List<R>> pieces(Fn1<List<A>, List<R>> fn, List<A> items) {
    List<EngineFn<?>> fns = new ArrayList<>();
    int n = items.size();
    int q = targets.size();
    for (int p = 0; p < q; p++) {
      ArrayList<A> piece = new ArrayList<>(items.subList(Partition.low(n, p, q),
          Partition.high(n, p, q)));
      fns.add(ns -> fn.apply(piece));
    }
    AsyncResult<List<List<R>>> parts = run(fns);
    return flatten(parts);
  }

  @Override
  public String toString() {
    return "DirectView(engines " + targets + ")";
  }
}
