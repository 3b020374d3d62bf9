package dev.tessera.idioms.ray;

import java.util.List;

/**
 * What {@link Ray#wait} saw, as Ray's {@code WaitResult}: the references ready (at most the
 * number asked for) and the others, each list in the order of the references given.
 *
 * @param ready the ready references (succeeded or failed), in the input's order
 * @param unready the others, in the input's order
 * @param <T> the value type
 */
public record WaitResult<T>(List<ObjectRef<T>> ready, List<ObjectRef<T>> unready) {
  /**
   * Copies both lists.
   *
   * @param ready the ready references
   * @param unready the others
   */
  public WaitResult {
    ready = List.copyOf(ready);
    unready = List.copyOf(unready);
  }
}
