package dev.tessera.idioms.views;

import java.io.Serializable;

/**
 * A function that runs on an engine and sees its namespace: the Java form of ipyparallel's
 * {@code dview.apply(exec, 'c = a + b')}.
 *
 * <pre>{@code
 * dview.applySync(ns -> ns.put("c", ns.<Integer>get("a") + ns.<Integer>get("b")));
 * }</pre>
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface EngineFn<R> extends Serializable {
  /**
   * Runs on the engine.
   *
   * @param ns the engine's namespace
   * @return the result, sent back to the caller
   * @throws Exception anything; the caller's result fails with a {@link RemoteError}
   */
  R apply(Namespace ns) throws Exception;
}
