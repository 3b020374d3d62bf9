package dev.tessera.idioms.ray;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Tokens;
import dev.tessera.graph.spi.Engines;
import dev.tessera.idioms.ResultTimeoutException;
import dev.tessera.schedulers.Schedulers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Ray's core API, in Java: remote tasks that return {@link ObjectRef}s, {@link #put},
 * {@link #get}, {@link #wait}, and actors. Where Ray's Java API is static ({@code Ray.init()},
 * {@code Ray.task(...)}), this is an object you open and close, so that two of them (or a test)
 * never share hidden state.
 *
 * <pre>{@code
 * try (Ray ray = Ray.processes(2)) {                          // ray.init()
 *   List<ObjectRef<Integer>> futures = new ArrayList<>();
 *   for (int i = 0; i < 4; i++) {
 *     futures.add(ray.task(Demo::square, i).remote());        // f.remote(i)
 *   }
 *   List<Integer> squares = ray.get(futures);                 // ray.get(futures): [0, 1, 4, 9]
 * }
 * }</pre>
 *
 * <p>Tasks run on the scheduler's workers through the futures {@link Client}; every call runs
 * (equal calls are not merged). An argument may be a plain value or an {@link ObjectRef} (also
 * inside a list): the task waits for it and uses it where it is held, on the workers. Unlike
 * Ray, references inside lists are resolved too.
 *
 * <p>Actors ({@link #actor(Fn0)}, {@link ActorHandle}) live on the scheduler's engines (its
 * long-lived workers: a thread, or a worker JVM), one engine per actor in turn. A task that takes
 * an {@link ActorHandle} among its arguments runs on the workers like any other task (on worker
 * JVMs its actor calls travel through the pool to the actor's engine), after the calls already
 * made through that handle; on other schedulers it runs in this JVM, on a thread of this
 * instance, where the handle reaches its actor.
 * {@link #close()} kills the actors of this instance. Thread-safe.
 */
public final class Ray implements AutoCloseable {
  private final Scheduler scheduler;
  private final AutoCloseable owned;
  private final Client client;
  private final long id = ThreadLocalRandom.current().nextLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong actors = new AtomicLong();
  /** The live actors, for close(); the named ones by name too. */
  private final Map<String, ActorHandle<?>> live = new ConcurrentHashMap<>();
  private final Map<String, ActorHandle<?>> named = new ConcurrentHashMap<>();
  /** Runs the tasks that take actor handles, in this JVM; started on first need. */
  private ExecutorService local; // guarded by this

  private Ray(Scheduler scheduler, AutoCloseable owned) {
    this.scheduler = scheduler;
    this.owned = owned;
    this.client = Client.on(scheduler);
  }

  /**
   * Returns Ray over a scheduler you keep open (threads, worker JVMs, a cluster):
   * {@link #close()} leaves it open.
   *
   * @param scheduler the scheduler
   * @return the Ray instance
   */
  public static Ray init(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return new Ray(scheduler, null);
  }

  /**
   * Returns Ray over {@code n} threads of this JVM, stopped by {@link #close()}.
   *
   * @param n the number of worker threads, at least 1
   * @return the Ray instance
   */
  public static Ray threads(int n) {
    var s = Schedulers.threads(n);
    return new Ray(s, s);
  }

  /**
   * Returns Ray over {@code n} worker JVMs, started now and stopped by {@link #close()}.
   *
   * @param n the number of worker JVMs, at least 1
   * @return the Ray instance
   */
  public static Ray processes(int n) {
    var s = Schedulers.processes(n);
    return new Ray(s, s);
  }

  /** {@return the scheduler the tasks run on} */
  public Scheduler scheduler() {
    return scheduler;
  }

  Client client() {
    return client;
  }

  // ---- tasks ----

  /**
   * Returns a call of {@code fn(a)} to send with {@link TaskCaller#remote()}: Ray's
   * {@code Ray.task(fn, a)}.
   *
   * @param fn the function (serializable)
   * @param a a value or an {@link ObjectRef}
   * @param <A> the argument type
   * @param <R> the result type
   * @return the call, not sent yet
   */
  public <A, R> TaskCaller<R> task(Fn1<? super A, ? extends R> fn, Object a) {
    Objects.requireNonNull(fn, "fn");
    return new TaskCaller<>(() -> submit(new Calls.One<A, R>(fn), new Object[] {a}));
  }

  /**
   * Returns a call of {@code fn(a, b)}.
   *
   * @param fn the function
   * @param a a value or an {@link ObjectRef}
   * @param b a value or an {@link ObjectRef}
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the call, not sent yet
   */
  public <A, B, R> TaskCaller<R> task(Fn2<? super A, ? super B, ? extends R> fn, Object a,
      Object b) {
    Objects.requireNonNull(fn, "fn");
    return new TaskCaller<>(() -> submit(new Calls.Two<A, B, R>(fn), new Object[] {a, b}));
  }

  /**
   * Returns a call of {@code fn(a, b, c)}.
   *
   * @param fn the function
   * @param a a value or an {@link ObjectRef}
   * @param b a value or an {@link ObjectRef}
   * @param c a value or an {@link ObjectRef}
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the call, not sent yet
   */
  public <A, B, C, R> TaskCaller<R> task(Fn3<? super A, ? super B, ? super C, ? extends R> fn,
      Object a, Object b, Object c) {
    Objects.requireNonNull(fn, "fn");
    return new TaskCaller<>(() -> submit(new Calls.Three<A, B, C, R>(fn),
        new Object[] {a, b, c}));
  }

  /** Sends a task once the references among its arguments are held somewhere. */
  private <R> ObjectRef<R> submit(FnN<R> fn, Object[] args) {
    List<ObjectRef<?>> refs = new ArrayList<>();
    List<ActorHandle<?>> handles = new ArrayList<>();
    for (Object a : args) {
      refsIn(a, refs);
      handlesIn(a, handles);
    }
    if (!handles.isEmpty() && !handlesWorkOnWorkers()) {
      return runHere(fn, args, refs);
    }
    List<CompletableFuture<?>> deps = new ArrayList<>();
    for (ObjectRef<?> r : refs) {
      deps.add(r.onWorkers());
    }
    for (ActorHandle<?> h : handles) {
      // the task goes after the calls made so far through its handles were handed to their
      // engines, so that its own calls come after them (the caller's order, as Ray keeps it)
      deps.add(h.handedOver());
    }
    CompletableFuture<Void> ready = CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new));
    Submit key = Submit.options().key(Tokens.name("ray-task", id, calls.incrementAndGet()));
    Function<Void, TaskFuture<R>> send = x -> {
      Object[] resolved = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        resolved[i] = replace(args[i], r -> r.onWorkers().join());
      }
      return client.with(key).apply(fn, resolved);
    };
    if (ready.isDone() && !ready.isCompletedExceptionally()) {
      return ObjectRef.held(this, CompletableFuture.completedFuture(send.apply(null)));
    }
    return ObjectRef.held(this, ready.thenApply(send));
  }

  /**
   * Runs a task that takes actor handles in this JVM, where the handles work (on schedulers
   * whose workers cannot reach the engines), once the references among its arguments have
   * values.
   */
  private <R> ObjectRef<R> runHere(FnN<R> fn, Object[] args, List<ObjectRef<?>> refs) {
    List<CompletableFuture<?>> values = new ArrayList<>();
    for (ObjectRef<?> r : refs) {
      values.add(r.value());
    }
    Key key = Key.of(Tokens.name("ray-task", id, calls.incrementAndGet()));
    CompletableFuture<R> out = CompletableFuture.allOf(values.toArray(CompletableFuture[]::new))
        .thenApplyAsync(x -> {
          Object[] resolved = new Object[args.length];
          for (int i = 0; i < args.length; i++) {
            resolved[i] = replace(args[i], r -> r.value().join());
          }
          try {
            return fn.apply(resolved);
          } catch (Exception | AssertionError e) {
            throw new CompletionException(new TaskFailedException(key,
                " (run in the calling JVM, since it takes an actor handle)", e));
          }
        }, localExecutor());
    return ObjectRef.local(this, out);
  }

  private synchronized ExecutorService localExecutor() {
    if (local == null) {
      AtomicLong n = new AtomicLong();
      local = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tessera-ray-local-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return local;
  }

  private void handlesIn(Object a, List<ActorHandle<?>> out) {
    if (a instanceof ActorHandle<?> h) {
      if (h.ray() != this) {
        throw new IllegalArgumentException("an ActorHandle of another Ray instance");
      }
      out.add(h);
    } else if (a instanceof List<?> l) {
      for (Object o : l) {
        handlesIn(o, out);
      }
    }
  }

  /**
   * Whether a task that takes actor handles can run on the workers: on threads the handle is
   * the caller's own object; a worker JVM reaches the engines through its parent
   * ({@link dev.tessera.graph.spi.WorkerEngines}). Elsewhere such tasks run in this JVM.
   */
  private boolean handlesWorkOnWorkers() {
    return scheduler instanceof dev.tessera.schedulers.ThreadedScheduler
        || scheduler instanceof dev.tessera.schedulers.ProcessScheduler;
  }

  void refsIn(Object a, List<ObjectRef<?>> out) {
    if (a instanceof ObjectRef<?> r) {
      if (r.ray() != this) {
        throw new IllegalArgumentException("an ObjectRef of another Ray instance: get() it"
            + " first, or pass it to a task of the Ray that made it");
      }
      out.add(r);
    } else if (a instanceof List<?> l) {
      for (Object o : l) {
        refsIn(o, out);
      }
    }
  }

  /** The references in an argument, with no check of their Ray (in a task on a worker). */
  static void refsOf(Object a, List<ObjectRef<?>> out) {
    if (a instanceof ObjectRef<?> r) {
      out.add(r);
    } else if (a instanceof List<?> l) {
      for (Object o : l) {
        refsOf(o, out);
      }
    }
  }

  static Object replace(Object a, Function<ObjectRef<?>, Object> f) {
    if (a instanceof ObjectRef<?> r) {
      return f.apply(r);
    }
    if (a instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(replace(o, f));
      }
      return out;
    }
    return a;
  }

  // ---- actors ----

  /**
   * Returns the creator of an actor made by a constructor of no argument, as Ray's
   * {@code Ray.actor(Counter::new)}: {@code .remote()} creates it.
   *
   * @param ctor the constructor (serializable; on worker JVMs it runs there)
   * @param <T> the actor's class
   * @return the creator
   */
  public <T> ActorCreator<T> actor(Fn0<? extends T> ctor) {
    Objects.requireNonNull(ctor, "ctor");
    return new ActorCreator<>(this, new Calls.Zero<T>(ctor), new Object[0],
        Calls.describe(ctor), null);
  }

  /**
   * Returns the creator of an actor made by {@code ctor(a)}.
   *
   * @param ctor the constructor of one argument
   * @param a its argument (a value, sent along)
   * @param <A> the argument type
   * @param <T> the actor's class
   * @return the creator
   */
  public <A, T> ActorCreator<T> actor(Fn1<? super A, ? extends T> ctor, A a) {
    Objects.requireNonNull(ctor, "ctor");
    return new ActorCreator<>(this, new Calls.One<A, T>(ctor), new Object[] {a},
        Calls.describe(ctor), null);
  }

  /**
   * Returns the creator of an actor made by {@code ctor(a, b)}.
   *
   * @param ctor the constructor of two arguments
   * @param a the first argument (a value)
   * @param b the second argument (a value)
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <T> the actor's class
   * @return the creator
   */
  public <A, B, T> ActorCreator<T> actor(Fn2<? super A, ? super B, ? extends T> ctor, A a,
      B b) {
    Objects.requireNonNull(ctor, "ctor");
    return new ActorCreator<>(this, new Calls.Two<A, B, T>(ctor), new Object[] {a, b},
        Calls.describe(ctor), null);
  }

  /**
   * Returns the live actor of that name, as Ray's {@code Ray.getActor(name)}.
   *
   * @param name the name given with {@link ActorCreator#name(String)}
   * @param <T> the actor's class (unchecked: the caller knows it)
   * @return its handle, or empty if no live actor has that name
   */
  @SuppressWarnings("unchecked")
  public <T> Optional<ActorHandle<T>> getActor(String name) {
    Objects.requireNonNull(name, "name");
    return Optional.ofNullable((ActorHandle<T>) named.get(name));
  }

  <T> ActorHandle<T> create(FnN<? extends T> ctor, Object[] args, String className,
      String name) {
    Engines engines = scheduler.engines().orElseThrow(() -> new IllegalStateException(
        "actors need long-lived workers, which " + scheduler.name() + " does not have: use"
        + " Ray.threads(n), Ray.processes(n) or a scheduler with engines"));
    if (engines.count() < 1) {
      throw new IllegalStateException(scheduler.name() + " has no engines for actors");
    }
    long n = actors.getAndIncrement();
    String actorId = Tokens.name("ray-actor", id, n);
    ActorHandle<T> h = new ActorHandle<>(this, engines, (int) (n % engines.count()), actorId,
        className, name, localExecutor());
    if (name != null && named.putIfAbsent(name, h) != null) {
      throw new IllegalArgumentException("an actor named '" + name + "' already exists; kill"
          + " it first, or get it with getActor(\"" + name + "\")");
    }
    live.put(actorId, h);
    h.create(ctor, args);
    return h;
  }

  void forget(ActorHandle<?> h) {
    live.values().remove(h);
    h.name().ifPresent(n -> named.remove(n, h));
  }

  // ---- put, get, wait ----

  /**
   * Puts a value where tasks use it (on the workers, for worker JVMs) once, for many later
   * tasks: Ray's {@code ray.put}.
   *
   * @param value the value (serializable or with a codec)
   * @param <T> its type
   * @return its reference
   */
  public <T> ObjectRef<T> put(T value) {
    Objects.requireNonNull(value, "value");
    return ObjectRef.held(this,
        CompletableFuture.completedFuture(client.scatter(List.of(value)).get(0)));
  }

  /**
   * Waits for a value and returns a copy of it here: Ray's {@code ray.get(ref)}.
   *
   * @param ref the reference
   * @param <T> the value type
   * @return the value
   * @throws dev.tessera.graph.TaskFailedException if its task failed, naming the key, with
   *     the function's exception as cause
   * @throws ActorDiedException if its actor died or was killed before the call ran
   * @throws ComputeCancelledException if the waiting thread is interrupted
   */
  public <T> T get(ObjectRef<T> ref) {
    Objects.requireNonNull(ref, "ref");
    return await(own(ref), null);
  }

  /**
   * Waits for a reference's value here, at most {@code timeout} (null: no limit); also for the
   * references of actor calls made inside a task on a worker JVM, which have no Ray.
   */
  static <T> T await(ObjectRef<T> ref, Duration timeout) {
    try {
      return timeout == null ? ref.value().get()
          : ref.value().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ResultTimeoutException("ray.get(" + ref + ")", timeout,
          "the work goes on: ask again later", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for " + ref);
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    }
  }

  /**
   * Like {@link #get(ObjectRef)}, waiting at most {@code timeout}: Ray's
   * {@code ray.get(ref, timeout)}.
   *
   * @param ref the reference
   * @param timeout how long to wait at most
   * @param <T> the value type
   * @return the value
   * @throws ResultTimeoutException if it is not ready in time, naming the reference and the
   *     timeout (the work goes on: Ray's {@code GetTimeoutError})
   */
  public <T> T get(ObjectRef<T> ref, Duration timeout) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(timeout, "timeout");
    return await(own(ref), timeout);
  }

  /**
   * Returns the values of the references, in order: Ray's {@code ray.get(refs)}.
   *
   * @param refs the references
   * @param <T> the value type
   * @return the values
   */
  public <T> List<T> get(List<ObjectRef<T>> refs) {
    Objects.requireNonNull(refs, "refs");
    for (ObjectRef<T> r : refs) {
      own(Objects.requireNonNull(r, "refs: an element is null")).value(); // start every fetch
    }
    List<T> out = new ArrayList<>(refs.size());
    for (ObjectRef<T> r : refs) {
      out.add(get(r));
    }
    return out;
  }

  /**
   * Waits until every reference is ready: {@code wait(refs, refs.size())}.
   *
   * @param refs the references, each at most once
   * @param <T> the value type
   * @return all ready, none unready
   */
  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs) {
    Objects.requireNonNull(refs, "refs");
    return wait(refs, refs.size(), null);
  }

  /**
   * Waits, with no timeout, until {@code numReturns} references are ready.
   *
   * @param refs the references, each at most once
   * @param numReturns how many to wait for, from 1 to {@code refs.size()}
   * @param <T> the value type
   * @return the ready references (exactly {@code numReturns}) and the others
   */
  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns) {
    return wait(refs, numReturns, null);
  }

  /**
   * Waits until {@code numReturns} of the references are ready or {@code timeout} has passed,
   * as Ray's {@code ray.wait(refs, num_returns, timeout)}: the ready list holds at most
   * {@code numReturns} references, the unready list the rest, both in the order of
   * {@code refs}. A reference whose task failed counts as ready (its get() throws). Values are
   * fetched here as they become ready (Ray's {@code fetch_local=True}).
   *
   * @param refs the references, each at most once
   * @param numReturns how many to wait for, from 1 to {@code refs.size()}
   * @param timeout how long to wait at most; null for no limit
   * @param <T> the value type
   * @return the ready and the unready references
   * @throws IllegalArgumentException if a reference appears twice or numReturns is out of range
   */
  public <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int numReturns, Duration timeout) {
    Objects.requireNonNull(refs, "refs");
    Set<ObjectRef<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ObjectRef<T> r : refs) {
      if (!seen.add(own(Objects.requireNonNull(r, "refs: an element is null")))) {
        throw new IllegalArgumentException("wait requires a list of unique references: " + r
            + " appears twice");
      }
    }
    if (numReturns < 1 || numReturns > refs.size()) {
      throw new IllegalArgumentException("numReturns must be from 1 to the number of"
          + " references (" + refs.size() + "), got " + numReturns);
    }
    Semaphore done = new Semaphore(0);
    for (ObjectRef<T> r : refs) {
      r.value().whenComplete((v, e) -> done.release());
    }
    try {
      if (timeout == null) {
        done.acquire(numReturns);
      } else {
        done.tryAcquire(numReturns, timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted in wait");
    }
    List<ObjectRef<T>> ready = new ArrayList<>();
    List<ObjectRef<T>> unready = new ArrayList<>();
    for (ObjectRef<T> r : refs) {
      (ready.size() < numReturns && r.value().isDone() ? ready : unready).add(r);
    }
    return new WaitResult<>(ready, unready);
  }

  private <T> ObjectRef<T> own(ObjectRef<T> ref) {
    if (ref.ray() != this) {
      throw new IllegalArgumentException("an ObjectRef of another Ray instance: " + ref);
    }
    return ref;
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static RuntimeException unchecked(Throwable t) {
    t = unwrap(t);
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new CompletionException(t);
  }

  /**
   * Cancels pending tasks (their references fail with a {@link CancellationException}), drops
   * what the workers hold for this instance, and stops the workers of {@link #threads} or
   * {@link #processes}: Ray's {@code ray.shutdown()}. Idempotent.
   */
  @Override
  public void close() {
    List<CompletableFuture<?>> removed = new ArrayList<>();
    for (ActorHandle<?> h : List.copyOf(live.values())) {
      removed.add(h.stop()); // their state leaves the engines, which may outlive this instance
    }
    try {
      CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // an engine that cannot be reached has lost the state anyway
    }
    synchronized (this) {
      if (local != null) {
        local.shutdownNow();
      }
    }
    client.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop Ray's workers: " + e, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Ray(" + scheduler.name() + ")";
  }
}
