package dev.tessera.graph.spi;

import java.util.concurrent.CompletableFuture;

/**
 * A scheduler's long-lived workers, addressed one by one: what engine views, actors and
 * MPI-style groups are built on. A scheduler that has them returns this from
 * {@link dev.tessera.graph.Scheduler#engines()}; the threaded scheduler has one engine per
 * worker thread, the pool of worker JVMs one per worker JVM.
 *
 * <p>Contract: calls to one engine run one at a time, in the order they were made, on a thread
 * of their own (graph tasks keep running beside them); each engine keeps a namespace
 * ({@link EngineContext#namespace()}) for as long as the scheduler lives. A call whose
 * function throws completes its future exceptionally with that exception (or a
 * {@code RemoteTaskException} with its text when it cannot travel); an engine whose worker
 * dies fails its pending calls with an error naming the engine. Safe to use from several
 * threads at once.
 *
 * <pre>{@code
 * Engines engines = scheduler.engines().orElseThrow();
 * CompletableFuture<Integer> f = engines.call(0, ctx -> ctx.engine() + 1);
 * }</pre>
 */
public interface Engines {
  /** The sender of a message {@linkplain #post posted} from outside the engines. */
  int OUTSIDE = -1;

  /** {@return how many engines there are; engine ids run from 0 to {@code count() - 1}} */
  int count();

  /**
   * Returns a short name of one engine for messages, such as {@code "engine-1 (worker-1, pid
   * 4242)"}.
   *
   * @param engine the engine id
   * @return its name
   * @throws IndexOutOfBoundsException if there is no such engine
   */
  String name(int engine);

  /**
   * Runs a function on one engine, after the calls already sent to it.
   *
   * @param engine the engine id
   * @param fn the function; on worker JVMs it is serialized, and so is its result
   * @param <R> the result type
   * @return its result, once it ran
   * @throws IndexOutOfBoundsException if there is no such engine
   * @throws IllegalStateException if the scheduler is closed
   */
  <R> CompletableFuture<R> call(int engine, EngineFunction<R> fn);

  /**
   * Puts a message into one engine's inbox from outside, with sender {@link #OUTSIDE}: how a
   * coordinator wakes engines blocked in {@link EngineContext#receive}.
   *
   * @param engine the engine id
   * @param tag the message's tag
   * @param value the message; on worker JVMs it travels through the codecs
   * @throws IndexOutOfBoundsException if there is no such engine
   */
  void post(int engine, int tag, Object value);
}
