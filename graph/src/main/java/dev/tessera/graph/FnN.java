package dev.tessera.graph;

import dev.tessera.graph.core.TaskFunction;

/**
 * A serializable function of any number of untyped arguments, for
 * {@link Delayed#apply(FnN, Object...)}; the typed variant of {@link TaskFunction}.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface FnN<R> extends TaskFunction {
  @Override
  R apply(Object[] args) throws Exception;
}
