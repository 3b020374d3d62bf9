package dev.tessera.schedulers.engine;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.Execution;

/**
 * A scheduler that can put one value on every one of its workers (Dask's
 * {@code scatter(..., broadcast=True)}), so that later tasks on any worker read it where they
 * run. {@code dev.tessera.futures.Client#broadcast} uses it when the scheduler implements it;
 * on a scheduler whose workers share this heap there is nothing to copy.
 */
public interface Broadcasting {
  /**
   * Starts putting {@code value} on every live worker and returns at once; the result is one
   * handle, held by all of them, that computations on this scheduler use in place.
   *
   * @param key the value's key
   * @param value the value (serializable or with a codec)
   * @return the running broadcast: its results are the one handle
   */
  Execution broadcast(Key key, Object value);
}
