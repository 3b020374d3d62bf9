package dev.tessera.schedulers;

import dev.tessera.graph.spi.EngineContext;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.EngineMessage;
import dev.tessera.graph.spi.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engines of a scheduler in this JVM: each engine is a lane, one thread that runs its
 * calls one at a time in the order they came (a single-thread executor over a FIFO queue),
 * with its own namespace and inbox. Values are shared, not copied: a list pushed to an engine
 * is the caller's list. An idle lane's thread ends after a minute and comes back on the next
 * call; the namespace and the inbox belong to the engine, not to the thread.
 */
final class LocalEngines implements Engines {
  private final String owner;
  private final List<Lane> lanes = new ArrayList<>();
  private final Supplier<RuntimeException> closedError;
  private volatile boolean closed;

  LocalEngines(String owner, int count, Supplier<RuntimeException> closedError) {
    this.owner = owner;
    this.closedError = closedError;
    for (int i = 0; i < count; i++) {
      lanes.add(new Lane(i));
    }
  }

  @Override
  public int count() {
    return lanes.size();
  }

  @Override
  public String name(int engine) {
    return lane(engine).name;
  }

  @Override
  public <R> CompletableFuture<R> call(int engine, EngineFunction<R> fn) {
    Objects.requireNonNull(fn, "fn");
    Lane lane = lane(engine);
    if (closed) {
      throw closedError.get();
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    lane.pending.add(result);
    result.whenComplete((r, e) -> lane.pending.remove(result));
    try {
      lane.executor.execute(() -> {
        if (result.isDone()) {
          return; // cancelled while queued
        }
        try {
          result.complete(fn.apply(lane));
        } catch (Throwable e) {
          result.completeExceptionally(e);
        } finally {
          Thread.interrupted(); // a close's interrupt must not reach the next call
        }
      });
    } catch (RejectedExecutionException e) {
      lane.pending.remove(result);
      throw closedError.get();
    }
    return result;
  }

  @Override
  public void post(int engine, int tag, Object value) {
    lane(engine).inbox.add(new EngineMessage(OUTSIDE, tag, value));
  }

  private Lane lane(int engine) {
    if (engine < 0 || engine >= lanes.size()) {
      throw new IndexOutOfBoundsException("no engine " + engine + " on " + owner + ": it has "
          + lanes.size() + " engines, 0 to " + (lanes.size() - 1));
    }
    return lanes.get(engine);
  }

  /** Interrupts running calls and fails queued ones; later calls are refused. */
  void close() {
    closed = true;
    for (Lane lane : lanes) {
      lane.executor.shutdownNow();
      RuntimeException e = closedError.get();
      for (CompletableFuture<?> f : lane.pending) {
        f.completeExceptionally(e);
      }
    }
  }

  @Override
  public String toString() {
    return "engines of " + owner + " (" + lanes.size() + ")";
  }

  private final class Lane implements EngineContext {
    final int id;
    final String name;
    final ThreadPoolExecutor executor;
    final Map<String, Object> namespace = new ConcurrentHashMap<>();
    final LinkedBlockingQueue<EngineMessage> inbox = new LinkedBlockingQueue<>();
    final java.util.Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    Lane(int id) {
      this.id = id;
      this.name = "engine-" + id + " (" + owner + ")";
      this.executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tessera-" + owner + "-engine-" + id);
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public int engine() {
      return id;
    }

    @Override
    public int count() {
      return lanes.size();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Map<String, Object> namespace() {
      return namespace;
    }

    @Override
    public void send(int engine, int tag, Object value) {
      lane(engine).inbox.add(new EngineMessage(id, tag, value));
    }

    @Override
    public EngineMessage receive(Duration timeout) throws InterruptedException {
      Objects.requireNonNull(timeout, "timeout");
      return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
