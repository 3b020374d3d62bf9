package dev.tessera.idioms.views;

import dev.tessera.graph.Fn1;
import java.util.List;
import java.util.Objects;

/**
 * A function of a list spread over a view's engines, as ipyparallel's {@code @parallel}: each
 * engine gets one contiguous piece (split as {@link DirectView#scatter} splits), the function
 * returns a list for its piece, and the pieces' results are joined in order. Made by
 * {@link DirectView#parallel}.
 *
 * @param <A> the item type
 * @param <R> the result items' type
 */
public final class ParallelFunction<A, R> {
  private final DirectView view;
  private final Fn1<List<A>, List<R>> fn;

  ParallelFunction(DirectView view, Fn1<List<A>, List<R>> fn) {
    this.view = view;
    this.fn = fn;
  }

  /**
   * Runs on the pieces and waits.
   *
   * @param items the items
   * @return the pieces' results, joined in order
   * @throws RemoteError if a piece failed
   */
  public List<R> call(List<A> items) {
    return callAsync(items).get();
  }

  /**
   * Runs on the pieces and returns at once.
   *
   * @param items the items
   * @return the pieces' results, joined in order
   */
  public AsyncResult<List<R>> callAsync(List<A> items) {
    Objects.requireNonNull(items, "items");
    return view.pieces(fn, items);
  }

  @Override
  public String toString() {
    return "ParallelFunction on " + view;
  }
}
