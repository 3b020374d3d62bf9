package dev.tessera.idioms.pool;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Tokens;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pool of workers, like Python's {@code multiprocessing.Pool}, on threads or worker JVMs:
 * {@link #map}, {@link #imap}, {@link #imapUnordered}, {@link #starmap}, {@link #apply},
 * {@link #applyAsync} and {@link #mapAsync}, with multiprocessing's chunking. A thin layer over the futures
 * {@link Client}: every chunk is one submitted task.
 *
 * <pre>{@code
 * try (Pool pool = Pool.processes(3)) {                  // with Pool(3) as workers:
 *   List<Integer> squares = pool.map(Demo::square, List.of(1, 2, 3));   // [1, 4, 9]
 * }
 * }</pre>
 *
 * <p>Semantics, as in multiprocessing: {@code map} splits the items into chunks of
 * {@code chunksize} (by default {@link #defaultChunksize}: the items over four times the
 * workers, rounded up), runs each chunk as one task that applies the function to its items in
 * order and stops at the first item that fails, waits for every chunk, and then returns the
 * results in the items' order or throws the first failure to arrive. {@code imap} and
 * {@code imapUnordered} use chunks of 1 by default and yield results as they come (in order,
 * or in completion order). A failure is a {@link TaskFailedException} naming the chunk's task
 * key and the failing item (its index in the input and its value), with the function's
 * exception as its cause.
 *
 * <p>Every call runs: equal calls are not merged as in {@link Client#submit} (each chunk gets
 * a fresh key), so functions with side effects or randomness behave as in Python. Functions
 * are the serializable {@code Fn1}, {@code Fn2}, {@code Fn3} of the rest of Tessera: a lambda
 * that works on threads works on worker JVMs. {@link #close()} is what leaving Python's
 * {@code with} block does ({@code terminate()}): pending work is cancelled and its results fail
 * with a {@code CancellationException}; a pool made by {@link #threads} or {@link #processes}
 * also stops its workers. Thread-safe.
 */
public final class Pool implements AutoCloseable {
  private final Scheduler scheduler;
  private final AutoCloseable owned;
  private final Client client;
  private final int processes;
  private final long id = ThreadLocalRandom.current().nextLong();
  private final AtomicLong calls = new AtomicLong();

  private Pool(Scheduler scheduler, AutoCloseable owned, int processes) {
    this.scheduler = scheduler;
    this.owned = owned;
    this.processes = processes;
    this.client = Client.on(scheduler);
  }

  /**
   * Returns a pool of {@code processes} threads in this JVM, stopped by {@link #close()}.
   *
   * @param processes the number of workers, at least 1 (Python's {@code processes})
   * @return the pool
   */
  public static Pool threads(int processes) {
    ThreadedScheduler s = Schedulers.threads(processes);
    return new Pool(s, s, processes);
  }

  /**
   * Returns a pool of {@code processes} worker JVMs, started now and stopped by
   * {@link #close()}.
   *
   * @param processes the number of worker JVMs, at least 1
   * @return the pool
   */
  public static Pool processes(int processes) {
    ProcessScheduler s = Schedulers.processes(processes);
    return new Pool(s, s, processes);
  }

  /**
   * Returns a pool over an existing scheduler (threads, worker JVMs, a cluster), which
   * {@link #close()} leaves open. The number of workers, for chunking, is the scheduler's
   * (the threads or worker JVMs it has; the cores of this machine if it cannot tell).
   *
   * @param scheduler the scheduler
   * @return the pool
   */
  public static Pool on(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return new Pool(scheduler, null, workersOf(scheduler));
  }

  static int workersOf(Scheduler s) {
    if (s instanceof ThreadedScheduler t) {
      return t.workers();
    }
    if (s instanceof ProcessScheduler p) {
      return Math.max(1, p.workerPids().size());
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@return the number of workers, which the default chunk size depends on} */
  public int processes() {
    return processes;
  }

  /** {@return the scheduler the pool runs on} */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * {@return multiprocessing's default chunk size for {@code map} and {@code starmap}: the
   * number of items over four times the number of workers, rounded up; 0 for no items}
   *
   * @param items the number of items
   * @param processes the number of workers
   */
  public static int defaultChunksize(int items, int processes) {
    if (items < 0 || processes < 1) {
      throw new IllegalArgumentException("need items >= 0 and processes >= 1, got " + items
          + " and " + processes);
    }
    int per = processes * 4;
    return items / per + (items % per != 0 ? 1 : 0);
  }

  // ---- map ----

  /**
   * Applies {@code fn} to every item, in parallel, and returns the results in the items'
   * order; blocks until all are done. Chunks of {@link #defaultChunksize}.
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return the results, in order
   * @throws TaskFailedException the first failure to arrive, naming the task and the item
   */
  public <A, R> List<R> map(Fn1<? super A, ? extends R> fn, Collection<? extends A> items) {
    return this.<A, R>mapAsync(fn, items).get();
  }

  /**
   * Like {@link #map(Fn1, Collection)} with chunks of {@code chunksize} items.
   *
   * @param fn the function
   * @param items the items
   * @param chunksize items per task, at least 1
   * @param <A> the item type
   * @param <R> the result type
   * @return the results, in order
   */
  public <A, R> List<R> map(Fn1<? super A, ? extends R> fn, Collection<? extends A> items,
      int chunksize) {
    return this.<A, R>mapAsync(fn, items, chunksize).get();
  }

  /**
   * Starts {@link #map(Fn1, Collection)} and returns at once: Python's {@code map_async}.
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return the result of the whole map: its callback receives the list
   */
  public <A, R> AsyncResult<List<R>> mapAsync(Fn1<? super A, ? extends R> fn,
      Collection<? extends A> items) {
    Objects.requireNonNull(items, "items");
    return mapAsync(fn, items, Math.max(1, defaultChunksize(items.size(), processes)));
  }

  /**
   * Starts {@link #map(Fn1, Collection, int)} and returns at once.
   *
   * @param fn the function
   * @param items the items
   * @param chunksize items per task, at least 1
   * @param <A> the item type
   * @param <R> the result type
   * @return the result of the whole map
   */
  public <A, R> AsyncResult<List<R>> mapAsync(Fn1<? super A, ? extends R> fn,
      Collection<? extends A> items, int chunksize) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    return new AsyncResult<>(chunked("map", fn, new ArrayList<A>(items), chunksize),
        "Pool.mapAsync of " + items.size() + " items");
  }

  /**
   * Applies {@code fn} to the items lazily and returns the results in the items' order as they
   * become available: Python's {@code imap}, with chunks of 1.
   *
   * @param fn the function
   * @param items the items, read as the iteration needs them
   * @param <A> the item type
   * @param <R> the result type
   * @return an iterator over the results; {@code next()} throws a failed item's failure at
   *     its place, and may then go on
   */
  public <A, R> Iterator<R> imap(Fn1<? super A, ? extends R> fn, Iterable<? extends A> items) {
    return imap(fn, items, 1);
  }

  /**
   * Like {@link #imap(Fn1, Iterable)} with chunks of {@code chunksize} items.
   *
   * @param fn the function
   * @param items the items
   * @param chunksize items per task, at least 1
   * @param <A> the item type
   * @param <R> the result type
   * @return an iterator over the results, in order
   */
  public <A, R> Iterator<R> imap(Fn1<? super A, ? extends R> fn, Iterable<? extends A> items,
      int chunksize) {
    return iterate("imap", fn, items, chunksize, true);
  }

  /**
   * Like {@link #imap(Fn1, Iterable)}, but yields each result as soon as its chunk is done,
   * in any order: Python's {@code imap_unordered}.
   *
   * @param fn the function
   * @param items the items
   * @param <A> the item type
   * @param <R> the result type
   * @return an iterator over the results, in completion order
   */
  public <A, R> Iterator<R> imapUnordered(Fn1<? super A, ? extends R> fn,
      Iterable<? extends A> items) {
    return imapUnordered(fn, items, 1);
  }

  /**
   * Like {@link #imapUnordered(Fn1, Iterable)} with chunks of {@code chunksize} items (the
   * items of one chunk stay together, in order).
   *
   * @param fn the function
   * @param items the items
   * @param chunksize items per task, at least 1
   * @param <A> the item type
   * @param <R> the result type
   * @return an iterator over the results, in completion order
   */
  public <A, R> Iterator<R> imapUnordered(Fn1<? super A, ? extends R> fn,
      Iterable<? extends A> items, int chunksize) {
    return iterate("imapUnordered", fn, items, chunksize, false);
  }

  // ---- starmap ----

  /**
   * Calls {@code fn(a, b)} for every argument list {@code [a, b]}, in parallel: Python's
   * {@code starmap}; results in order, chunks as in {@link #map(Fn1, Collection)}.
   *
   * @param fn the function of two arguments
   * @param argLists one list of two arguments per call
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the results, in order
   * @throws IllegalArgumentException if an argument list does not have two elements
   */
  public <A, B, R> List<R> starmap(Fn2<? super A, ? super B, ? extends R> fn,
      Collection<? extends List<?>> argLists) {
    Objects.requireNonNull(argLists, "argLists");
    return starmap(fn, argLists, Math.max(1, defaultChunksize(argLists.size(), processes)));
  }

  /**
   * Like {@link #starmap(Fn2, Collection)} with chunks of {@code chunksize} calls.
   *
   * @param fn the function of two arguments
   * @param argLists one list of two arguments per call
   * @param chunksize calls per task, at least 1
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the results, in order
   */
  public <A, B, R> List<R> starmap(Fn2<? super A, ? super B, ? extends R> fn,
      Collection<? extends List<?>> argLists, int chunksize) {
    return this.<A, B, R>starmapAsync(fn, argLists, chunksize).get();
  }

  /**
   * Calls {@code fn(a, b, c)} for every argument list {@code [a, b, c]}, in parallel.
   *
   * @param fn the function of three arguments
   * @param argLists one list of three arguments per call
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the results, in order
   */
  public <A, B, C, R> List<R> starmap(Fn3<? super A, ? super B, ? super C, ? extends R> fn,
      Collection<? extends List<?>> argLists) {
    Objects.requireNonNull(argLists, "argLists");
    return starmap(fn, argLists, Math.max(1, defaultChunksize(argLists.size(), processes)));
  }

  /**
   * Like {@link #starmap(Fn3, Collection)} with chunks of {@code chunksize} calls.
   *
   * @param fn the function of three arguments
   * @param argLists one list of three arguments per call
   * @param chunksize calls per task, at least 1
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the results, in order
   */
  public <A, B, C, R> List<R> starmap(Fn3<? super A, ? super B, ? super C, ? extends R> fn,
      Collection<? extends List<?>> argLists, int chunksize) {
    return this.<A, B, C, R>starmapAsync(fn, argLists, chunksize).get();
  }

  /**
   * Starts {@link #starmap(Fn2, Collection, int)} and returns at once: Python's
   * {@code starmap_async}.
   *
   * @param fn the function of two arguments
   * @param argLists one list of two arguments per call
   * @param chunksize calls per task, at least 1
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the result of the whole starmap
   */
  public <A, B, R> AsyncResult<List<R>> starmapAsync(Fn2<? super A, ? super B, ? extends R> fn,
      Collection<? extends List<?>> argLists, int chunksize) {
    Objects.requireNonNull(fn, "fn");
    return new AsyncResult<>(chunked("starmap", new Star.Two<A, B, R>(fn),
        Star.checked(argLists, 2), chunksize), "Pool.starmapAsync of " + argLists.size()
        + " calls");
  }

  /**
   * Starts {@link #starmap(Fn3, Collection, int)} and returns at once.
   *
   * @param fn the function of three arguments
   * @param argLists one list of three arguments per call
   * @param chunksize calls per task, at least 1
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the result of the whole starmap
   */
  public <A, B, C, R> AsyncResult<List<R>> starmapAsync(
      Fn3<? super A, ? super B, ? super C, ? extends R> fn,
      Collection<? extends List<?>> argLists, int chunksize) {
    Objects.requireNonNull(fn, "fn");
    return new AsyncResult<>(chunked("starmap", new Star.Three<A, B, C, R>(fn),
        Star.checked(argLists, 3), chunksize), "Pool.starmapAsync of " + argLists.size()
        + " calls");
  }

  // ---- apply ----

  /**
   * Runs {@code fn(a)} on a worker and waits for its result: Python's {@code apply}.
   *
   * @param fn the function
   * @param a its argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the result
   * @throws TaskFailedException naming the task, with the function's exception as cause
   */
  public <A, R> R apply(Fn1<? super A, ? extends R> fn, A a) {
    return this.<A, R>applyAsync(fn, a).get();
  }

  /**
   * Runs {@code fn(a, b)} on a worker and waits for its result.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the result
   */
  public <A, B, R> R apply(Fn2<? super A, ? super B, ? extends R> fn, A a, B b) {
    return this.<A, B, R>applyAsync(fn, a, b).get();
  }

  /**
   * Runs {@code fn(a, b, c)} on a worker and waits for its result.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the result
   */
  public <A, B, C, R> R apply(Fn3<? super A, ? super B, ? super C, ? extends R> fn, A a, B b,
      C c) {
    return this.<A, B, C, R>applyAsync(fn, a, b, c).get();
  }

  /**
   * Runs {@code fn(a)} on a worker and returns at once: Python's {@code apply_async}.
   *
   * @param fn the function
   * @param a its argument (a plain value, sent along)
   * @param <A> the argument type
   * @param <R> the result type
   * @return the pending result
   */
  public <A, R> AsyncResult<R> applyAsync(Fn1<? super A, ? extends R> fn, A a) {
    Objects.requireNonNull(fn, "fn");
    return applied(client.with(fresh("apply")).submit(fn, a));
  }

  /**
   * Runs {@code fn(a, b)} on a worker and returns at once.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the pending result
   */
  public <A, B, R> AsyncResult<R> applyAsync(Fn2<? super A, ? super B, ? extends R> fn, A a,
      B b) {
    Objects.requireNonNull(fn, "fn");
    return applied(client.with(fresh("apply")).submit(fn, a, b));
  }

  /**
   * Runs {@code fn(a, b, c)} on a worker and returns at once.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the pending result
   */
  public <A, B, C, R> AsyncResult<R> applyAsync(
      Fn3<? super A, ? super B, ? super C, ? extends R> fn, A a, B b, C c) {
    Objects.requireNonNull(fn, "fn");
    return applied(client.with(fresh("apply")).submit(fn, a, b, c));
  }

  /**
   * Cancels pending work (its results fail with a {@code CancellationException}) and, for a
   * pool made by {@link #threads} or {@link #processes}, stops the workers: what leaving
   * Python's {@code with Pool(...)} block does. Idempotent.
   */
  @Override
  public void close() {
    client.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the pool's workers: " + e, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Pool(processes=" + processes + ", " + scheduler.name() + ")";
  }

  // ---- internals ----

  /** Options with a fresh key {@code pool-<op>-<token>}: every call runs, none is merged. */
  private Submit fresh(String op) {
    return Submit.options().key(Tokens.name("pool-" + op, id, calls.incrementAndGet()));
  }

  /** The value of a future, fetched here, then released where it was held. */
  private static <T> AsyncResult<T> applied(TaskFuture<T> f) {
    return new AsyncResult<>(fetched(f), "Pool.applyAsync (task " + f.key() + ")");
  }

  private static <T> CompletableFuture<T> fetched(TaskFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.toCompletableFuture().whenComplete((v, e) -> {
      f.release();
      if (e != null) {
        Throwable t = unwrap(e);
        out.completeExceptionally(t instanceof TaskFailedException
            || t instanceof java.util.concurrent.CancellationException ? t
            : new TaskFailedException(f.key(), ", but its result could not be fetched", t));
      } else {
        out.complete(v);
      }
    });
    return out;
  }

  private <A, R> CompletableFuture<List<R>> chunk(String op, Fn1<? super A, ? extends R> fn,
      int start, List<A> items) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String token = Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
    TaskFuture<List<R>> f = client.with(fresh(op)).submit(new ChunkTask<A, R>(fn, start, token),
        new Chunk<>(items, token));
    return fetched(f).handle((v, e) -> {
      if (e != null) {
        throw new CompletionException(named(unwrap(e), op));
      }
      return v;
    });
  }

  /** Splits, submits every chunk, and completes once all are done (as multiprocessing). */
  private <A, R> CompletableFuture<List<R>> chunked(String op, Fn1<? super A, ? extends R> fn,
      List<A> items, int chunksize) {
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1, got " + chunksize);
    }
    int n = items.size();
    if (n == 0) {
      return CompletableFuture.completedFuture(new ArrayList<>());
    }
    int chunks = (n + chunksize - 1) / chunksize;
    Object[] parts = new Object[chunks];
    AtomicInteger left = new AtomicInteger(chunks);
    AtomicReference<Throwable> first = new AtomicReference<>();
    CompletableFuture<List<R>> all = new CompletableFuture<>();
    for (int c = 0; c < chunks; c++) {
      int start = c * chunksize;
      int index = c;
      List<A> part = new ArrayList<>(items.subList(start, Math.min(n, start + chunksize)));
      chunk(op, fn, start, part).whenComplete((v, e) -> {
        if (e != null) {
          first.compareAndSet(null, unwrap(e)); // only the first failure to arrive is kept
        } else {
          parts[index] = v;
        }
        if (left.decrementAndGet() == 0) {
          if (first.get() != null) {
            all.completeExceptionally(first.get());
          } else {
            List<R> out = new ArrayList<>(n);
            for (Object p : parts) {
              @SuppressWarnings("unchecked")
              List<R> l = (List<R>) p;
              out.addAll(l);
            }
            all.complete(out);
          }
        }
      });
    }
    return all;
  }

  private <A, R> Iterator<R> iterate(String op, Fn1<? super A, ? extends R> fn,
      Iterable<? extends A> items, int chunksize, boolean ordered) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1, got " + chunksize);
    }
    return new ChunkIterator<A, R>(items.iterator(), chunksize, Math.max(2, 4 * processes),
        ordered, (start, part) -> chunk(op, fn, start, part));
  }

  static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** A chunk's failure as the user sees it: the task's key, the item, the function's error. */
  static Throwable named(Throwable e, String op) {
    if (e instanceof TaskFailedException tf && tf.getCause() instanceof ItemFailure f) {
      return new TaskFailedException(tf.key(), " on item " + f.index() + " (" + f.item()
          + ") of Pool." + op, f.getCause());
    }
    return e;
  }
}
