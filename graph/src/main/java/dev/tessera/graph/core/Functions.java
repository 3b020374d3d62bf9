package dev.tessera.graph.core;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

/**
 * Task functions made from user functions, and the short names of functions that keys and
 * messages show: what {@link Delayed} and collections wrap a user's {@link Fn1}, {@link Fn2} or
 * {@link Fn3} in to make it a {@link Task}'s function.
 *
 * <pre>{@code
 * Fn1<Integer, Integer> inc = Ops::inc;
 * Task t = Task.of(Functions.call(inc), Key.of("x", 0));   // inc of x's result
 * String name = Functions.describe(inc);                   // "inc"; "lambda" for a lambda
 * }</pre>
 */
public final class Functions {
  private Functions() {}

  /**
   * Returns a task function that applies {@code fn} to the task's one argument.
   *
   * @param fn the function
   * @return the task function, named after {@code fn}
   */
  public static TaskFunction call(Fn1<?, ?> fn) {
    return new Call1(Objects.requireNonNull(fn, "fn"));
  }

  /**
   * Returns a task function that applies {@code fn} to the task's two arguments.
   *
   * @param fn the function
   * @return the task function, named after {@code fn}
   */
  public static TaskFunction call(Fn2<?, ?, ?> fn) {
    return new Call2(Objects.requireNonNull(fn, "fn"));
  }

  /**
   * Returns a task function that applies {@code fn} to the task's three arguments.
   *
   * @param fn the function
   * @return the task function, named after {@code fn}
   */
  public static TaskFunction call(Fn3<?, ?, ?, ?> fn) {
    return new Call3(Objects.requireNonNull(fn, "fn"));
  }

  /**
   * Returns a task function whose one argument is a list (of keys and values) and whose result
   * is that list with each key replaced by its result: {@link Delayed#list}.
   *
   * @return the task function
   */
  public static TaskFunction toList() {
    return new ToList();
  }

  /**
   * Returns a task function that hands its one argument, the list of a collection's block
   * results, to the collection's {@code assembler}: the value {@code compute()} returns.
   *
   * @param assembler the collection's assembler
   * @return the task function
   */
  public static TaskFunction assemble(Fn1<List<Object>, ?> assembler) {
    return new Assemble(Objects.requireNonNull(assembler, "assembler"));
  }

  /** Returns its only argument: constants and aliases. */
  static final TaskFunction IDENTITY = new Identity();

  private static final class Identity implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      return args[0];
    }

    private Object readResolve() {
      return IDENTITY;
    }

    @Override
    public String toString() {
      return "identity";
    }
  }

  /** Returns its arguments as a list: {@link Delayed#list}. */
  private record ToList() implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      return args[0];
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call1(Fn1 fn) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args[0]);
    }

    @Override
    public String toString() {
      return describe(fn);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call2(Fn2 fn) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args[0], args[1]);
    }

    @Override
    public String toString() {
      return describe(fn);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call3(Fn3 fn) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args[0], args[1], args[2]);
    }

    @Override
    public String toString() {
      return describe(fn);
    }
  }

  /** Assembles the results of a collection's keys into the value its compute() returns. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Assemble(Fn1 assembler) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return assembler.apply((List<Object>) args[0]);
    }
  }

  /**
   * Returns a short human name for a function: the method name of a method reference, "lambda"
   * for a lambda, the name of the user's function for one made by {@link #call(Fn1)}, the
   * simple class name (first letter lower case) otherwise.
   *
   * @param fn the function
   * @return its short name
   */
  public static String describe(Object fn) {
    Objects.requireNonNull(fn, "fn");
    if (fn instanceof TaskFunction && !(fn instanceof Serializable)) {
      return fn.getClass().getSimpleName();
    }
    SerializedLambda sl = serializedLambda(fn);
    if (sl != null) {
      String m = sl.getImplMethodName();
      return m.startsWith("lambda$") ? "lambda" : m;
    }
    if (fn instanceof Call1 c) {
      return describe(c.fn());
    }
    if (fn instanceof Call2 c) {
      return describe(c.fn());
    }
    if (fn instanceof Call3 c) {
      return describe(c.fn());
    }
    String s = fn.getClass().getSimpleName();
    return s.isEmpty() ? "function" : lowerFirst(s);
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Returns the serialized form of a serializable lambda or method reference, else null. */
  static SerializedLambda serializedLambda(Object fn) {
    Method m = WRITE_REPLACE.get(fn.getClass());
    if (m == null) {
      return null;
    }
    try {
      Object r = m.invoke(fn);
      return r instanceof SerializedLambda sl ? sl : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  // Looking the method up is slower than calling it; lambda classes are few, calls are many.
  private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> c) {
      if (!c.isSynthetic() || !Serializable.class.isAssignableFrom(c)) {
        return null;
      }
      try {
        Method m = c.getDeclaredMethod("writeReplace");
        m.setAccessible(true);
        return m;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };
}
