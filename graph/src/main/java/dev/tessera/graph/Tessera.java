package dev.tessera.graph;

import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Graphs;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.SchedulerProvider;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The entry point: computes and persists collections, and chooses their scheduler per call,
 * per scope or globally.
 *
 * <pre>{@code
 * List<Object> both = Tessera.compute(x, y);             // shares their common tasks
 * try (var s = Tessera.useScheduler(Schedulers.sync())) { // this thread, until closed
 *   x.compute();
 * }
 * }</pre>
 *
 * <p>Which scheduler {@link #scheduler()} returns, first match wins: the innermost
 * {@link #useScheduler} scope open on the calling thread; the global default set with
 * {@link #setDefaultScheduler}; the scheduler of the {@link SchedulerProvider} on the class
 * path (the threaded scheduler, one worker per core, when {@code tessera-schedulers} is
 * there). Callbacks are registered the same two ways: globally with {@link #addCallback} and
 * per thread with {@link #useCallback}.
 */
public final class Tessera {
  private Tessera() {}

  private static volatile Scheduler globalDefault;
  private static final ThreadLocal<Deque<Scheduler>> SCOPED =
      ThreadLocal.withInitial(ArrayDeque::new);
  private static final List<SchedulerCallback> GLOBAL_CALLBACKS = new CopyOnWriteArrayList<>();
  private static final ThreadLocal<Deque<SchedulerCallback>> SCOPED_CALLBACKS =
      ThreadLocal.withInitial(ArrayDeque::new);

  /** A scope or registration that ends when closed; closing twice does nothing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Returns the scheduler in effect on this thread.
   *
   * @return the scheduler
   * @throws IllegalStateException if none is set and none is on the class path
   */
  public static Scheduler scheduler() {
    Scheduler s = SCOPED.get().peek();
    if (s != null) {
      return s;
    }
    s = globalDefault;
    return s != null ? s : ProviderHolder.DEFAULT;
  }

  /**
   * Sets the global default scheduler (for threads without a scope).
   *
   * @param scheduler the scheduler, or {@code null} to go back to the provided default
   */
  public static void setDefaultScheduler(Scheduler scheduler) {
    globalDefault = scheduler;
  }

  /**
   * Uses {@code scheduler} on this thread until the returned scope is closed; scopes nest, and
   * closing one restores the scheduler that was in effect before it.
   *
   * @param scheduler the scheduler
   * @return the scope, for try-with-resources
   */
  public static Scope useScheduler(Scheduler scheduler) {
    Deque<Scheduler> stack = SCOPED.get();
    stack.push(java.util.Objects.requireNonNull(scheduler, "scheduler"));
    return once(() -> removeLast(stack, scheduler));
  }

  /**
   * Registers a callback for every computation in this JVM until the registration is closed.
   *
   * @param callback the callback
   * @return the registration
   */
  public static Scope addCallback(SchedulerCallback callback) {
    GLOBAL_CALLBACKS.add(java.util.Objects.requireNonNull(callback, "callback"));
    return once(() -> GLOBAL_CALLBACKS.remove(callback));
  }

  /**
   * Registers a callback for computations started on this thread until the scope is closed.
   *
   * @param callback the callback
   * @return the scope, for try-with-resources
   */
  public static Scope useCallback(SchedulerCallback callback) {
    Deque<SchedulerCallback> stack = SCOPED_CALLBACKS.get();
    stack.push(java.util.Objects.requireNonNull(callback, "callback"));
    return once(() -> removeLast(stack, callback));
  }

  private static <T> void removeLast(Deque<T> stack, T item) {
    // remove this scope's own entry even if scopes are closed out of order
    Iterator<T> it = stack.iterator();
    while (it.hasNext()) {
      if (it.next() == item) {
        it.remove();
        return;
      }
    }
  }

  private static Scope once(Runnable action) {
    return new Scope() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          action.run();
        }
      }
    };
  }

  /**
   * Returns the callbacks in effect on this thread: global ones, then scoped ones, then
   * {@code extra}; for clients that submit plans themselves.
   *
   * @param extra callbacks for one call
   * @return one callback calling them all
   */
  public static SchedulerCallback callbacks(List<SchedulerCallback> extra) {
    Checks.noNulls(extra, "extra");
    List<SchedulerCallback> all = new ArrayList<>(GLOBAL_CALLBACKS);
    List<SchedulerCallback> scoped = new ArrayList<>(SCOPED_CALLBACKS.get());
    java.util.Collections.reverse(scoped);
    all.addAll(scoped);
    all.addAll(extra);
    return SchedulerCallback.all(all);
  }

  /**
   * Computes several collections at once on the scheduler in scope; tasks they share run
   * once.
   *
   * @param collections the collections
   * @return their values, in order
   */
  public static List<Object> compute(Lazy<?>... collections) {
    Checks.noNulls(collections, "collections");
    return compute(List.of(collections), scheduler());
  }

  /**
   * Computes several collections at once on {@code scheduler}, with extra callbacks for this
   * call only.
   *
   * @param collections the collections
   * @param scheduler the scheduler
   * @param callbacks extra callbacks
   * @return their values, in order
   * @throws TaskFailedException if a task fails
   * @throws GraphException if the graph is invalid
   */
  public static List<Object> compute(List<? extends Lazy<?>> collections, Scheduler scheduler,
      SchedulerCallback... callbacks) {
    Checks.noNulls(collections, "collections");
    Objects.requireNonNull(scheduler, "scheduler");
    Checks.noNulls(callbacks, "callbacks");
    ExecutionPlan plan = plan(collections);
    List<Object> values = scheduler.get(plan, callbacks(List.of(callbacks)));
    List<Object> out = new ArrayList<>(collections.size());
    int pos = 0;
    for (Lazy<?> c : collections) {
      int n = c.outputKeys().size();
      out.add(assemble(c, values.subList(pos, pos + n)));
      pos += n;
    }
    return out;
  }

  /**
   * Computes several collections and returns them with their results held where the
   * scheduler keeps them (a worker JVM keeps its blocks), sharing common tasks. Later
   * computations on the same scheduler start from the held results; on another scheduler they
   * fetch them. The data is dropped by {@link #release(Lazy)}, or once no graph references it
   * any more (a {@link Cleaner} is the safety net: release explicitly what you no longer need).
   *
   * @param collections the collections
   * @param scheduler the scheduler
   * @param <L> the collection type
   * @return the persisted collections, in order
   */
  public static <L extends Lazy<?>> List<L> persist(List<L> collections, Scheduler scheduler) {
    return persist(collections, scheduler, PersistOptions.none());
  }

  /**
   * Like {@link #persist(List, Scheduler)}, keeping the blocks as {@code options} ask: with
   * {@link PersistOptions#backups(int)}, copies on other workers, so that a worker's death
   * loses no block and computes nothing again.
   *
   * <pre>{@code
   * Array x = Tessera.persist(List.of(big), cluster, PersistOptions.backups(1)).get(0);
   * }</pre>
   *
   * @param collections the collections
   * @param scheduler the scheduler
   * @param options how to keep the blocks
   * @param <L> the collection type
   * @return the persisted collections, in order
   * @throws UnsupportedOperationException if backups are asked for on a scheduler that keeps
   *     none (its results live in this JVM)
   * @throws IllegalArgumentException if there are not more live workers than backups
   */
  @SuppressWarnings("unchecked")
  public static <L extends Lazy<?>> List<L> persist(List<L> collections, Scheduler scheduler,
      PersistOptions options) {
    Checks.noNulls(collections, "collections");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(options, "options");
    ExecutionPlan plan = plan(collections);
    List<RemoteValue> handles = scheduler.persist(plan, callbacks(List.of()), options);
    Map<Key, Task> held = new HashMap<>();
    for (int j = 0; j < handles.size(); j++) {
      held.computeIfAbsent(plan.outputs().get(j), k -> heldTask(k, handles));
    }
    List<L> out = new ArrayList<>(collections.size());
    for (L c : collections) {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (Key k : c.outputKeys()) {
        tasks.put(k, held.get(k));
      }
      String name = Tokens.name("persist", c.outputKeys());
      out.add((L) c.withGraph(TaskGraph.of(Layer.of(name, "persist", tasks))));
    }
    return out;
  }

  private static final Cleaner CLEANER = Cleaner.create();

  /**
   * The task of the first handle for {@code key}; any other handle of the same key (an output
   * requested twice) is released at once. When the task (its function) is no longer reachable,
   * no graph or computation can need the data, and the Cleaner releases it.
   */
  private static Task heldTask(Key key, List<RemoteValue> handles) {
    RemoteValue first = null;
    for (RemoteValue v : handles) {
      if (v.key().equals(key)) {
        if (first == null) {
          first = v;
        } else if (v != first) {
          v.release();
        }
      }
    }
    Task t = RemoteValue.task(first);
    RemoteValue keep = first;
    CLEANER.register(t.function(), keep::release);
    return t;
  }

  /**
   * Drops the held data of a collection returned by {@link #persist}: later computations of it
   * fail, naming the key, while computations of the original collection still work. Does
   * nothing for a collection that holds nothing.
   *
   * @param persisted a persisted collection (or anything built on one: every held block its
   *     graph references is released)
   */
  public static void release(Lazy<?> persisted) {
    Set<RemoteValue> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Task t : persisted.graph().tasks().values()) {
      RemoteValue v = RemoteValue.of(t);
      if (v != null && seen.add(v)) {
        v.release();
      }
    }
  }

  private static ExecutionPlan plan(List<? extends Lazy<?>> collections) {
    // One merged graph, optimized by each kind of collection in turn with every requested
    // key kept: each pass sees every user of a shared task (so fuse keeps what others need,
    // as in Dask's collections_to_dsk) and hands a valid graph to the next. Optimizing parts
    // separately and merging them could mix a fused layer from one with an unfused one from
    // another that needs a key the first removed.
    List<TaskGraph> graphs = new ArrayList<>(collections.size());
    List<Key> keys = new ArrayList<>();
    for (Lazy<?> c : collections) {
      graphs.add(c.graph());
      keys.addAll(c.outputKeys());
    }
    // Culled and indexed once here: every pass after this reads the index it is handed and
    // hands on the index of its result, and the plan only orders the graph that will run.
    TaskGraph graph = Graphs.cull(TaskGraph.merge(graphs), keys);
    Set<Class<?>> optimized = new HashSet<>();
    for (Lazy<?> c : collections) {
      if (optimized.add(c.getClass())) {
        graph = c.optimize(graph, keys);
      }
    }
    return ExecutionPlan.of(graph, keys);
  }

  private static Object assemble(Lazy<?> c, List<Object> values) {
    try {
      return c.assembler().apply(values);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new TesseraException("assembling the result of " + c.outputKeys().get(0).prefix()
          + " failed: " + e, e);
    }
  }

  private static final class ProviderHolder {
    static final Scheduler DEFAULT = load();

    private static Scheduler load() {
      // the highest priority wins, then the name: never the class path's order
      SchedulerProvider best = null;
      for (SchedulerProvider p : ServiceLoader.load(SchedulerProvider.class)) {
        if (best == null || BY_PRIORITY.compare(p, best) < 0) {
          best = p;
        }
      }
      return best == null ? new MissingScheduler() : best.defaultScheduler();
    }

    private static final Comparator<SchedulerProvider> BY_PRIORITY =
        Comparator.comparingInt(SchedulerProvider::priority).reversed()
            .thenComparing(SchedulerProvider::name);
  }

  /** Stands in when no scheduler module is on the class path, and says so when used. */
  private static final class MissingScheduler implements Scheduler {
    @Override
    public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
      throw new IllegalStateException("no scheduler: add the tessera-schedulers module to the"
          + " class path, or pass a Scheduler to compute() or Tessera.setDefaultScheduler()");
    }
  }
}
