package dev.tessera.idioms.pool;

import dev.tessera.graph.core.Tokenizable;
import java.io.Serializable;
import java.util.List;

/**
 * The items of one chunk, as one argument value: a list would be taken apart by the futures
 * client (each element a value of its own, hashed for its key), while a chunk is always sent
 * whole and runs under a fresh key, so it identifies itself by a fresh token instead of
 * hashing its items.
 *
 * @param <A> the item type
 */
final class Chunk<A> implements Tokenizable, Serializable {
  private static final long serialVersionUID = 1L;
  final List<A> items;
  private final String token;

  Chunk(List<A> items, String token) {
    this.items = items;
    this.token = token;
  }

  @Override
  public Object token() {
    return token;
  }
}
