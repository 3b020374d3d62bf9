package dev.tessera.idioms.ray;

import java.io.Serializable;

/**
 * A serializable function of no argument, such as an actor's no-argument constructor
 * ({@code Counter::new}) for {@link Ray#actor(Fn0)}: the missing arity next to
 * {@code dev.tessera.graph.Fn1}, {@code Fn2} and {@code Fn3}.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn0<R> extends Serializable {
  /**
   * Calls the function.
   *
   * @return the result
   * @throws Exception anything; reported with the call
   */
  R apply() throws Exception;
}
