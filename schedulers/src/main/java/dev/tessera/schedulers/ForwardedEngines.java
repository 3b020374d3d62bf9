package dev.tessera.schedulers;

import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.Engines;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's engines as a task on a worker JVM reaches them
 * ({@link dev.tessera.graph.spi.WorkerEngines}): a call goes to the parent on this worker's
 * connection ({@code ENGINE_FORWARD}), which sends it to the engine's worker after the calls it
 * sent there before, and sends its result back ({@code ENGINE_FORWARDED}). Results are decoded
 * off the reader thread, which must stay free to answer class requests.
 */
final class ForwardedEngines implements Engines {
  private final DataOutputStream out;
  private final Codecs codecs;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
  private final ExecutorService decoding;
  /** The system property the parent starts a worker with: how many engines the pool has. */
  static final String COUNT_PROPERTY = "tessera.engineCount";
  /** The engines' count, as the parent said when it started this worker; -1 if it did not. */
  private final int count = Integer.getInteger(COUNT_PROPERTY, -1);

  ForwardedEngines(DataOutputStream out, Codecs codecs, ClassLoader classes) {
    this.out = out;
    this.codecs = codecs;
    this.decoding = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tessera-forwarded-results");
      t.setContextClassLoader(classes); // results may be of classes only the parent has
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public int count() {
    if (count < 0) {
      throw new IllegalStateException("this worker JVM was not told how many engines its pool"
          + " has (-D" + COUNT_PROPERTY + ")");
    }
    return count;
  }

  @Override
  public String name(int engine) {
    return "engine-" + engine;
  }

  @Override
  public <R> CompletableFuture<R> call(int engine, EngineFunction<R> fn) {
    Objects.requireNonNull(fn, "fn");
    byte[] bytes;
    try {
      bytes = codecs.encodeJava(fn);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the function for engine-" + engine + " cannot be"
          + " serialized: " + e, e);
    }
    long id = ids.incrementAndGet();
    CompletableFuture<Object> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      synchronized (out) {
        out.writeByte(Protocol.ENGINE_FORWARD);
        out.writeLong(id);
        out.writeInt(engine);
        Protocol.writeBytes(out, bytes);
        out.flush();
      }
    } catch (IOException gone) {
      Runtime.getRuntime().halt(4); // the parent is gone
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<R> typed = (CompletableFuture<R>) f;
    return typed;
  }

  @Override
  public void post(int engine, int tag, Object value) {
    throw new UnsupportedOperationException("post from inside a task on a worker JVM: send"
        + " from an engine call (EngineContext.send) instead");
  }

  /** Reads one ENGINE_FORWARDED on the reader thread; completes its call off it. */
  void read(DataInputStream in) throws IOException {
    long id = in.readLong();
    boolean ok = in.readBoolean();
    byte[] bytes = Protocol.readBytes(in);
    CompletableFuture<Object> f = pending.remove(id);
    if (f == null) {
      return;
    }
    decoding.execute(() -> {
      if (!ok) {
        f.completeExceptionally(ProcessScheduler.decodeError(bytes));
        return;
      }
      try {
        f.complete(codecs.decode(bytes));
      } catch (Throwable e) {
        f.completeExceptionally(new IllegalStateException("the result of a call forwarded to"
            + " an engine cannot be decoded here: " + e, e));
      }
    });
  }
}
