package dev.tessera.idioms.ray;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;

/** Typed functions as the untyped {@link FnN} the futures client submits. */
final class Calls {
  private Calls() {}

  /**
   * How a function reads in messages: the method's name for a method reference, the class's
   * simple name for a constructor reference, "lambda" for a lambda.
   */
  static String describe(Object fn) {
    try {
      java.lang.reflect.Method m = fn.getClass().getDeclaredMethod("writeReplace");
      m.setAccessible(true);
      if (m.invoke(fn) instanceof java.lang.invoke.SerializedLambda l) {
        String impl = l.getImplMethodName();
        if (impl.equals("<init>")) {
          String c = l.getImplClass();
          return c.substring(Math.max(c.lastIndexOf('/'), c.lastIndexOf('$')) + 1);
        }
        return impl.startsWith("lambda$") ? "lambda" : impl;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a lambda: its class names it
    }
    return fn.getClass().getSimpleName();
  }

  @SuppressWarnings("unchecked")
  record Zero<R>(Fn0<? extends R> fn) implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply();
    }
  }

  @SuppressWarnings("unchecked")
  record One<A, R>(Fn1<? super A, ? extends R> fn) implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply((A) xs[0]);
    }
  }

  @SuppressWarnings("unchecked")
  record Two<A, B, R>(Fn2<? super A, ? super B, ? extends R> fn) implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply((A) xs[0], (B) xs[1]);
    }
  }

  @SuppressWarnings("unchecked")
  record Three<A, B, C, R>(Fn3<? super A, ? super B, ? super C, ? extends R> fn)
      implements FnN<R> {
    private static final long serialVersionUID = 1L;

    @Override
    public R apply(Object[] xs) throws Exception {
      return fn.apply((A) xs[0], (B) xs[1], (C) xs[2]);
    }
  }
}
