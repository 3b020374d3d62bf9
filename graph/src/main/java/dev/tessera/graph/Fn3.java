package dev.tessera.graph;

import java.io.Serializable;

/**
 * A serializable function of three arguments.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn3<A, B, C, R> extends Serializable {
  /**
   * Applies the function.
   *
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @return the result
   * @throws Exception anything; reported with the task's key
   */
  R apply(A a, B b, C c) throws Exception;
}
