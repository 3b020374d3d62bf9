package dev.tessera.graph;

import java.io.Serializable;

/**
 * A serializable function of one argument, for {@link Delayed#call(Fn1, Lazy)} and the
 * collections' {@code map} operations.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn1<A, R> extends Serializable {
  /**
   * Applies the function.
   *
   * @param a the argument
   * @return the result
   * @throws Exception anything; reported with the task's key
   */
  R apply(A a) throws Exception;
}
