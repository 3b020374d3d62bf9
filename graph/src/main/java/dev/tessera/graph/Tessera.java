package dev.tessera.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
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

  /** Returns the callbacks in effect on this thread: global ones, then scoped ones. */
  static SchedulerCallback callbacks(List<SchedulerCallback> extra) {
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
   * Computes several collections and returns them with their results held, sharing common
   * tasks.
   *
   * @param collections the collections
   * @param scheduler the scheduler
   * @param <L> the collection type
   * @return the persisted collections, in order
   */
  @SuppressWarnings("unchecked")
  public static <L extends Lazy<?>> List<L> persist(List<L> collections, Scheduler scheduler) {
    ExecutionPlan plan = plan(collections);
    Map<Key, Task> held = scheduler.persist(plan, callbacks(List.of()));
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

  private static ExecutionPlan plan(List<? extends Lazy<?>> collections) {
    // Like Dask's collections_to_dsk: collections of one type are merged first and optimized
    // together, so that a pass such as fuse sees every user of a shared task and keeps it.
    Map<Class<?>, List<Lazy<?>>> byType = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (Lazy<?> c : collections) {
      byType.computeIfAbsent(c.getClass(), k -> new ArrayList<>()).add(c);
      keys.addAll(c.outputKeys());
    }
    List<TaskGraph> merged = new ArrayList<>(byType.size());
    List<List<Key>> groupKeys = new ArrayList<>(byType.size());
    for (List<Lazy<?>> group : byType.values()) {
      List<TaskGraph> parts = new ArrayList<>(group.size());
      List<Key> gk = new ArrayList<>();
      for (Lazy<?> c : group) {
        parts.add(c.graph());
        gk.addAll(c.outputKeys());
      }
      merged.add(parts.size() == 1 ? parts.get(0) : TaskGraph.merge(parts));
      groupKeys.add(gk);
    }
    // A key of one group's graph that a task of another group needs must survive that group's
    // optimization (not fused away, inlined or freed early): it is kept like an output.
    for (int g = 0; g < merged.size() && merged.size() > 1; g++) {
      TaskGraph mine = merged.get(g);
      java.util.Set<Key> extra = new java.util.LinkedHashSet<>();
      for (int h = 0; h < merged.size(); h++) {
        if (h == g) {
          continue;
        }
        for (Map.Entry<Key, Task> e : merged.get(h).tasks().entrySet()) {
          if (!mine.contains(e.getKey())) {
            for (Key d : e.getValue().dependencies()) {
              if (mine.contains(d)) {
                extra.add(d);
              }
            }
          }
        }
      }
      groupKeys.get(g).addAll(extra);
    }
    List<TaskGraph> graphs = new ArrayList<>(byType.size());
    int g = 0;
    for (List<Lazy<?>> group : byType.values()) {
      graphs.add(group.get(0).optimize(merged.get(g), groupKeys.get(g)));
      g++;
    }
    return ExecutionPlan.of(graphs.size() == 1 ? graphs.get(0) : TaskGraph.merge(graphs), keys);
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
      for (SchedulerProvider p : ServiceLoader.load(SchedulerProvider.class)) {
        return p.defaultScheduler();
      }
      return new MissingScheduler();
    }
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
