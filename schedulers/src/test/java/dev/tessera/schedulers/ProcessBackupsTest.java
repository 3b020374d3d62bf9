package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Tessera;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PersistOptions.backups(1)} on a pool of worker processes (the engine the cluster
 * shares): the block outlives its worker without being computed again, a new copy goes to the
 * replacement, release frees every copy; a future submitted with backups does the same;
 * schedulers without workers reject backups.
 */
class ProcessBackupsTest {
  /** 240 KB: over the 64 KB that come back with a task's answer. */
  private static final int LONGS = 30_000;

  @TempDir
  Path dir;

  /** A block whose element 0 is its maker's pid; fails if {@code marker} exists (run twice). */
  static long[] make(String marker) throws IOException {
    try {
      Files.createFile(Path.of(marker));
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("computed again");
    }
    long[] a = new long[LONGS];
    for (int i = 1; i < LONGS; i++) {
      a[i] = i;
    }
    a[0] = ProcessHandle.current().pid();
    return a;
  }

  static long sum(long[] a) {
    long s = 0;
    for (int i = 1; i < a.length; i++) {
      s += a[i];
    }
    return s;
  }

  static long maker(long[] a) {
    return a[0];
  }

  private static void await(String what, LongSupplier f, long want) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long got = f.getAsLong();
    while (got != want && System.nanoTime() < deadline) {
      Thread.sleep(50);
      got = f.getAsLong();
    }
    assertEquals(want, got, what);
  }

  @Test
  void theBackupTakesOverAndNothingIsComputedAgain() throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      Delayed<long[]> x = Delayed.call(ProcessBackupsTest::make,
          Delayed.value(dir.resolve("made").toString()));
      IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
          () -> Tessera.persist(List.of(x), s, PersistOptions.backups(2)));
      assertTrue(tooMany.getMessage().contains("ask for backups(1) or start more workers"),
          tooMany.getMessage());
      long relayed = s.relayedBytes();
      long transfers = s.transfers();
      Delayed<long[]> kept = Tessera.persist(List.of(x), s, PersistOptions.backups(1)).get(0);
      assertEquals(2, s.heldByWorkers(), "the block and its copy");
      assertEquals(relayed, s.relayedBytes(), "the copy went from worker to worker");
      assertEquals(transfers + 1, s.transfers(), "the copy is counted");
      long made = Delayed.call(ProcessBackupsTest::maker, kept).compute(s);
      ProcessHandle p = ProcessHandle.of(made).orElseThrow();
      p.destroyForcibly();
      p.onExit().get(30, TimeUnit.SECONDS);
      long n = LONGS;
      assertEquals(n * (n - 1) / 2, Delayed.call(ProcessBackupsTest::sum, kept).compute(s));
      assertFalse(s.workerPids().contains(made));
      await("the block and its new copy on the replacement", s::heldByWorkers, 2);
      Tessera.release(kept);
      await("held after release", s::heldByWorkers, 0);
    }
  }

  @Test
  void aFutureWithBackupsOutlivesItsWorkerWithoutRunningAgain() throws Exception {
    try (ProcessScheduler s = Schedulers.processes(2); Client client = Client.on(s)) {
      String never = dir.resolve("never").toString();
      ExecutionException tooMany = assertThrows(ExecutionException.class, () -> client
          .with(Submit.options().backups(2)).submit(ProcessBackupsTest::make, never).get());
      IllegalArgumentException why =
          assertInstanceOf(IllegalArgumentException.class, tooMany.getCause());
      assertTrue(why.getMessage().contains("ask for backups(1) or start more workers"),
          why.getMessage());
      assertFalse(Files.exists(Path.of(never)), "nothing was computed");

      TaskFuture<long[]> f = client.with(Submit.options().backups(1))
          .submit(ProcessBackupsTest::make, dir.resolve("made").toString());
      long made = f.result()[0];
      assertEquals(2, s.heldByWorkers(), "done once the result and its copy are held");
      ProcessHandle p = ProcessHandle.of(made).orElseThrow();
      p.destroyForcibly();
      p.onExit().get(30, TimeUnit.SECONDS);
      // make() fails if it runs again: both read the copy
      TaskFuture<Long> total = client.submit(ProcessBackupsTest::sum, f);
      long n = LONGS;
      assertEquals(n * (n - 1) / 2, total.result());
      assertEquals(made, f.result()[0]);
      total.release();
      await("the result and its new copy on the replacement", s::heldByWorkers, 2);
      f.release();
      await("held after release", s::heldByWorkers, 0);
    }
  }

  @Test
  void schedulersWithoutWorkersRejectBackups() throws Exception {
    Delayed<Integer> x = Delayed.value(1);
    try (ThreadedScheduler threads = Schedulers.threads(2)) {
      for (dev.tessera.graph.Scheduler s : List.of(Schedulers.sync(), threads,
          Schedulers.strict(threads))) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
            () -> Tessera.persist(List.of(x), s, PersistOptions.backups(1)));
        assertTrue(e.getMessage().contains("keeps no backups")
            && e.getMessage().contains("persist without backups"), e.getMessage());
      }
    }
    for (dev.tessera.graph.Scheduler s : List.of(Schedulers.sync(), Schedulers.threads(2))) {
      try (Client client = Client.on(s)) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.with(Submit.options().backups(1)).submit(ProcessBackupsTest::sum,
                new long[] {0, 1}).get());
        assertInstanceOf(UnsupportedOperationException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("submit without backups"),
            e.getCause().getMessage());
        // another key (an equal call would share the failed one): without backups it runs
        assertEquals(2L, client.submit(ProcessBackupsTest::sum, new long[] {0, 2}).result());
      } finally {
        if (s instanceof AutoCloseable c) {
          c.close();
        }
      }
    }
    assertEquals(1, Tessera.persist(List.of(x), Schedulers.sync(), PersistOptions.none())
        .get(0).compute(Schedulers.sync()));
  }
}
