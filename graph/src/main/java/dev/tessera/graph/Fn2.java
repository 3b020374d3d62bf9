package dev.tessera.graph;

import java.io.Serializable;

/**
 * A serializable function of two arguments.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn2<A, B, R> extends Serializable {
  /**
   * Applies the function.
   *
   * @param a the first argument
   * @param b the second argument
   * @return the result
   * @throws Exception anything; reported with the task's key
   */
  R apply(A a, B b) throws Exception;
}
