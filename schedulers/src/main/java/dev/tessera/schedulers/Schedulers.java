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

  /** {@return the synchronous scheduler: every task on the calling thread} */
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

  /** {@return a new threaded scheduler with one worker per core; close it when done} */
  public static ThreadedScheduler threads() {
    return new ThreadedScheduler(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Returns a strict scheduler over {@code local} (sync or threads): every task is serialized
   * as a worker process would receive it, its inputs and result go through the codecs, and it
   * runs twice; the first task whose function is not serializable, that changes an input or
   * that is not deterministic fails with a {@link StrictModeException} naming it. For tests
   * and debugging (each task runs twice), off unless asked for:
   *
   * <pre>{@code
   * try (var scope = Tessera.useScheduler(Schedulers.strict(Schedulers.sync()))) {
   *   x.compute();
   * }
   * }</pre>
   *
   * @param local the scheduler that runs the checked tasks, in this JVM
   * @return the strict scheduler
   * @throws IllegalArgumentException if {@code local} is a pool of worker processes (strict mode
   *     checks in this JVM what those would do)
   */
  public static Scheduler strict(Scheduler local) {
    if (local instanceof ProcessScheduler) {
      throw new IllegalArgumentException("strict mode checks on this JVM's threads what worker"
          + " processes would do: give it Schedulers.sync() or Schedulers.threads(n), not"
          + " processes");
    }
    return new StrictScheduler(local);
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
   * {@return the JVM-wide threaded scheduler, one worker per core, created on first use; its
   * idle threads end by themselves, so it needs no closing, and {@code close()} on it is
   * refused with an {@link UnsupportedOperationException}}
   */
  public static ThreadedScheduler shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final ThreadedScheduler INSTANCE =
        new ThreadedScheduler(Runtime.getRuntime().availableProcessors(), true);
  }
}
