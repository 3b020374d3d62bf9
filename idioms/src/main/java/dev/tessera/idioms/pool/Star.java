package dev.tessera.idioms.pool;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** {@code starmap}'s adapters: a function of n arguments applied to a list of n values. */
final class Star {
  private Star() {}

  /** Copies the argument lists, refusing (here, before anything runs) one of a wrong size. */
  static List<List<?>> checked(Collection<? extends List<?>> argLists, int arity) {
    Objects.requireNonNull(argLists, "argLists");
    List<List<?>> out = new ArrayList<>(argLists.size());
    int i = 0;
    for (List<?> args : argLists) {
      if (args == null) {
        throw new NullPointerException("argLists: item " + i + " is null; each item is the"
            + " list of one call's arguments");
      }
      if (args.size() != arity) {
        throw new IllegalArgumentException("argLists: item " + i + " has " + args.size()
            + " arguments, the function takes " + arity + ": " + ItemFailure.describe(args));
      }
      out.add(args);
      i++;
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static final class Two<A, B, R> implements Fn1<List<?>, R> {
    private static final long serialVersionUID = 1L;
    private final Fn2<? super A, ? super B, ? extends R> fn;

    Two(Fn2<? super A, ? super B, ? extends R> fn) {
      this.fn = fn;
    }

    @Override
    public R apply(List<?> args) throws Exception {
      return fn.apply((A) args.get(0), (B) args.get(1));
    }
  }

  @SuppressWarnings("unchecked")
  static final class Three<A, B, C, R> implements Fn1<List<?>, R> {
    private static final long serialVersionUID = 1L;
    private final Fn3<? super A, ? super B, ? super C, ? extends R> fn;

    Three(Fn3<? super A, ? super B, ? super C, ? extends R> fn) {
      this.fn = fn;
    }

    @Override
    public R apply(List<?> args) throws Exception {
      return fn.apply((A) args.get(0), (B) args.get(1), (C) args.get(2));
    }
  }
}
