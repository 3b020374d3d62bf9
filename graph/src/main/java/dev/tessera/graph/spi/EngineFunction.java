package dev.tessera.graph.spi;

import java.io.Serializable;

/**
 * A serializable function that runs on one engine (see {@link Engines#call}), with that
 * engine's context.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface EngineFunction<R> extends Serializable {
  /**
   * Runs on the engine.
   *
   * @param context the engine's id, count, namespace and messaging
   * @return the result
   * @throws Exception anything; the call's future fails with it
   */
  R apply(EngineContext context) throws Exception;
}
