package dev.tessera.schedulers;

import dev.tessera.schedulers.engine.Engine;
import dev.tessera.schedulers.engine.WorkerEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A worker for engine tests: it keeps bytes under ids and answers on a thread of its own, as a
 * transport's reader does, and never runs the tasks' functions. Subclasses say what a task
 * answers ({@link #run}) and may force the moments a real pool cannot (a death, a late answer).
 */
abstract class FakeWorker implements WorkerEndpoint {
  final String name;
  final Map<Long, byte[]> kept = new ConcurrentHashMap<>();
  final ExecutorService reader;
  final AtomicBoolean dead = new AtomicBoolean();
  private final Supplier<Engine> engine;

  FakeWorker(String name, Supplier<Engine> engine) {
    this.name = name;
    this.engine = engine;
    this.reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name + "-reader");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * {@return a new engine, on the sync scheduler, joined by {@code n} workers that {@code make}
   * makes from their names, each also added to {@code into}}
   */
  static <F extends FakeWorker> Engine engineOn(int n, Codecs codecs,
      java.util.function.Function<String, F> make, java.util.List<F> into) {
    Engine e = new Engine(Schedulers.sync(), "fakes(" + n + ")", codecs, 3);
    for (int i = 0; i < n; i++) {
      F f = make.apply("fake-" + i);
      into.add(f);
      e.join(f);
    }
    return e;
  }

  Engine engine() {
    return engine.get();
  }

  /** Throws as a dead worker's endpoint does. */
  void checkAlive() throws IOException {
    if (dead.get()) {
      throw new IOException(name + " is dead");
    }
  }

  /** Dies: forgets what it kept, and the engine hears of it on the reader thread. */
  void die() {
    if (dead.compareAndSet(false, true)) {
      kept.clear();
      reader.execute(() -> engine().died(this, "killed by the test"));
    }
  }

  /** Keeps {@code value} under {@code id} and reports the task done, unless dead. */
  void answer(long id, byte[] value) {
    if (!dead.get()) {
      kept.put(id, value);
      engine().done(this, id, 1_000, value.length, null);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean alive() {
    return !dead.get();
  }

  @Override
  public void fetch(long id) throws IOException {
    checkAlive();
    byte[] b = kept.getOrDefault(id, new byte[0]);
    reader.execute(() -> engine().data(this, id, b));
  }

  @Override
  public void release(long[] ids) throws IOException {
    checkAlive();
    for (long id : ids) {
      kept.remove(id);
    }
  }

  @Override
  public void kill() {
    die();
  }

  @Override
  public String toString() {
    return name;
  }
}
