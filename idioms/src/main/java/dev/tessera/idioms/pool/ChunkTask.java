package dev.tessera.idioms.pool;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.core.Tokenizable;
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
final class ChunkTask<A, R> implements Fn1<Chunk<A>, List<R>>, Tokenizable {
  private static final long serialVersionUID = 1L;
  private final Fn1<? super A, ? extends R> fn;
  private final int start;
  private final String token;

  ChunkTask(Fn1<? super A, ? extends R> fn, int start, String token) {
    this.fn = fn;
    this.start = start;
    this.token = token;
  }

  /** Every chunk runs under a fresh key: identify it cheaply, not by serializing it. */
  @Override
  public Object token() {
    return token;
  }

  @Override
  public List<R> apply(Chunk<A> chunk) throws Exception {
    List<A> items = chunk.items;
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
