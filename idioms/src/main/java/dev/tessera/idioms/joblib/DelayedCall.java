package dev.tessera.idioms.joblib;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;

/**
 * A function and its arguments, not called yet: what joblib's {@code delayed(f)(x)} returns.
 * Made by {@link Parallel#delayed}; run by {@link Parallel#run}. Immutable (the arguments are
 * the caller's objects: do not change them before the run).
 *
 * @param <R> the result type
 */
public final class DelayedCall<R> {
  private final FnN<? extends R> fn;
  private final List<Object> args;
  private final String name;

  DelayedCall(FnN<? extends R> fn, Object[] args, Object original) {
    this.fn = fn;
    this.args = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(args)));
    this.name = nameOf(original);
  }

  static <A, R> DelayedCall<R> of(Fn1<? super A, ? extends R> fn, Object a) {
    return new DelayedCall<>(new One<A, R>(fn), new Object[] {a}, fn);
  }

  static <A, B, R> DelayedCall<R> of(Fn2<? super A, ? super B, ? extends R> fn, Object a,
      Object b) {
    return new DelayedCall<>(new Two<A, B, R>(fn), new Object[] {a, b}, fn);
  }

  static <A, B, C, R> DelayedCall<R> of(Fn3<? super A, ? super B, ? super C, ? extends R> fn,
      Object a, Object b, Object c) {
    return new DelayedCall<>(new Three<A, B, C, R>(fn), new Object[] {a, b, c}, fn);
  }

  FnN<? extends R> fn() {
    return fn;
  }

  /** {@return the arguments, in order (a read-only view)} */
  public List<Object> args() {
    return args;
  }

  /** {@return the call as it reads, such as {@code sqrt(4.0)}: for progress and errors} */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", name + "(", ")");
    for (Object a : args) {
      String s = String.valueOf(a);
      j.add(s.length() <= 40 ? s : s.substring(0, 37) + "...");
    }
    return j.toString();
  }

  /** The name of a function: its method for a method reference, "lambda" for a lambda. */
  static String nameOf(Object fn) {
    try {
      Method m = fn.getClass().getDeclaredMethod("writeReplace");
      m.setAccessible(true);
      if (m.invoke(fn) instanceof SerializedLambda l) {
        String impl = l.getImplMethodName();
        return impl.startsWith("lambda$") ? "lambda" : impl;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a lambda: fall through to the class name
    }
    return fn.getClass().getSimpleName();
  }

  @SuppressWarnings("unchecked")
  private record One<A, R>(Fn1<? super A, ? extends R> fn) implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply((A) xs[0]);
    }
  }

  @SuppressWarnings("unchecked")
  private record Two<A, B, R>(Fn2<? super A, ? super B, ? extends R> fn) implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply((A) xs[0], (B) xs[1]);
    }
  }

  @SuppressWarnings("unchecked")
  private record Three<A, B, C, R>(Fn3<? super A, ? super B, ? super C, ? extends R> fn)
      implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply((A) xs[0], (B) xs[1], (C) xs[2]);
    }
  }
}
