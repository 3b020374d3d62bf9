package dev.tessera.futures;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.TaskGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A {@link Client} with submission {@link Submit options}: made by {@link Client#with}.
 *
 * <pre>{@code
 * TaskFuture<String> f = client.with(Submit.options().retries(3).pure(false)).submit(Demo::download, url);
 * }</pre>
 */
public final class Submitter {
  private final Client client;
  private final Submit options;

  Submitter(Client client, Submit options) {
    this.client = client;
    this.options = options;
  }

  /**
   * Submits {@code fn(a)}; see {@link Client#submit(Fn1, Object)}.
   *
   * @param fn the function
   * @param a the argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the future
   */
  public <A, R> TaskFuture<R> submit(Fn1<A, ? extends R> fn, Object a) {
    List<TaskFuture<?>> inputs = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Fn1<Object, R> f = (Fn1<Object, R>) fn;
    return add(Delayed.call(f, lazy(a, inputs)), inputs);
  }

  /**
   * Submits {@code fn(a, b)}.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the future
   */
  public <A, B, R> TaskFuture<R> submit(Fn2<A, B, ? extends R> fn, Object a,
      Object b) {
    List<TaskFuture<?>> inputs = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Fn2<Object, Object, R> f = (Fn2<Object, Object, R>) fn;
    return add(Delayed.call(f, lazy(a, inputs), lazy(b, inputs)), inputs);
  }

  /**
   * Submits {@code fn(a, b, c)}.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the future
   */
  public <A, B, C, R> TaskFuture<R> submit(Fn3<A, B, C, ? extends R> fn,
      Object a, Object b, Object c) {
    List<TaskFuture<?>> inputs = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Fn3<Object, Object, Object, R> f = (Fn3<Object, Object, Object, R>) fn;
    return add(Delayed.call(f, lazy(a, inputs), lazy(b, inputs), lazy(c, inputs)), inputs);
  }

  /**
   * Submits {@code fn(args)}.
   *
   * @param fn the function
   * @param args the arguments
   * @param <R> the result type
   * @return the future
   */
  public <R> TaskFuture<R> apply(FnN<? extends R> fn, Object... args) {
    List<TaskFuture<?>> inputs = new ArrayList<>();
    Object[] lazyArgs = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      lazyArgs[i] = arg(args[i], inputs);
    }
    return add(Delayed.apply(fn, lazyArgs), inputs);
  }

  /**
   * Submits {@code fn(item)} for every item; see {@link Submit#batchSize}.
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return one future per item, in order
   */
  public <A, R> List<TaskFuture<R>> map(Fn1<A, ? extends R> fn, Collection<?> items) {
    boolean plain = options.batchSize() > 1 && options.pure() && options.key() == null;
    for (Object item : items) {
      plain &= !(item instanceof Lazy<?>) && !(item instanceof List<?>);
    }
    if (!plain) {
      List<TaskFuture<R>> out = new ArrayList<>(items.size());
      for (Object item : items) {
        out.add(submit(fn, item));
      }
      return out;
    }
    // tiny tasks: several to one computation, so that per-computation costs are paid once
    List<TaskFuture<R>> out = new ArrayList<>(items.size());
    List<Key> keys = new ArrayList<>();
    List<TaskGraph> graphs = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Fn1<Object, R> f = (Fn1<Object, R>) fn;
    for (Object item : items) {
      Delayed<R> d = Delayed.call(f, Delayed.value(item));
      keys.add(d.key());
      graphs.add(d.graph());
      if (keys.size() == options.batchSize()) {
        out.addAll(client.<R>addBatch(keys, graphs, options));
        keys = new ArrayList<>();
        graphs = new ArrayList<>();
      }
    }
    if (!keys.isEmpty()) {
      out.addAll(client.<R>addBatch(keys, graphs, options));
    }
    return out;
  }

  private static Lazy<Object> lazy(Object a, List<TaskFuture<?>> inputs) {
    Object x = arg(a, inputs);
    if (x instanceof Lazy<?> l) {
      @SuppressWarnings("unchecked")
      Lazy<Object> lo = (Lazy<Object>) l;
      return lo;
    }
    return Delayed.apply(Submitter::first, x);
  }

  private static Object first(Object[] args) {
    return args[0];
  }

  /** Notes the futures among an argument (also inside lists) and returns it usable by Delayed. */
  private static Object arg(Object a, List<TaskFuture<?>> inputs) {
    if (a instanceof TaskFuture<?> f) {
      inputs.add(f);
      return f;
    }
    if (a instanceof Lazy<?>) {
      return a;
    }
    if (a instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      boolean anyLazy = false;
      for (Object o : l) {
        Object x = arg(o, inputs);
        anyLazy |= x instanceof Lazy<?> || x instanceof List<?>;
        out.add(x);
      }
      return anyLazy ? out : Delayed.value(a);
    }
    return Delayed.value(a);
  }

  private <R> TaskFuture<R> add(Delayed<R> d, List<TaskFuture<?>> inputs) {
    Key key = d.key();
    TaskGraph graph = d.graph();
    if (options.key() != null || !options.pure()) {
      String prefix = options.key() != null ? options.key() : key.prefix();
      Key renamed = options.key() != null ? Key.of(options.key())
          : Key.of(prefix + "-" + Client.randomToken());
      // the task itself under the new key, not an identity task on top of it: one task to run
      // instead of two in a row (the old key's task is culled when the graph is planned)
      graph = TaskGraph.of(Layer.of(renamed.name(), prefix, Map.of(renamed, graph.get(key))),
          graph);
      key = renamed;
    }
    return client.add(key, graph, inputs, options);
  }
}
