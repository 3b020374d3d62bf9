package dev.tessera.idioms.views;

import dev.tessera.graph.Fn1;
import java.util.List;

/**
 * A function that runs on every engine of a view with the whole argument, one result per
 * engine, as ipyparallel's {@code @remote}. Made by {@link DirectView#remote}.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public final class RemoteFunction<A, R> {
  private final DirectView view;
  private final Fn1<A, R> fn;

  RemoteFunction(DirectView view, Fn1<A, R> fn) {
    this.view = view;
    this.fn = fn;
  }

  /**
   * Runs on every engine and waits.
   *
   * @param arg the argument, sent to each engine (a copy each on worker JVMs)
   * @return one result per engine, in view order
   * @throws RemoteError if it failed on an engine
   */
  public List<R> call(A arg) {
    return callAsync(arg).get();
  }

  /**
   * Runs on every engine and returns at once.
   *
   * @param arg the argument
   * @return one result per engine, in view order
   */
  public AsyncResult<List<R>> callAsync(A arg) {
    return view.apply(fn, arg);
  }

  @Override
  public String toString() {
    return "RemoteFunction on " + view;
  }
}
