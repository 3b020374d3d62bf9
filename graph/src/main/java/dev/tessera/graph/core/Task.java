package dev.tessera.graph.core;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of work: a {@link TaskFunction} plus its arguments.
 *
 * <p>An argument is one of: a {@link Key}, which the scheduler replaces by that key's result; a
 * {@link List}, whose elements are treated the same way, to any depth (the function receives a
 * new unmodifiable list); or anything else, passed as it is. To pass a key or a list of keys as
 * a plain value, wrap it with {@link #quote(Object)}.
 *
 * <p>Tasks are immutable and serializable as long as their function and literal arguments are.
 *
 * <pre>{@code
 * Task t = Task.of(args -> (int) args[0] + 1, Key.of("x-1f2e3d4c"));
 * }</pre>
 */
public final class Task implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Key[] NO_KEYS = new Key[0];

  private final TaskFunction function;
  private final Object[] args;
  // Derived from args, cached: the distinct keys in first-seen order, and for each top-level
  // argument the position of its key in deps, -1 for a literal, -2 for a nested list.
  private final transient Key[] deps;
  private final transient int[] argSlots;
  // For nested lists with many keys: key to position in deps, instead of a linear search.
  private final transient Map<Key, Integer> depIndex;

  private Task(TaskFunction function, Object[] args) {
    this.function = Objects.requireNonNull(function, "function");
    this.args = args;
    if (args.length <= SMALL && flat(args)) {
      // the common case (a block task with a few key arguments): no map, a linear dedupe
      Key[] found = new Key[args.length];
      int[] slots = new int[args.length];
      int n = 0;
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Key k) {
          int s = 0;
          while (s < n && !found[s].equals(k)) {
            s++;
          }
          if (s == n) {
            found[n++] = k;
          }
          slots[i] = s;
        } else {
          slots[i] = -1;
        }
      }
      this.deps = n == 0 ? NO_KEYS : n == found.length ? found : Arrays.copyOf(found, n);
      this.argSlots = n > 0 ? slots : null;
      this.depIndex = null;
      return;
    }
    Map<Key, Integer> found = new LinkedHashMap<>();
    int[] slots = new int[args.length];
    boolean nested = false;
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Key k) {
        slots[i] = found.computeIfAbsent(k, x -> found.size());
      } else if (a instanceof List<?> l) {
        nested = true;
        slots[i] = -2;
        collectNested(l, found);
      } else {
        slots[i] = -1;
      }
    }
    this.deps = found.isEmpty() ? NO_KEYS : found.keySet().toArray(NO_KEYS);
    this.argSlots = nested || deps.length > 0 ? slots : null;
    this.depIndex = nested && deps.length > 8 ? Map.copyOf(found) : null;
  }

  /** Up to this many arguments, distinct keys are found by linear search. */
  private static final int SMALL = 16;

  private static boolean flat(Object[] args) {
    for (Object a : args) {
      if (a instanceof List<?>) {
        return false;
      }
    }
    return true;
  }

  private static void collectNested(List<?> root, Map<Key, Integer> out) {
    ArrayDeque<List<?>> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      for (Object o : todo.pop()) {
        if (o instanceof Key k) {
          out.computeIfAbsent(k, x -> out.size());
        } else if (o instanceof List<?> l) {
          todo.push(l);
        }
      }
    }
  }

  /**
   * Returns a task that calls {@code function} with {@code args}.
   *
   * @param function the function to call
   * @param args literal values, keys, or (nested) lists of them
   * @return the task
   */
  public static Task of(TaskFunction function, Object... args) {
    return new Task(function, args.clone());
  }

  /**
   * Returns a task whose result is {@code value}, unchanged (a key or list in it is not
   * resolved).
   *
   * @param value the value, serializable if the graph is to leave this JVM
   * @return the task
   */
  public static Task constant(Object value) {
    return new Task(Functions.IDENTITY, new Object[] {quote(value)});
  }

  /**
   * Returns a task whose result is the result of {@code other}.
   *
   * @param other the key to copy
   * @return the task
   */
  public static Task alias(Key other) {
    return new Task(Functions.IDENTITY, new Object[] {other});
  }

  /**
   * Wraps a value so that it reaches a task function as it is, even if it is a key or a list.
   *
   * @param value the value
   * @return the wrapped value, to use as a task argument
   */
  public static Object quote(Object value) {
    return value instanceof Key || value instanceof List<?> ? new Quoted(value) : value;
  }

  /** {@return the function} */
  public TaskFunction function() {
    return function;
  }

  /** {@return the arguments as given, keys not resolved; an unmodifiable view} */
  public List<Object> args() {
    return Collections.unmodifiableList(Arrays.asList(args));
  }

  /** {@return the distinct keys this task needs, in the order they first appear} */
  public List<Key> dependencies() {
    return List.of(deps);
  }

  /** {@return the number of distinct keys this task needs} */
  public int dependencyCount() {
    return deps.length;
  }

  /**
   * Returns one dependency, in the order of {@link #dependencies()}.
   *
   * @param i from 0 to {@code dependencyCount() - 1}
   * @return the key
   */
  public Key dependency(int i) {
    return deps[i];
  }

  /** {@return whether this task is a {@link #constant(Object)}} */
  public boolean isConstant() {
    return function == Functions.IDENTITY && deps.length == 0;
  }

  /** {@return whether this task is an {@link #alias(Key)} of another key} */
  public boolean isAlias() {
    return function == Functions.IDENTITY && args.length == 1 && args[0] instanceof Key;
  }

  /**
   * Runs the task.
   *
   * @param depValues the results of {@link #dependencies()}, in that order
   * @return the result of the function
   * @throws Exception whatever the function throws
   */
  public Object run(Object[] depValues) throws Exception {
    return function.apply(resolveArgs(depValues));
  }

  Object[] resolveArgs(Object[] depValues) {
    if (argSlots == null) {
      Object[] out = args.clone();
      for (int i = 0; i < out.length; i++) {
        if (out[i] instanceof Quoted q) {
          out[i] = q.value;
        }
      }
      return out;
    }
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      int s = argSlots[i];
      if (s >= 0) {
        out[i] = depValues[s];
      } else if (s == -2) {
        out[i] = resolveList((List<?>) args[i], depValues);
      } else {
        out[i] = args[i] instanceof Quoted q ? q.value : args[i];
      }
    }
    return out;
  }

  private Object resolveList(List<?> list, Object[] depValues) {
    List<Object> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (o instanceof Key k) {
        out.add(depValues[depIndex(k)]);
      } else if (o instanceof List<?> l) {
        out.add(resolveList(l, depValues));
      } else {
        out.add(o instanceof Quoted q ? q.value : o);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private int depIndex(Key k) {
    if (depIndex != null) {
      return depIndex.get(k);
    }
    for (int i = 0; i < deps.length; i++) {
      if (deps[i].equals(k)) {
        return i;
      }
    }
    throw new AssertionError(k);
  }

  // A task sharing another's arguments and what was derived from them, with another function.
  private Task(Task other, TaskFunction function) {
    this.function = Objects.requireNonNull(function, "function");
    this.args = other.args;
    this.deps = other.deps;
    this.argSlots = other.argSlots;
    this.depIndex = other.depIndex;
  }

  /**
   * Returns a task with the same arguments and another function, as a graph pass wraps a
   * task's function (say, to close its inputs after use) without reading its arguments again:
   * the dependencies are those of this task, in the same order.
   *
   * @param function the new function
   * @return the task
   */
  public Task withFunction(TaskFunction function) {
    return new Task(this, function);
  }

  /** {@return the number of top-level arguments, as {@code args().size()} without a copy} */
  public int argumentCount() {
    return args.length;
  }

  /**
   * Returns where top-level argument {@code i} stands among {@link #dependencies()}: the
   * position of its key (an argument repeated twice gives the same position twice), or -1 when
   * it is not a key (a literal, or a list, which may hold keys).
   *
   * @param i from 0 to {@code argumentCount() - 1}
   * @return the dependency's position, or -1
   */
  public int dependencyOfArgument(int i) {
    Objects.checkIndex(i, args.length);
    return argSlots == null ? -1 : Math.max(-1, argSlots[i]);
  }

  /** Returns a task with the same function and new arguments. */
  Task withArgs(Object[] newArgs) {
    return new Task(function, newArgs);
  }

  Object[] rawArgs() {
    return args;
  }

  private Object readResolve() {
    return new Task(function, args);
  }

  @Override
  public String toString() {
    return "Task(" + Functions.describe(function) + ", " + Arrays.deepToString(args) + ")";
  }

  /** A literal argument that is passed as it is, even if it is a key or a list. */
  static final class Quoted implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object value;

    Quoted(Object value) {
      this.value = value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Quoted q && Objects.equals(value, q.value);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return "quote(" + value + ")";
    }
  }
}
