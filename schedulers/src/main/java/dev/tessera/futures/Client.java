package dev.tessera.futures;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.engine.Broadcasting;
import java.lang.ref.Cleaner;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Futures over a scheduler, like Dask's {@code distributed.Client}: work is submitted as it
 * comes and runs in the background; futures can be passed to later work, gathered, waited
 * for and cancelled; results stay where the scheduler keeps them (on a worker JVM, for a pool
 * of them) for as long as a future or a pending task needs them, and no longer.
 *
 * <pre>{@code
 * try (ProcessScheduler pool = Schedulers.processes(2); Client client = Client.on(pool)) {
 *   TaskFuture<Integer> a = client.submit(Demo::inc, 1);
 *   List<TaskFuture<Integer>> xs = client.map(Demo::inc, List.of(1, 2, 3));
 *   TaskFuture<Integer> total = client.submit(Demo::sum, xs);   // a list of futures works too
 *   int nine = total.result();
 * }
 * }</pre>
 *
 * <p>Arguments of {@code submit} and {@code map} may be plain values (sent along), futures
 * (used where they are, once done) and lazy collections (computed as part of the task), or
 * lists of these. Equal calls of a pure function get the same key, and a key that is held or
 * pending is never computed twice: the second submission returns a future of the same key.
 *
 * <p>States of a key, as in Dask's scheduler: <em>waiting</em> for its inputs, <em>ready</em>
 * in the client's queue (higher {@link Submit#priority} first; at most
 * {@link #DEFAULT_IN_FLIGHT} computations are at the scheduler at once), <em>processing</em>,
 * then <em>memory</em> (a handle to the result), <em>erred</em> or <em>cancelled</em>; and
 * <em>forgotten</em> once no future object, no graph and no pending task refers to it (a
 * {@link Cleaner} notices unreachable futures; {@link TaskFuture#release()} and
 * {@link #close()} say it at once). Thread-safe: any number of threads may submit at once.
 */
public final class Client implements AutoCloseable {
  /** How many computations the client keeps at the scheduler at once, by default. */
  public static final int DEFAULT_IN_FLIGHT = 64;

  private static final Cleaner CLEANER = Cleaner.create();
  /** The random half of {@link #randomToken()}, drawn once per JVM. */
  private static final long TOKEN_BASE = new SecureRandom().nextLong();
  private static final java.util.concurrent.atomic.AtomicLong TOKENS =
      new java.util.concurrent.atomic.AtomicLong();

  private final Scheduler scheduler;
  private final int maxInFlight;
  private final Object lock = new Object();
  // ---- guarded by lock ----
  private final Map<Key, Entry> entries = new HashMap<>();
  private final PriorityQueue<Job> ready = new PriorityQueue<>((a, b) -> a.priority != b.priority
      ? Integer.compare(b.priority, a.priority) : Long.compare(a.seq, b.seq));
  private final Map<Job, Boolean> running = new IdentityHashMap<>();
  private final List<Lazy<?>> persisted = new ArrayList<>();
  private long seq;
  private int inFlight;
  private boolean closed;
  /** The dashboard {@link #dashboard(boolean)} started, or null. */
  private DashboardProvider.Running dashboard;

  private Client(Scheduler scheduler, int maxInFlight) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
  }

  /**
   * Returns a client over {@code scheduler}; closing the client does not close the scheduler.
   *
   * @param scheduler threads, a pool of worker JVMs, or any other scheduler
   * @return the client
   */
  public static Client on(Scheduler scheduler) {
    return new Client(scheduler, DEFAULT_IN_FLIGHT);
  }

  /**
   * Returns a client that keeps at most {@code maxInFlight} computations at the scheduler;
   * more wait in the client, by priority.
   *
   * @param scheduler the scheduler
   * @param maxInFlight at least 1
   * @return the client
   */
  public static Client on(Scheduler scheduler, int maxInFlight) {
    return new Client(scheduler, maxInFlight);
  }

  /**
   * Opens (or closes) a live dashboard in the browser for this JVM's computations, as Dask's
   * {@code Client()} does: its URL is printed and {@link #dashboardUrl()} returns it, and
   * closing the client closes it. Needs the {@code tessera-dashboard} module on the class path.
   *
   * <pre>{@code
   * try (Client client = Client.on(Schedulers.processes(2)).dashboard(true)) { ... }
   * }</pre>
   *
   * @param on whether the dashboard should run
   * @return this client
   * @throws IllegalStateException if no dashboard is on the class path, or the client is closed
   */
  public Client dashboard(boolean on) {
    DashboardProvider.Running stop = null;
    synchronized (lock) {
      checkOpen();
      if (on && dashboard == null) {
        DashboardProvider p = java.util.ServiceLoader.load(DashboardProvider.class)
            .findFirst().orElseThrow(() -> new IllegalStateException("no dashboard on the class"
                + " path: add the tessera-dashboard module (dev.tessera:tessera-dashboard) to"
                + " your dependencies, or use dev.tessera.dashboard.Dashboard.start()"));
        dashboard = p.start();
      } else if (!on) {
        stop = dashboard;
        dashboard = null;
      }
    }
    if (stop != null) {
      stop.close();
    }
    return this;
  }

  /** {@return the URL of the dashboard {@link #dashboard(boolean)} opened, if it runs} */
  public java.util.Optional<String> dashboardUrl() {
    synchronized (lock) {
      return java.util.Optional.ofNullable(dashboard).map(DashboardProvider.Running::url);
    }
  }

  /** {@return the scheduler this client submits to} */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Returns a view of this client whose submissions use {@code options}.
   *
   * @param options retries, priority, key, purity, batch size
   * @return the view (sharing this client's state)
   */
  public Submitter with(Submit options) {
    return new Submitter(this, Objects.requireNonNull(options, "options"));
  }

  // ---- submit ----

  /**
   * Submits {@code fn(a)}.
   *
   * @param fn the function (serializable, to run in another JVM)
   * @param a a value, a future, a lazy collection, or a list of these
   * @param <A> the argument type
   * @param <R> the result type
   * @return the future of the result
   */
  public <A, R> TaskFuture<R> submit(Fn1<A, ? extends R> fn, Object a) {
    return with(Submit.options()).submit(fn, a);
  }

  /**
   * Submits {@code fn(a, b)}.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the future of the result
   */
  public <A, B, R> TaskFuture<R> submit(Fn2<A, B, ? extends R> fn, Object a,
      Object b) {
    return with(Submit.options()).submit(fn, a, b);
  }

  /**
   * Submits {@code fn(a, b, c)}.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the future of the result
   */
  public <A, B, C, R> TaskFuture<R> submit(Fn3<A, B, C, ? extends R> fn,
      Object a, Object b, Object c) {
    return with(Submit.options()).submit(fn, a, b, c);
  }

  /**
   * Submits {@code fn(args)} for any number of arguments.
   *
   * @param fn the function; it receives the arguments with futures and collections replaced
   *     by their values
   * @param args the arguments
   * @param <R> the result type
   * @return the future of the result
   */
  public <R> TaskFuture<R> apply(FnN<? extends R> fn, Object... args) {
    return with(Submit.options()).apply(fn, args);
  }

  /**
   * Submits {@code fn(item)} for every item; the futures are in the items' order.
   *
   * @param fn the function
   * @param items values, futures or collections
   * @param <A> the item type
   * @param <R> the result type
   * @return one future per item
   */
  public <A, R> List<TaskFuture<R>> map(Fn1<A, ? extends R> fn,
      Collection<?> items) {
    return with(Submit.options()).map(fn, items);
  }

  /**
   * Puts values where the scheduler keeps data (on worker JVMs for a pool of them) once, for
   * many later tasks to use: the futures are done when the values have arrived.
   *
   * @param values the values (serializable or with a codec)
   * @param <T> their type
   * @return one future per value
   */
  public <T> List<TaskFuture<T>> scatter(List<? extends T> values) {
    List<Entry> made = new ArrayList<>();
    List<TaskGraph> parts = new ArrayList<>();
    List<TaskFuture<T>> out = new ArrayList<>();
    synchronized (lock) {
      checkOpen();
      for (T v : values) {
        Key k = Key.of("scatter-" + randomToken());
        parts.add(TaskGraph.of(Layer.of(k.name(), "scatter", Map.of(k, Task.constant(v)))));
        Entry e = new Entry(k);
        entries.put(k, e);
        made.add(e);
        out.add(future(e));
      }
      if (!made.isEmpty()) {
        enqueue(new Job(made, parts, List.of(), Tessera.callbacks(List.of()), 0, seq++, 0,
            true));
      }
    }
    dispatch();
    return out;
  }

  /**
   * Puts one value on every worker once (Dask's {@code scatter(value, broadcast=True)}): later
   * tasks on any worker read it where they run, without a transfer, which pays for a value
   * many tasks read (a lookup table, model weights). The future is done when every worker has
   * it. On a scheduler whose workers share this heap (threads) this is a {@link #scatter} of
   * one value.
   *
   * <pre>{@code
   * TaskFuture<double[]> weights = client.broadcast(new double[] {0.5, 0.25});
   * TaskFuture<Double> y = client.submit(Model::predict, weights, 3.0);
   * }</pre>
   *
   * @param value the value (serializable or with a codec)
   * @param <T> its type
   * @return its future
   */
  public <T> TaskFuture<T> broadcast(T value) {
    Objects.requireNonNull(value, "value");
    Key k = Key.of("broadcast-" + randomToken());
    TaskFuture<T> out;
    synchronized (lock) {
      checkOpen();
      Entry e = new Entry(k);
      entries.put(k, e);
      out = future(e);
      Job j = new Job(List.of(e),
          List.of(TaskGraph.of(Layer.of(k.name(), "broadcast", Map.of(k, Task.constant(value))))),
          List.of(), Tessera.callbacks(List.of()), 0, seq++, 0, false);
      j.broadcast = value;
      enqueue(j);
    }
    dispatch();
    return out;
  }

  /**
   * Computes collections in the background: one future per collection, of the value its
   * {@code compute()} returns. Work they share runs once.
   *
   * @param collections arrays, frames, bags, delayed values
   * @return their futures, in order
   */
  public List<TaskFuture<Object>> compute(Lazy<?>... collections) {
    List<Delayed<Object>> ds = new ArrayList<>();
    for (Lazy<?> c : collections) {
      ds.add(Delayed.apply(Client::first, c));
    }
    List<Entry> made = new ArrayList<>();
    List<TaskGraph> parts = new ArrayList<>();
    List<TaskFuture<Object>> out = new ArrayList<>();
    synchronized (lock) {
      checkOpen();
      for (Delayed<Object> d : ds) {
        Entry e = entries.get(d.key());
        if (e == null || e.forgotten) {
          e = new Entry(d.key());
          entries.put(d.key(), e);
          made.add(e);
          parts.add(d.graph());
        }
        out.add(future(e));
      }
      if (!made.isEmpty()) {
        enqueue(new Job(made, parts, List.of(), Tessera.callbacks(List.of()), 0, seq++, 0,
            false));
      }
    }
    dispatch();
    return out;
  }

  private static Object first(Object[] args) {
    return args[0];
  }

  /**
   * Computes collections and returns them with their blocks held where the scheduler keeps
   * them (on the worker JVMs, for a pool): later computations and submissions on the same
   * scheduler use them in place. Released by {@link #release(Lazy)}, by {@link #close()}, or
   * when nothing references them any more. Blocks until computed.
   *
   * @param collections the collections
   * @param <L> their type
   * @return the persisted collections, in order
   */
  public <L extends Lazy<?>> List<L> persist(List<L> collections) {
    return persist(collections, PersistOptions.none());
  }

  /**
   * Like {@link #persist(List)}, keeping the blocks as {@code options} ask: with
   * {@link PersistOptions#backups(int)} on a cluster or a pool of worker processes, copies on
   * other workers, so that a worker's death loses nothing.
   *
   * <pre>{@code
   * List<Array> kept = client.persist(List.of(x), PersistOptions.backups(1));
   * }</pre>
   *
   * @param collections the collections
   * @param options how to keep the blocks
   * @param <L> their type
   * @return the persisted collections, in order
   * @throws UnsupportedOperationException if backups are asked for on a scheduler that keeps
   *     none
   * @throws IllegalArgumentException if there are not more live workers than backups
   */
  public <L extends Lazy<?>> List<L> persist(List<L> collections, PersistOptions options) {
    synchronized (lock) {
      checkOpen();
    }
    List<L> out = Tessera.persist(collections, scheduler, options);
    synchronized (lock) {
      persisted.addAll(out);
    }
    return out;
  }

  /**
   * Drops the held blocks of a collection returned by {@link #persist}.
   *
   * @param collection the persisted collection
   */
  public void release(Lazy<?> collection) {
    synchronized (lock) {
      persisted.removeIf(c -> c == collection);
    }
    Tessera.release(collection);
  }

  // ---- waiting ----

  /**
   * Returns the values of the futures, in order, waiting for each.
   *
   * @param futures the futures
   * @param <T> the value type
   * @return the values
   * @throws TaskFailedException the first failure met, naming its key
   * @throws CancellationException if one was cancelled
   */
  public <T> List<T> gather(List<? extends TaskFuture<? extends T>> futures) {
    List<T> out = new ArrayList<>(futures.size());
    for (TaskFuture<? extends T> f : futures) {
      out.add(f.result());
    }
    return out;
  }

  /**
   * Returns the futures in the order they finish (successfully or not), blocking in
   * {@code next()} until the next one does.
   *
   * @param futures the futures
   * @param <T> the value type
   * @return an iterator over the same futures, each once
   */
  public <T> Iterator<TaskFuture<T>> asCompleted(List<TaskFuture<T>> futures) {
    LinkedBlockingQueue<TaskFuture<T>> done = new LinkedBlockingQueue<>();
    for (TaskFuture<T> f : futures) {
      f.entry.value.whenComplete((v, e) -> done.add(f));
    }
    int n = futures.size();
    return new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        return taken < n;
      }

      @Override
      public TaskFuture<T> next() {
        if (taken >= n) {
          throw new NoSuchElementException();
        }
        try {
          TaskFuture<T> f = done.take();
          taken++;
          return f;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ComputeCancelledException("interrupted while waiting in asCompleted");
        }
      }
    };
  }

  /**
   * Waits until the first or every future is done, or the timeout passes, and says which are
   * done; never throws a future's failure.
   *
   * @param futures the futures
   * @param until {@link WaitFor#FIRST_COMPLETED} or {@link WaitFor#ALL_COMPLETED}
   * @param timeout how long to wait at most
   * @param <T> the value type
   * @return the done and not-done futures at the moment it returned
   * @throws ComputeCancelledException if the waiting thread is interrupted
   */
  public <T> Done<T> wait(List<TaskFuture<T>> futures, WaitFor until, Duration timeout) {
    CompletableFuture<?>[] cfs = new CompletableFuture<?>[futures.size()];
    for (int i = 0; i < cfs.length; i++) {
      cfs[i] = futures.get(i).entry.value;
    }
    CompletableFuture<?> all = until == WaitFor.ALL_COMPLETED ? CompletableFuture.allOf(cfs)
        : CompletableFuture.anyOf(cfs);
    if (cfs.length > 0) {
      try {
        all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ComputeCancelledException("interrupted while waiting for futures");
      } catch (ExecutionException | TimeoutException e) {
        // a failure counts as done; a timeout returns what is done so far
      }
    }
    List<TaskFuture<T>> done = new ArrayList<>();
    List<TaskFuture<T>> notDone = new ArrayList<>();
    for (TaskFuture<T> f : futures) {
      (f.isDone() ? done : notDone).add(f);
    }
    return new Done<>(done, notDone);
  }

  /**
   * Cancels futures that have not finished: their work stops (running tasks are
   * interrupted) and they, and the futures that depend on them, fail with a
   * {@link CancellationException}.
   *
   * @param futures the futures
   */
  public void cancel(List<? extends TaskFuture<?>> futures) {
    for (TaskFuture<?> f : futures) {
      cancel(f);
    }
  }

  boolean cancel(TaskFuture<?> f) {
    Entry e = f.entry;
    Execution stop = null;
    CancellationException why = new CancellationException("the future of " + e.key
        + " was cancelled");
    synchronized (lock) {
      if (e.value.isDone()) {
        return false;
      }
      Job j = e.job;
      if (j != null && j.entries.size() == 1) {
        j.cancelled = true;
        ready.remove(j);
        stop = j.execution;
      }
    }
    boolean did = e.value.completeExceptionally(why);
    if (stop != null) {
      stop.cancel();
    }
    return did;
  }

  // ---- held results ----

  /**
   * {@return how many keys this client holds a result of (in memory, not yet forgotten)}
   * Zero once every future is released or unreachable and nothing is pending.
   */
  public int heldResults() {
    synchronized (lock) {
      int n = 0;
      for (Entry e : entries.values()) {
        if (e.held()) {
          n++;
        }
      }
      return n;
    }
  }

  /** {@return how many keys are pending (waiting, ready or running)} */
  public int pending() {
    synchronized (lock) {
      int n = 0;
      for (Entry e : entries.values()) {
        if (!e.value.isDone()) {
          n++;
        }
      }
      return n;
    }
  }

  /**
   * Cancels what is pending, drops every result this client holds (futures' and persisted
   * collections'), and refuses later submissions. Does not close the scheduler. Idempotent.
   */
  @Override
  public void close() {
    List<Entry> all;
    List<Execution> stops = new ArrayList<>();
    List<Lazy<?>> drop;
    DashboardProvider.Running board;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(entries.values());
      entries.clear();
      for (Entry e : all) {
        e.forgotten = true;
      }
      for (Job j : running.keySet()) {
        j.cancelled = true;
        if (j.execution != null) {
          stops.add(j.execution);
        }
      }
      ready.clear();
      drop = new ArrayList<>(persisted);
      persisted.clear();
      board = dashboard;
      dashboard = null;
    }
    if (board != null) {
      board.close();
    }
    stops.forEach(Execution::cancel);
    for (Entry e : all) {
      if (!e.value.completeExceptionally(new CancellationException("the client was closed"
          + " before " + e.key + " was computed"))) {
        releaseHandle(e);
      }
    }
    drop.forEach(Tessera::release);
  }

  // ---- internals: called by Submitter ----

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this client is closed; create a new one with"
          + " Client.on(scheduler)");
    }
  }

  /**
   * A token no other call returns: unique in this JVM by a counter, and across JVMs by a random
   * half drawn once (a draw from {@code SecureRandom} for each key cost a tenth of a submit).
   */
  static String randomToken() {
    // the counter times an odd constant is a bijection: distinct, but not visibly sequential
    long n = TOKENS.incrementAndGet() * 0x9E3779B97F4A7C15L;
    return HexFormat.of().toHexDigits(TOKEN_BASE) + HexFormat.of().toHexDigits(n);
  }

  /** Returns a new future of {@code e}, counted; called with the lock held. */
  private <T> TaskFuture<T> future(Entry e) {
    TaskFuture<T> f = new TaskFuture<>(this, e);
    e.refs++;
    CLEANER.register(f.handle(), () -> unref(e));
    return f;
  }

  void release(TaskFuture<?> f) {
    synchronized (lock) {
      if (!f.markReleased()) {
        return;
      }
    }
    unref(f.entry);
  }

  private void unref(Entry e) {
    boolean drop = false;
    synchronized (lock) {
      if (--e.refs == 0 && !e.forgotten) {
        e.forgotten = true;
        entries.remove(e.key, e);
        drop = true;
      }
    }
    if (drop) {
      releaseHandle(e);
    }
  }

  private static void releaseHandle(Entry e) {
    if (e.value.isDone() && !e.value.isCompletedExceptionally()) {
      e.value.join().release();
    }
  }

  /**
   * Adds one submission: returns the existing future for a key that is held or pending (never
   * computing it twice), else a new entry whose job waits for {@code inputs}.
   */
  <T> TaskFuture<T> add(Key key, TaskGraph graph, List<TaskFuture<?>> inputs, Submit o) {
    TaskFuture<T> f;
    synchronized (lock) {
      checkOpen();
      Entry e = entries.get(key);
      if (e != null && !e.forgotten) {
        return future(e);
      }
      e = new Entry(key);
      entries.put(key, e);
      f = future(e);
      List<Entry> deps = new ArrayList<>();
      for (TaskFuture<?> in : inputs) {
        if (in.client() != this) {
          throw new IllegalArgumentException("future " + in.key() + " belongs to another"
              + " client; gather it first, or submit on its client");
        }
        deps.add(in.entry);
        in.entry.refs++; // the job holds its inputs until it has run
      }
      Job j = new Job(List.of(e), List.of(graph), deps, Tessera.callbacks(List.of()),
          o.priority(), seq++, o.retries(), false);
      j.keep = o.keep();
      enqueue(j);
    }
    dispatch();
    return f;
  }

  /** Adds a batch of pure entries from {@code map}; inputs are plain values only. */
  <T> List<TaskFuture<T>> addBatch(List<Key> keys, List<TaskGraph> graphs, Submit o) {
    List<TaskFuture<T>> out = new ArrayList<>(keys.size());
    synchronized (lock) {
      checkOpen();
      List<Entry> made = new ArrayList<>();
      List<TaskGraph> parts = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        Entry e = entries.get(keys.get(i));
        if (e == null || e.forgotten) {
          e = new Entry(keys.get(i));
          entries.put(e.key, e);
          made.add(e);
          parts.add(graphs.get(i));
        }
        out.add(future(e));
      }
      if (!made.isEmpty()) {
        Job j = new Job(made, parts, List.of(), Tessera.callbacks(List.of()), o.priority(),
            seq++, o.retries(), true);
        j.keep = o.keep();
        enqueue(j);
      }
    }
    dispatch();
    return out;
  }

  Client client() {
    return this;
  }

  /** Queues a job once its inputs are done; called with the lock held. */
  private void enqueue(Job j) {
    for (Entry e : j.entries) {
      e.job = j;
    }
    running.put(j, Boolean.TRUE);
    if (j.inputs.isEmpty()) {
      ready.add(j);
      return;
    }
    CompletableFuture<?>[] ins = new CompletableFuture<?>[j.inputs.size()];
    for (int i = 0; i < ins.length; i++) {
      ins[i] = j.inputs.get(i).value;
    }
    CompletableFuture.allOf(ins).whenComplete((v, err) -> inputsDone(j));
  }

  private void inputsDone(Job j) {
    Throwable failed = null;
    for (Entry in : j.inputs) {
      if (in.value.isCompletedExceptionally()) {
        failed = errorOf(in);
        break;
      }
    }
    if (failed != null) {
      finish(j, null, failed, false); // dependents fail with the input's own error
      return;
    }
    synchronized (lock) {
      if (j.cancelled || closed) {
        return;
      }
      ready.add(j);
    }
    dispatch();
  }

  private static Throwable errorOf(Entry e) {
    try {
      e.value.join();
      return null;
    } catch (CompletionException x) {
      return x.getCause();
    } catch (CancellationException x) {
      return x;
    }
  }

  /** Sends ready jobs to the scheduler while fewer than maxInFlight are there. */
  private void dispatch() {
    while (true) {
      Job j;
      synchronized (lock) {
        if (closed || inFlight >= maxInFlight || ready.isEmpty()) {
          return;
        }
        j = ready.poll();
        if (j.cancelled) {
          continue;
        }
        inFlight++;
      }
      start(j);
    }
  }

  private void start(Job j) {
    Execution ex;
    try {
      if (j.broadcast != null && scheduler instanceof Broadcasting b) {
        ex = b.broadcast(j.entries.get(0).key, j.broadcast);
      } else {
        ExecutionPlan plan = ExecutionPlan.of(j.graph(), j.keys());
        ex = j.keep.backupCount() == 0 ? scheduler.submit(plan, j.callback)
            : scheduler.submit(plan, j.callback, j.keep);
      }
    } catch (RuntimeException e) {
      finish(j, null, e, true);
      return;
    }
    boolean cancelNow;
    synchronized (lock) {
      j.execution = ex;
      cancelNow = j.cancelled;
    }
    if (cancelNow) {
      ex.cancel();
    }
    ex.results().whenComplete((values, err) -> finish(j, values, err, true));
  }

  private void finish(Job j, List<RemoteValue> values, Throwable err, boolean wasInFlight) {
    if (err instanceof CompletionException && err.getCause() != null) {
      err = err.getCause();
    }
    List<Job> again = new ArrayList<>();
    synchronized (lock) {
      if (j.cancelled && err instanceof ComputeCancelledException) {
        err = new CancellationException("the future of " + j.entries.get(0).key
            + " was cancelled");
      }
    }
    synchronized (lock) {
      if (wasInFlight) {
        inFlight--;
      }
      running.remove(j);
      boolean retry = err instanceof TaskFailedException && !j.cancelled && !closed
          && j.retriesLeft > 0 && wasInFlight;
      if (retry) {
        j.retriesLeft--;
        j.execution = null;
        running.put(j, Boolean.TRUE);
        ready.add(j);
        err = null;
        values = null;
      } else if (err instanceof TaskFailedException tf && wasInFlight && j.splittable
          && j.entries.size() > 1 && !closed) {
        // one item of a batch failed: it fails alone, the others run again on their own
        for (int i = 0; i < j.entries.size(); i++) {
          Entry e = j.entries.get(i);
          if (!e.key.equals(tf.key()) && !e.value.isDone()) {
            Job single = new Job(List.of(e), List.of(j.parts.get(i)), List.of(), j.callback,
                j.priority, seq++, j.retriesLeft, false);
            single.keep = j.keep;
            e.job = single;
            running.put(single, Boolean.TRUE);
            again.add(single);
          }
        }
        ready.addAll(again);
      }
    }
    if (values != null) {
      for (int i = 0; i < j.entries.size(); i++) {
        Entry e = j.entries.get(i);
        RemoteValue v = values.get(i);
        boolean keep;
        synchronized (lock) {
          keep = !e.forgotten;
        }
        if (!keep || !e.value.complete(v)) {
          v.release(); // nobody wants it any more (released, cancelled or closed meanwhile)
        }
      }
    } else if (err != null) {
      for (Entry e : j.entries) {
        if (e.job == j || e.job == null) {
          // an input's failure reaches dependents as the very same exception
          e.value.completeExceptionally(wasInFlight ? named(e, err) : err);
        }
      }
    }
    for (Entry in : j.inputs) {
      unref(in);
    }
    dispatch();
  }

  /** The error a key's futures report: one that names that key, keeping the cause. */
  private static Throwable named(Entry e, Throwable err) {
    if (err instanceof TaskFailedException tf && !tf.key().equals(e.key)) {
      return new TaskFailedException(e.key, " in its task " + tf.key(), tf.getCause());
    }
    if (err instanceof TaskFailedException || err instanceof CancellationException
        || err instanceof ComputeCancelledException
        || err instanceof UnsupportedOperationException
        || err instanceof IllegalArgumentException) {
      // the last two: the scheduler refused the submission's options (backups it cannot
      // keep) before any task ran; its message names the fix, a key would only hide it
      return err;
    }
    return new TaskFailedException(e.key, "", err);
  }
}
