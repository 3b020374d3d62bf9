package dev.tessera.idioms.ray;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Tokens;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handle to an actor: a stateful object living on one engine (a worker thread, or a worker
 * JVM), as Ray's {@code ActorHandle}. {@code handle.task(Counter::increment).remote()} calls a
 * method there and returns the reference of its result; the calls made through all handles of
 * an actor run one at a time, in the order they were made (a call whose arguments are
 * references waits for them, and later calls wait behind it).
 *
 * <pre>{@code
 * ActorHandle<Counter> counter = ray.actor(Counter::new).remote();
 * counter.task(Counter::increment).remote();
 * int one = counter.task(Counter::read).remote().get();
 * }</pre>
 *
 * <p>A method that throws fails its own reference (a {@link TaskFailedException} naming the
 * call, with the method's exception as cause); the actor lives on. An actor whose worker dies,
 * that is {@linkplain #kill() killed}, or whose constructor failed fails its pending and later
 * calls with an {@link ActorDiedException} saying which. Handles may be arguments of
 * {@link Ray#task} (Ray's "handles can be passed to tasks"): the task runs on a worker like any
 * other, after the calls already made through the handle, and its own calls through it run on
 * the actor's engine in the order the task makes them; on worker JVMs they travel through the
 * pool, and an actor whose worker died fails them with an {@link ActorDiedException}. Several
 * actors may share an engine (their calls then take turns). Thread-safe.
 *
 * @param <T> the actor's class
 */
public final class ActorHandle<T> implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** The Ray that made it; null for a copy inside a task on a worker JVM. */
  private final transient Ray ray;
  private final transient Engines engines;
  private final int engine;
  private final String id;
  private final String className;
  private final String name;
  /** The engine's name when the actor was made: asking the engines later may wait for a worker. */
  private final String engineName;
  private final transient java.util.concurrent.Executor executor;
  private final transient AtomicLong calls = new AtomicLong();
  /** Completes once the previous call was handed to the engine: calls go in order. */
  private transient CompletableFuture<Void> sent; // guarded by this
  private transient volatile ActorDiedException dead;
  private transient volatile Throwable creationError;
  private transient volatile boolean workerDied;
  /** The constructor's result, once sent; null in a task on a worker JVM. */
  private transient volatile CompletableFuture<Object> created;

  ActorHandle(Ray ray, Engines engines, int engine, String id, String className, String name,
      java.util.concurrent.Executor executor) {
    this(ray, engines, engine, id, className, name, engines.name(engine), executor, null);
  }

  private ActorHandle(Ray ray, Engines engines, int engine, String id, String className,
      String name, String engineName, java.util.concurrent.Executor executor,
      ActorDiedException dead) {
    this.ray = ray;
    this.engineName = engineName;
    this.dead = dead;
    this.executor = executor;
    this.engines = engines;
    this.engine = engine;
    this.id = id;
    this.className = className;
    this.name = name;
    this.sent = CompletableFuture.completedFuture(null);
  }

  Ray ray() {
    return ray;
  }

  /**
   * Completes once the calls made so far through this handle were handed to the engine: a
   * task that receives the handle is sent after them, so its calls come after them.
   */
  synchronized CompletableFuture<Void> handedOver() {
    return sent;
  }

  /** What travels to a worker JVM inside a task: the actor's address, not this Ray's state. */
  private Object writeReplace() {
    return new Travelling(engine, id, className, name, engineName,
        dead == null ? null : dead.getMessage());
  }

  /** A handle on its way to a task on a worker JVM; there it calls through the pool. */
  private record Travelling(int engine, String id, String className, String name,
      String engineName, String dead) implements java.io.Serializable {
    private Object readResolve() throws java.io.ObjectStreamException {
      Engines engines = dev.tessera.graph.spi.WorkerEngines.current().orElseThrow(() ->
          new java.io.InvalidObjectException("an ActorHandle reached a JVM without engines:"
              + " pass it to Ray.task, which runs such tasks where it works"));
      return new ActorHandle<>(null, engines, engine, id, className, name, engineName,
          TaskSide.EXECUTOR, dead == null ? null : new ActorDiedException(dead, null));
    }
  }

  /** The threads that hand a task's actor calls to the engines, in a worker JVM. */
  private static final class TaskSide {
    static final java.util.concurrent.ExecutorService EXECUTOR =
        java.util.concurrent.Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "tessera-ray-task-actor-calls");
          t.setDaemon(true);
          return t;
        });
  }

  /** Sends the constructor: the first call of the actor. */
  void create(FnN<? extends T> ctor, Object[] args) {
    created = send("<init>", ctor, args, true);
  }

  /**
   * Returns a call of {@code method} on the actor, to send with {@link TaskCaller#remote()}.
   *
   * @param method an instance method of the actor's class, such as {@code Counter::read}
   * @param <R> the result type
   * @return the call, not sent yet
   */
  public <R> TaskCaller<R> task(Fn1<? super T, ? extends R> method) {
    Objects.requireNonNull(method, "method");
    return new TaskCaller<>(() -> call(method, new Calls.One<T, R>(method), new Object[0]));
  }

  /**
   * Returns a call of {@code method(a)} on the actor.
   *
   * @param method an instance method of one argument, such as {@code Counter::add}
   * @param a a value or an {@link ObjectRef} (whose value is used)
   * @param <A> the argument type
   * @param <R> the result type
   * @return the call, not sent yet
   */
  public <A, R> TaskCaller<R> task(Fn2<? super T, ? super A, ? extends R> method, Object a) {
    Objects.requireNonNull(method, "method");
    return new TaskCaller<>(() -> call(method, new Calls.Two<T, A, R>(method),
        new Object[] {a}));
  }

  /**
   * Returns a call of {@code method(a, b)} on the actor.
   *
   * @param method an instance method of two arguments
   * @param a a value or an {@link ObjectRef}
   * @param b a value or an {@link ObjectRef}
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the call, not sent yet
   */
  public <A, B, R> TaskCaller<R> task(Fn3<? super T, ? super A, ? super B, ? extends R> method,
      Object a, Object b) {
    Objects.requireNonNull(method, "method");
    return new TaskCaller<>(() -> call(method, new Calls.Three<T, A, B, R>(method),
        new Object[] {a, b}));
  }

  private <R> ObjectRef<R> call(Object method, FnN<R> fn, Object[] args) {
    @SuppressWarnings("unchecked")
    CompletableFuture<R> r = (CompletableFuture<R>) (CompletableFuture<?>) send(
        Calls.describe(method), fn, args, false);
    return ObjectRef.local(ray, r);
  }

  /**
   * Hands a call to the engine after the previous one, once the references among its
   * arguments have their values here.
   */
  private CompletableFuture<Object> send(String method, FnN<?> fn, Object[] args,
      boolean creation) {
    List<ObjectRef<?>> refs = new ArrayList<>();
    for (Object a : args) {
      if (ray != null) {
        ray.refsIn(a, refs);
      } else {
        Ray.refsOf(a, refs);
      }
    }
    List<CompletableFuture<?>> values = new ArrayList<>();
    for (ObjectRef<?> r : refs) {
      values.add(r.value());
    }
    CompletableFuture<Void> ready = CompletableFuture.allOf(values.toArray(CompletableFuture[]::new));
    CompletableFuture<Object> result = new CompletableFuture<>();
    Key key = Key.of(Tokens.name("ray-actor", id, calls.incrementAndGet()));
    synchronized (this) {
      CompletableFuture<Void> previous = sent;
      CompletableFuture<Void> mine = new CompletableFuture<>();
      sent = mine;
      // each call is handed over on Ray's own threads, never on the thread that completed an
      // argument (an engine's reader thread must not wait for that engine's replacement)
      previous.thenRunAsync(() -> ready.whenCompleteAsync((v, e) -> {
        try {
          if (e != null) {
            result.completeExceptionally(Ray.unwrap(e));
          } else if (dead != null) {
            result.completeExceptionally(dead);
          } else {
            Object[] resolved = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
              resolved[i] = Ray.replace(args[i], x -> x.value().join());
            }
            ActorCall c = creation ? ActorCall.create(id, fn, resolved)
                : ActorCall.method(id, fn, resolved);
            engines.call(engine, c).whenComplete((v2, e2) -> {
              if (e2 == null) {
                result.complete(v2);
              } else {
                result.completeExceptionally(failure(key, method, Ray.unwrap(e2), creation));
              }
            });
          }
        } catch (RuntimeException x) {
          result.completeExceptionally(x);
        } finally {
          mine.complete(null);
        }
      }, executor), executor);
    }
    return result;
  }

  /** What a failed call reports: the actor's death, or the method's own failure. */
  private Throwable failure(Key key, String method, Throwable e, boolean creation) {
    if (creation) {
      TaskFailedException f = new TaskFailedException(key, " creating actor " + describe(), e);
      creationError = f;
      return f;
    }
    if (e instanceof EngineDiedException) {
      workerDied = true;
      ActorDiedException d = new ActorDiedException("actor " + describe() + " died with its"
          + " worker, and its state with it: create a new actor (" + e.getMessage() + ")", e);
      dead = d;
      return d;
    }
    if (e instanceof ActorDiedException && ActorCall.GONE.equals(e.getMessage())) {
      CompletableFuture<Object> c0 = created;
      if (c0 != null) {
        // the engine ran the constructor first, but its failure may still be on its way here
        // (results complete on several threads): wait for it to say why the state is missing
        c0.handle((v, x) -> null).join();
      }
      ActorDiedException d = dead;
      if (d != null) {
        return d;
      }
      Throwable c = creationError;
      if (c != null) {
        return new ActorDiedException("actor " + describe() + " could not be created: "
            + c.getCause(), c);
      }
      return new ActorDiedException("actor " + describe() + " is gone: its worker was"
          + " replaced and its state lost", null);
    }
    return new TaskFailedException(key, " in " + className + "." + method + " of actor "
        + describe(), e);
  }

  /**
   * Kills the actor, as Ray's {@code ray.kill(actor)}: calls already handed to its engine
   * still run, later calls fail with an {@link ActorDiedException}, its state is dropped from
   * the engine and its name is free again. Idempotent.
   */
  public void kill() {
    stop();
  }

  /** Kills the actor; the future completes once its state has left the engine. */
  CompletableFuture<?> stop() {
    CompletableFuture<?> removed;
    synchronized (this) {
      if (dead == null) {
        dead = new ActorDiedException("actor " + describe() + " was killed", null);
      }
      // a dead worker took the state with it; otherwise drop it after the calls sent so far
      removed = workerDied ? CompletableFuture.completedFuture(null)
          : sent.thenComposeAsync(x -> engines.call(engine, ActorCall.remove(id)), executor);
    }
    if (ray != null) {
      ray.forget(this);
    }
    return removed;
  }

  /** {@return the actor's name, if it was created with one} */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** {@return whether the actor was killed or its worker died} */
  public boolean isDead() {
    return dead != null;
  }

  private String describe() {
    return className + (name != null ? " '" + name + "'" : "") + " on " + engineName;
  }

  @Override
  public String toString() {
    return "ActorHandle(" + describe() + (dead != null ? ", dead" : "") + ")";
  }
}
