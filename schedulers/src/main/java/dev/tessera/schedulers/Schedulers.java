package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;

/**
 * The local schedulers: the entry point of this module.
 *
 * <pre>{@code
 * x.compute(Schedulers.sync());                    // one thread, for debugging
 * try (var s = Tessera.useScheduler(Schedulers.threads(4))) {
 *   x.compute();                                   // four at once
 * }
 * }</pre>
 *
 * <p>Both share one engine: lowest static priority first, results released as soon as no
 * task needs them. The default scheduler of {@code Tessera.scheduler()}, when none is set, is
 * {@link #shared()}.
 */
public final class Schedulers {
  private Schedulers() {}

  /** Returns the synchronous scheduler: every task on the calling thread. */
  public static Scheduler sync() {
    return SyncScheduler.INSTANCE;
  }

  /**
   * Returns a new threaded scheduler with its own pool; close it when done.
   *
   * @param workers how many tasks may run at once, at least 1
   * @return the scheduler
   */
  public static ThreadedScheduler threads(int workers) {
    return new ThreadedScheduler(workers);
  }

  /** Returns a new threaded scheduler with one worker per core; close it when done. */
  public static ThreadedScheduler threads() {
    return new ThreadedScheduler(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Returns a new pool of worker JVMs with the given options; close it when done.
   *
   * @param options the options
   * @return the scheduler, its workers started
   */
  public static ProcessScheduler processes(ProcessOptions options) {
    return new ProcessScheduler(options);
  }

  /**
   * Returns a new pool of {@code workers} worker JVMs; close it when done.
   *
   * @param workers how many worker processes, at least 1
   * @return the scheduler, its workers started
   */
  public static ProcessScheduler processes(int workers) {
    return new ProcessScheduler(ProcessOptions.builder().workers(workers).build());
  }

  /**
   * Returns the JVM-wide threaded scheduler, one worker per core, created on first use; its
   * idle threads end by themselves, so it needs no closing, and {@code close()} on it is
   * refused with an {@link UnsupportedOperationException}.
   */
  public static ThreadedScheduler shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final ThreadedScheduler INSTANCE =
        new ThreadedScheduler(Runtime.getRuntime().availableProcessors(), true);
  }
}
