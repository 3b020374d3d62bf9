package dev.tessera.graph;

import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.Functions;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lazy value: the result of a function call that has not run yet, like Dask's
 * {@code delayed}. Calls on delayed values build a task graph; {@link #compute()} runs it.
 *
 * <pre>{@code
 * Delayed<Integer> a = Delayed.call(Demo::inc, Delayed.value(1));
 * Delayed<Integer> b = Delayed.call(Demo::inc, Delayed.value(2));
 * Delayed<Integer> c = Delayed.call(Integer::sum, a, b);
 * int five = c.compute();
 * }</pre>
 *
 * <p>Keys are deterministic: the same function applied to equal arguments gives the same key
 * in every JVM, so building the same expression twice costs nothing when it runs (like Dask's
 * {@code pure=True}). Give functions with side effects distinct arguments, or name the call
 * with {@link #named(String)}. Functions are serializable functional interfaces
 * ({@link Fn1}, {@link Fn2}, {@link Fn3}, {@link FnN}), so that a task can run in another JVM.
 *
 * @param <T> the type of the value
 */
public final class Delayed<T> implements Lazy<T> {
  private final Key key;
  private final TaskGraph graph;
  // a literal is inlined into the tasks that use it instead of becoming a task of its own
  private final boolean literal;
  private final T value;

  private Delayed(Key key, TaskGraph graph, boolean literal, T value) {
    this.key = key;
    this.graph = graph;
    this.literal = literal;
    this.value = value;
  }

  /**
   * Returns a delayed value that is just {@code value}. Used as an argument, it is passed to
   * the function as a literal, not as a separate task.
   *
   * @param value the value (serializable, to run on other processes)
   * @param <T> its type
   * @return the delayed value
   */
  public static <T> Delayed<T> value(T value) {
    Key k = Key.of(Tokens.name("literal", Task.quote(value)));
    return new Delayed<>(k, null, true, value);
  }

  /**
   * Returns the value of one key of a graph, such as one block or partition of a collection
   * (what the collections' {@code toDelayed()} return), like Dask's {@code Delayed(key, dsk)}.
   *
   * @param key the key
   * @param graph a graph that holds it
   * @param <T> the type of its value
   * @return the delayed value
   * @throws GraphException if the graph does not hold the key
   */
  public static <T> Delayed<T> fromKey(Key key, TaskGraph graph) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(graph, "graph");
    if (!graph.contains(key)) {
      throw new GraphException("Delayed.fromKey: the graph has no task " + key);
    }
    return new Delayed<>(key, graph, false, null);
  }

  /**
   * Returns the lazy result of {@code fn(a)}. An argument may be any lazy value: a delayed
   * value, a future of a {@code Client}, or a collection (passed computed).
   *
   * @param fn the function
   * @param a its argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the delayed result
   */
  public static <A, R> Delayed<R> call(Fn1<? super A, ? extends R> fn, Lazy<? extends A> a) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(a, "a");
    return make(Functions.describe(fn), fn, Functions.call(fn), a);
  }

  /**
   * Returns the lazy result of {@code fn(a, b)}.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the delayed result
   */
  public static <A, B, R> Delayed<R> call(Fn2<? super A, ? super B, ? extends R> fn,
      Lazy<? extends A> a, Lazy<? extends B> b) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return make(Functions.describe(fn), fn, Functions.call(fn), a, b);
  }

  /**
   * Returns the lazy result of {@code fn(a, b, c)}.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the delayed result
   */
  public static <A, B, C, R> Delayed<R> call(Fn3<? super A, ? super B, ? super C, ? extends R> fn,
      Lazy<? extends A> a, Lazy<? extends B> b, Lazy<? extends C> c) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(c, "c");
    return make(Functions.describe(fn), fn, Functions.call(fn), a, b, c);
  }

  /**
   * Returns the lazy result of {@code fn(args)}, where each argument may be a literal, a
   * {@link Delayed}, any other lazy collection (passed computed), or a {@link List} of these
   * to any depth (passed as a list of computed values).
   *
   * @param fn the function; it receives the computed arguments
   * @param args the arguments
   * @param <R> the result type
   * @return the delayed result
   */
  public static <R> Delayed<R> apply(FnN<? extends R> fn, Object... args) {
    Objects.requireNonNull(fn, "fn");
    return make(Functions.describe(fn), fn, fn, args);
  }

  /**
   * Returns a delayed list of the values of {@code items}.
   *
   * @param items the delayed items
   * @param <T> the item type
   * @return the delayed list
   */
  public static <T> Delayed<List<T>> list(Collection<? extends Delayed<? extends T>> items) {
    Checks.noNulls(items, "items");
    return make("list", "list", Functions.toList(), new ArrayList<Object>(items));
  }

  /**
   * Returns the lazy result of {@code fn(this)}.
   *
   * @param fn the function
   * @param <R> the result type
   * @return the delayed result
   */
  public <R> Delayed<R> map(Fn1<? super T, ? extends R> fn) {
    Objects.requireNonNull(fn, "fn");
    return call(fn, this);
  }

  /**
   * Returns this value under a new key named {@code prefix-token}, where the token also covers
   * the old key: for naming a step in diagnostics.
   *
   * @param prefix the name to show, such as {@code "load"}
   * @return the renamed value
   */
  public Delayed<T> named(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    Key k = Key.of(Tokens.name(prefix, key));
    Layer layer = Layer.of(k.name(), prefix, Map.of(k, Task.alias(key)));
    return new Delayed<>(k, TaskGraph.of(layer, graph()), false, null);
  }

  private static <R> Delayed<R> make(String prefix, Object tokenFn, TaskFunction fn,
      Object... rawArgs) {
    List<TaskGraph> deps = new ArrayList<>();
    Object[] args = new Object[rawArgs.length];
    for (int i = 0; i < rawArgs.length; i++) {
      args[i] = toArg(rawArgs[i], deps);
    }
    Key k = Key.of(Tokens.name(prefix, tokenFn, args));
    Layer layer = Layer.of(k.name(), prefix, Map.of(k, Task.of(fn, args)));
    return new Delayed<>(k, TaskGraph.of(layer, deps), false, null);
  }

  /** Turns a user argument into a task argument, collecting the graphs it needs. */
  private static Object toArg(Object a, List<TaskGraph> deps) {
    if (a instanceof Delayed<?> d) {
      if (d.literal) {
        return Task.quote(d.value);
      }
      deps.add(d.graph);
      return d.key;
    }
    if (a instanceof Lazy<?> c) {
      // another collection: its computed value, assembled inside a task
      List<Key> keys = c.outputKeys();
      Key k = Key.of(Tokens.name("finalize", c));
      Layer layer = Layer.of(k.name(), "finalize",
          Map.of(k, Task.of(Functions.assemble(c.assembler()), new ArrayList<>(keys))));
      deps.add(TaskGraph.of(layer, c.graph()));
      return k;
    }
    if (a instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(toArg(o, deps));
      }
      return out;
    }
    return a instanceof Key ? Task.quote(a) : a;
  }

  /** {@return the key of this value's task} */
  public Key key() {
    return key;
  }

  @Override
  public TaskGraph graph() {
    TaskGraph g = graph;
    if (g == null) {
      // a literal gets its constant task only when it is computed on its own
      g = TaskGraph.of(Layer.of(key.name(), "literal", Map.of(key, Task.constant(value))));
    }
    return g;
  }

  @Override
  public List<Key> outputKeys() {
    return List.of(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Fn1<List<Object>, T> assembler() {
    return values -> (T) values.get(0);
  }

  @Override
  public Delayed<T> withGraph(TaskGraph graph) {
    Objects.requireNonNull(graph, "graph");
    return new Delayed<>(key, graph, false, null);
  }

  @Override
  public Delayed<T> persist() {
    return (Delayed<T>) Lazy.super.persist();
  }

  @Override
  public Delayed<T> persist(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return (Delayed<T>) Lazy.super.persist(scheduler);
  }

  @Override
  public String toString() {
    return "Delayed(" + key + ")";
  }
}
