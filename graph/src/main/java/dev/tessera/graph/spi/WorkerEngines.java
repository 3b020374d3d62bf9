package dev.tessera.graph.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The engines as a task running on a worker sees them: how code inside a graph task (an actor
 * handle passed to a Ray task, say) calls an engine of the pool it runs in. A worker JVM's
 * transport installs them once when it starts; calls made through them travel on the
 * worker's own connection, in the order they were made, and reach the engine after the calls
 * the caller sent it before the task started. In the caller's JVM (and where no transport
 * installed any) there are none.
 *
 * <pre>{@code
 * Engines engines = WorkerEngines.current().orElseThrow();
 * CompletableFuture<Integer> f = engines.call(0, ctx -> ctx.engine());
 * }</pre>
 *
 * <p>Optional for a transport: without it, code that needs engines inside tasks runs those
 * tasks in the caller's JVM instead.
 */
public final class WorkerEngines {
  private static volatile Engines installed;

  private WorkerEngines() {}

  /** {@return the engines reachable from a task of this worker JVM, or empty elsewhere} */
  public static Optional<Engines> current() {
    return Optional.ofNullable(installed);
  }

  /**
   * Installs the engines tasks of this worker JVM reach: for a transport's worker main, once.
   *
   * @param engines the engines, whose {@link Engines#call} sends the call through the worker's
   *     connection
   * @throws IllegalStateException if engines were installed already
   */
  public static synchronized void install(Engines engines) {
    Objects.requireNonNull(engines, "engines");
    if (installed != null) {
      throw new IllegalStateException("the engines of this worker JVM are installed already");
    }
    installed = engines;
  }
}
