package dev.tessera.schedulers;

import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.SchedulerCallback;
import java.util.List;
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
  private final String name;

  ThreadedScheduler(int workers) {
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
  }

  /** {@return the number of tasks that may run at once in one computation} */
  public int workers() {
    return workers;
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    if (pool.isShutdown()) {
      throw new IllegalStateException(name + " scheduler is closed; create a new one with"
          + " Schedulers.threads()");
    }
    return LocalEngine.run(plan, callback, name, workers > 1 ? pool : null, workers - 1);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Stops the pool threads and waits up to 10 seconds for running tasks to end. Calls in
   * progress finish on their calling threads; later calls are refused.
   */
  @Override
  public void close() {
    pool.shutdown();
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
