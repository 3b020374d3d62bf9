package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's backups at the moments a real pool cannot force: a worker chosen for a copy dies
 * instead of keeping it (another live worker gets the copy), and the home dies while a fetch
 * from it is in flight (the backup answers). Fake workers keep bytes under ids and answer on a
 * thread of their own, as a transport's reader does; they never run the tasks' functions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineBackupsTest {
  static int one(int x) {
    return x;
  }

  private final Codecs codecs = new Codecs(List.of());
  private final List<Fake> fakes = new ArrayList<>();
  private Engine engine;

  /** A worker keeping what it is sent under its ids; dies on a copy or a fetch when told. */
  final class Fake extends FakeWorker {
    /** Dies instead of keeping the first copy sent to it, when it takes this flag. */
    volatile AtomicBoolean dieOnCopy;
    /** Dies instead of answering the first fetch asked of it, when it takes this flag. */
    volatile AtomicBoolean dieOnFetch;

    Fake(String name) {
      super(name, () -> engine);
    }

    @Override
    public void run(long id, String key, boolean output, byte[] task, long[] inputIds,
        byte[][] inline) throws IOException {
      checkAlive();
      boolean copy = inputIds.length == 1 && inputIds[0] == id && inline[0] != null;
      AtomicBoolean d = dieOnCopy;
      if (copy && d != null && d.compareAndSet(true, false)) {
        die();
        return;
      }
      byte[] value = copy ? inline[0] : codecs.encode(7);
      reader.execute(() -> answer(id, value));
    }

    @Override
    public void fetch(long id) throws IOException {
      checkAlive();
      AtomicBoolean d = dieOnFetch;
      if (d != null && d.compareAndSet(true, false)) {
        die();
        return;
      }
      super.fetch(id);
    }

    @Override
    public void cancel(long lo, long hi) {
      // every task answers at once
    }
  }

  private void start(int n) {
    engine = FakeWorker.engineOn(n, codecs, Fake::new, fakes);
  }

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close("closed by the test");
    }
    fakes.forEach(f -> f.reader.shutdownNow());
  }

  private RemoteValue persistWithBackup() {
    Delayed<Integer> x = Delayed.call(EngineBackupsTest::one, Delayed.value(7));
    ExecutionPlan plan = ExecutionPlan.of(x.graph(), List.of(x.key()));
    return engine.persist(plan, SchedulerCallback.NONE, 1).get(0);
  }

  /** Waits (at most 30 s) until {@code n} live fakes keep something; returns those. */
  private List<Fake> awaitHolders(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<Fake> h = new ArrayList<>();
      for (Fake f : fakes) {
        if (f.alive() && !f.kept.isEmpty()) {
          h.add(f);
        }
      }
      if (h.size() == n || System.nanoTime() > deadline) {
        return h;
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aWorkerThatDiesInsteadOfKeepingACopyIsReplacedByAnotherLiveWorker() throws Exception {
    start(3);
    AtomicBoolean once = new AtomicBoolean(true);
    fakes.forEach(f -> f.dieOnCopy = once);
    RemoteValue v = persistWithBackup();
    assertFalse(once.get(), "the first worker sent a copy died instead of keeping it");
    List<Fake> holders = awaitHolders(2);
    assertEquals(2, holders.size(), "the value and a new copy on the third worker: " + holders);
    assertEquals(1, fakes.stream().filter(f -> !f.alive()).count());
    assertEquals(7, v.fetch());
    v.release();
    assertEquals(0, awaitHolders(0).size(), "release drops the value and its copy");
  }

  @Test
  void aFetchFromAHomeThatDiesIsAnsweredByItsBackup() throws Exception {
    start(2);
    RemoteValue v = persistWithBackup();
    assertEquals(2, awaitHolders(2).size(), "the value and its copy");
    AtomicBoolean once = new AtomicBoolean(true);
    fakes.forEach(f -> f.dieOnFetch = once);
    assertEquals(7, v.fetch(), "the worker asked first died; the other answered");
    assertFalse(once.get());
    assertEquals(1, fakes.stream().filter(f -> !f.alive()).count());
    v.release();
    assertEquals(0, awaitHolders(0).size(), "release drops the copy left");
  }
}
