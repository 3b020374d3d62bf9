package dev.tessera.schedulers.engine;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.ExecutionPlan;
import dev.tessera.graph.Key;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler state of a pool of remote workers for the pool's lifetime, independent of the
 * transport: which workers are live and how loaded, the computations in progress (each placed
 * by data locality, recovered when a worker dies), and the directory of results that outlive
 * their computation ({@link #persist}). A transport (worker JVMs on sockets, an Ignite cluster)
 * implements {@link WorkerEndpoint} for each worker, tells the engine when one {@link #join joins},
 * and reports what workers answer through {@link WorkerEvents}, which this class implements.
 *
 * <pre>{@code
 * Engine engine = new Engine(myScheduler, "cluster(3)", myEncoding, 3);
 * for (MyNode node : nodes) {
 *   engine.join(node);                      // node implements WorkerEndpoint
 * }
 * // from the nodes' message threads: engine.done(node, id, nanos, size, small), ...
 * List<Object> results = engine.get(plan, callback);
 * }</pre>
 *
 * Thread-safe: any number of threads may compute at once.
 */
public final class Engine implements WorkerEvents {
  final Scheduler owner;
  final String name;
  final Encoding encoding;
  final int maxDeaths;
  private final AtomicLong ids = new AtomicLong(1);
  private final List<WorkerEndpoint> live = new CopyOnWriteArrayList<>();
  /** Tasks sent to each worker and not yet answered, over every computation. */
  private final Map<WorkerEndpoint, AtomicInteger> loads = new ConcurrentHashMap<>();
  /** The computations in progress; worker events go to each (they ignore others' ids). */
  private final List<Computation> runs = new CopyOnWriteArrayList<>();
  /** Results that outlive their computation, by id. */
  private final Map<Long, HeldValue> held = new ConcurrentHashMap<>();
  /** Fetches of held results by their handles, by id. */
  private final Map<Long, CompletableFuture<byte[]>> fetches = new ConcurrentHashMap<>();
  private final AtomicLong transferredBytes = new AtomicLong();
  private final AtomicLong transfers = new AtomicLong();
  private volatile String closed;

  /**
   * Creates the engine of a pool with no worker yet.
   *
   * @param owner the scheduler whose handles this engine's results are ({@link RemoteValue#owner})
   * @param name the pool's name, for messages
   * @param encoding how tasks and values travel
   * @param maxDeaths after this many worker deaths while running the same task, its computation
   *     fails naming it
   */
  public Engine(Scheduler owner, String name, Encoding encoding, int maxDeaths) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.name = Objects.requireNonNull(name, "name");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    if (maxDeaths < 1) {
      throw new IllegalArgumentException("maxDeaths must be at least 1, not " + maxDeaths);
    }
    this.maxDeaths = maxDeaths;
  }

  /**
   * A worker is ready for tasks: computations in progress start using it at once.
   *
   * @param w the worker
   */
  public void join(WorkerEndpoint w) {
    Objects.requireNonNull(w, "w");
    loads.putIfAbsent(w, new AtomicInteger());
    live.add(w);
    for (Computation c : runs) {
      c.workerJoined(w);
    }
  }

  /**
   * A worker that should have replaced a dead one could not be started: computations left
   * without any worker fail with {@code why}.
   *
   * @param why the error
   */
  public void joinFailed(RuntimeException why) {
    Objects.requireNonNull(why, "why");
    for (Computation c : runs) {
      c.workerStartFailed(why);
    }
  }

  /** {@return the live workers, a snapshot} */
  public List<WorkerEndpoint> workers() {
    List<WorkerEndpoint> out = new ArrayList<>();
    for (WorkerEndpoint w : live) {
      if (w.alive()) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Runs the plan on the workers and returns its outputs' values, brought to this JVM.
   *
   * @param plan the plan
   * @param callback diagnostics, called outside the engine's lock
   * @return the outputs, in the plan's order
   * @throws TaskFailedException naming the key of the first task that failed
   * @throws ComputeCancelledException if the calling thread was interrupted
   */
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    return run(Objects.requireNonNull(plan, "plan"), Objects.requireNonNull(callback, "callback"),
        false);
  }

  /**
   * Runs the plan and returns handles to its outputs, which stay on the workers that made them
   * until released; later computations on this engine use them in place.
   *
   * @param plan the plan
   * @param callback diagnostics, called outside the engine's lock
   * @return a handle per output, in the plan's order
   * @throws TaskFailedException naming the key of the first task that failed
   * @throws ComputeCancelledException if the calling thread was interrupted
   */
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    List<RemoteValue> out = new ArrayList<>();
    for (Object o : run(Objects.requireNonNull(plan, "plan"),
        Objects.requireNonNull(callback, "callback"), true)) {
      out.add((RemoteValue) o);
    }
    return out;
  }

  private List<Object> run(ExecutionPlan plan, SchedulerCallback callback, boolean keep) {
    if (closed != null) {
      throw new IllegalStateException(closed);
    }
    Map<Integer, HeldValue> placed = new HashMap<>();
    Map<Integer, byte[]> encoded = new HashMap<>();
    heldInputs(plan, placed, encoded);
    Computation run = new Computation(this, plan, callback, keep, placed, encoded);
    runs.add(run);
    try {
      if (closed != null) {
        run.poolClosed();
      }
      return run.execute();
    } finally {
      runs.remove(run);
    }
  }

  /**
   * Finds the plan's tasks that stand for results held before it ({@link RemoteValue#task}):
   * this engine's are used in place; any other's value is fetched and encoded here, before the
   * computation starts, outside every lock.
   */
  private void heldInputs(ExecutionPlan plan, Map<Integer, HeldValue> placed,
      Map<Integer, byte[]> encoded) {
    for (int t = 0; t < plan.size(); t++) {
      RemoteValue v = RemoteValue.of(plan.task(t));
      if (v == null) {
        continue;
      }
      try {
        v = v.resolve();
        if (v instanceof HeldValue hv && hv.engine == this) {
          hv.check();
          placed.put(t, hv);
        } else {
          encoded.put(t, encoding.encode(v.fetch()));
        }
      } catch (IOException | RuntimeException e) {
        throw new TaskFailedException(plan.key(t), ", the held result it stands for cannot be"
            + " used", e);
      }
    }
  }

  long newIds(int n) {
    return ids.getAndAdd(n);
  }

  AtomicInteger load(WorkerEndpoint w) {
    AtomicInteger l = loads.get(w);
    return l != null ? l : new AtomicInteger(); // a worker that died meanwhile
  }

  void countTransfer(long bytes) {
    transfers.incrementAndGet();
    transferredBytes.addAndGet(bytes);
  }

  /** {@return how many results were sent from one worker to another (through here) so far} */
  public long transfers() {
    return transfers.get();
  }

  /** {@return how many bytes were sent from one worker to another so far} */
  public long transferredBytes() {
    return transferredBytes.get();
  }

  /** {@return how many results outlive their computation (persisted, futures), by handle} */
  public int heldValues() {
    return held.size();
  }

  HeldValue register(HeldValue v) {
    held.put(v.id, v);
    if (!v.worker.alive()) {
      v.lose(v.worker.name() + " died");
      held.remove(v.id);
    }
    return v;
  }

  /** Brings a held value to this JVM: one fetch, shared by concurrent callers. */
  Object fetch(HeldValue v) {
    CompletableFuture<byte[]> nf = new CompletableFuture<>();
    CompletableFuture<byte[]> f = fetches.putIfAbsent(v.id, nf);
    if (f == null) {
      // registered before the fetch leaves, so that the answer always finds it
      f = nf;
      try {
        v.worker.fetch(v.id);
      } catch (IOException e) {
        nf.completeExceptionally(e);
      }
    }
    byte[] bytes;
    try {
      bytes = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while fetching " + v.key());
    } catch (ExecutionException e) {
      v.check(); // lost with its worker: says so
      throw new TesseraException("the result of " + v.key() + " could not be fetched from "
          + v.worker.name() + ": " + e.getCause(), e.getCause());
    } finally {
      fetches.remove(v.id, f);
    }
    if (bytes.length == 0) {
      v.check();
      throw new TesseraException("the result of " + v.key() + " is no longer held by "
          + v.worker.name() + "; compute it again");
    }
    return decode(v.key(), bytes);
  }

  Object decode(Key key, byte[] bytes) {
    try {
      return encoding.decode(bytes);
    } catch (IOException e) {
      throw new TesseraException("the result of " + key + " could not be decoded here: "
          + e, e);
    }
  }

  /** Drops a held value on its worker. */
  void release(HeldValue v) {
    if (held.remove(v.id) != null) {
      try {
        v.worker.release(new long[] {v.id});
      } catch (IOException e) {
        // a dead worker holds nothing
      }
    }
  }

  // ---- worker events: to every computation in progress (each ignores others' ids) ----

  @Override
  public void done(WorkerEndpoint w, long id, long nanos, long sizeBytes, byte[] small) {
    for (Computation run : runs) {
      run.done(w, id, nanos, sizeBytes, small);
    }
  }

  @Override
  public void failed(WorkerEndpoint w, long id, Throwable error, List<Object> inputs,
      String missing) {
    for (Computation run : runs) {
      run.failed(w, id, error, inputs, missing);
    }
  }

  @Override
  public void data(WorkerEndpoint w, long id, byte[] bytes) {
    CompletableFuture<byte[]> f = fetches.get(id);
    if (f != null) {
      f.complete(bytes);
    }
    for (Computation run : runs) {
      run.data(w, id, bytes);
    }
  }

  @Override
  public void unsendable(WorkerEndpoint w, long id, Throwable error) {
    CompletableFuture<byte[]> f = fetches.get(id);
    if (f != null) {
      f.completeExceptionally(error);
    }
    for (Computation run : runs) {
      run.unsendable(w, id, error);
    }
  }

  @Override
  public void died(WorkerEndpoint w, String why) {
    live.remove(w);
    loads.remove(w);
    for (HeldValue v : held.values()) {
      if (v.worker == w) {
        v.lose(w.name() + " " + why);
        held.remove(v.id);
        CompletableFuture<byte[]> f = fetches.get(v.id);
        if (f != null) {
          f.completeExceptionally(new WorkerDiedException(w.name() + " " + why));
        }
      }
    }
    for (Computation run : runs) {
      run.died(w, why);
    }
  }

  /**
   * The pool closes: computations in progress end at once with {@code why}, every held result
   * is lost, and nothing more can run.
   *
   * @param why for messages, with the fix (for example how to make a new pool)
   */
  public void close(String why) {
    closed = Objects.requireNonNull(why, "why");
    for (Computation run : runs) {
      run.poolClosed(); // its caller wakes with an error instead of waiting for dead workers
    }
    for (HeldValue v : held.values()) {
      v.lose(name + " was closed");
    }
    held.clear();
    fetches.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why)));
  }
}
