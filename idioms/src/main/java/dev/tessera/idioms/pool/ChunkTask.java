package dev.tessera.idioms.pool;

import dev.tessera.graph.Fn1;
import java.util.ArrayList;
import java.util.List;

/**
 * The task of one chunk: applies the function to each item in order and returns the list of
 * results, stopping at the first item that fails, as multiprocessing's {@code mapstar} does
 * ({@code list(map(fn, chunk))}). Travels to worker JVMs with Java serialization; the items
 * travel as the task's argument, with the codecs.
 *
 * @param <A> the item type
 * @param <R> the result type
 */
final class ChunkTask<A, R> implements Fn1<List<A>, List<R>> {
  private static final long serialVersionUID = 1L;
  private final Fn1<? super A, ? extends R> fn;
  private final int start;

  ChunkTask(Fn1<? super A, ? extends R> fn, int start) {
    this.fn = fn;
    this.start = start;
  }

  @Override
  public List<R> apply(List<A> items) throws Exception {
    List<R> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      A item = items.get(i);
      try {
        out.add(fn.apply(item));
      } catch (Exception | AssertionError e) {
        throw new ItemFailure(start + i, ItemFailure.describe(item), e);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "chunk at item " + start + " of " + fn;
  }
}
