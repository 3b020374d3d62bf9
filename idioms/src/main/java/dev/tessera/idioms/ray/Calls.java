package dev.tessera.idioms.ray;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;

/** Typed functions as the untyped {@link FnN} the futures client submits. */
final class Calls {
  private Calls() {}

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
