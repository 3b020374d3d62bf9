package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.Engines;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.SchedulerCallback;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a pool of threads in this JVM: the calling thread plus {@code workers - 1}
 * pool threads per computation. Safe to use from many threads at once; each call is
 * independent and a failed call leaves the scheduler ready for the next. Idle pool threads
 * end after a minute; {@link #close()} ends them at once.
 *
 * <p>Computations in progress at once share keys: one that needs a key an earlier one has
 * finished (and still holds) or is running takes that result instead of computing the key
 * again ({@link SharedKeys}).
 *
 * <pre>{@code
 * try (ThreadedScheduler s = Schedulers.threads(4)) {
 *   x.compute(s);
 * }
 * }</pre>
 */
public final class ThreadedScheduler implements Scheduler, AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int workers;
  private final ThreadPoolExecutor pool;
  /** Runs submitted computations, each as the calling thread of its engine. */
  private final ThreadPoolExecutor submitted;
  private final String name;
  /** The computations in progress, which later ones borrow shared keys from. */
  private final SharedKeys sharedKeys = new SharedKeys();
  /** One engine per worker, made on first use. */
  private volatile LocalEngines engines;

  /** Whether this is {@link Schedulers#shared()}, which nobody may close. */
  private final boolean shared;

  ThreadedScheduler(int workers) {
    this(workers, false);
  }

  ThreadedScheduler(int workers, boolean shared) {
    this.shared = shared;
    if (workers < 1) {
      throw new IllegalArgumentException("a threaded scheduler needs at least 1 worker, got "
          + workers);
    }
    this.workers = workers;
    this.name = "threads(" + workers + ")";
    int id = POOLS.incrementAndGet();
    AtomicInteger threadIds = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "tessera-" + id + "-worker-" + threadIds.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    int poolThreads = Math.max(1, workers - 1);
    this.pool = new ThreadPoolExecutor(poolThreads, poolThreads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    this.submitted = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "tessera-" + id + "-submitted-" + threadIds.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    submitted.allowCoreThreadTimeOut(true);
  }

  /**
   * Starts the plan on this scheduler's threads and returns at once: up to {@code workers}
   * submitted computations run at a time, each on its own thread plus idle pool threads; the
   * outputs stay in this heap as handles.
   */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback) {
    if (pool.isShutdown()) {
      throw closedError();
    }
    return Submitted.start(submitted, () -> persist(plan, callback), this::closedError);
  }

  private IllegalStateException closedError() {
    return new IllegalStateException(name + " scheduler is closed; create a new one with"
        + " Schedulers.threads()");
  }

  /**
   * {@return one engine per worker: each a thread of its own that runs the calls sent to it
   * in order, beside the graph tasks, with a namespace that lives as long as this scheduler;
   * values are shared with the caller, not copied}
   */
  @Override
  public Optional<Engines> engines() {
    if (pool.isShutdown()) {
      throw closedError();
    }
    LocalEngines e = engines;
    if (e == null) {
      synchronized (this) {
        if (pool.isShutdown()) {
          throw closedError();
        }
        e = engines;
        if (e == null) {
          e = new LocalEngines(name, workers, this::closedError);
          engines = e;
        }
      }
    }
    return Optional.of(e);
  }

  /** {@return the number of tasks that may run at once in one computation} */
  public int workers() {
    return workers;
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    if (pool.isShutdown()) {
      throw closedError();
    }
    return LocalEngine.run(plan, callback, name, workers > 1 ? pool : null, workers - 1,
        sharedKeys);
  }

  /** {@return how many computations are in progress}: for tests. */
  int inProgress() {
    return sharedKeys.size();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Stops the pool threads and waits up to 10 seconds for running tasks to end. Calls in
   * progress finish on their calling threads; later calls are refused. Engine calls still
   * queued fail, running ones are interrupted.
   *
   * @throws UnsupportedOperationException on {@link Schedulers#shared()}: it is the default
   *     scheduler of every thread in this JVM, and its idle threads end by themselves
   */
  @Override
  public void close() {
    if (shared) {
      throw new UnsupportedOperationException("Schedulers.shared() is the default scheduler of"
          + " this whole JVM and cannot be closed (its idle threads end by themselves after a"
          + " minute); for a pool you can close, use Schedulers.threads(n)");
    }
    synchronized (this) {
      pool.shutdown();
      if (engines != null) {
        engines.close();
      }
    }
    submitted.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ThreadedScheduler(" + workers + " workers)";
  }
}
