package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a new user tries that once hung or looped on the worker-JVM pool: each must end in a
 * clear error that names the task, with the pool still usable afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NeverHangTest {
  static InputStream open(String path) throws java.io.IOException {
    return Files.newInputStream(Paths.get(path));
  }

  static byte[] bytes(int megabytes) {
    byte[] b = new byte[megabytes << 20];
    b[0] = 1;
    return b;
  }

  static int sleepWrapped(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException("wrapped", e); // the idiom that once hid the interrupt
    }
    return ms;
  }

  /** Spins without looking at its interrupt flag: a task that ignores cancellation. */
  static int spin(int ms) {
    long end = System.nanoTime() + ms * 1_000_000L;
    long x = 0;
    while (System.nanoTime() < end) {
      x++;
    }
    return (int) (x & 1);
  }

  private static void assertStillWorks(Scheduler s) {
    assertEquals(3, Delayed.call(Work::inc, Delayed.value(2)).compute(s));
  }

  @Test
  void aResultThatDoesNotSerializeFailsOnceNamingTheTask() throws Exception {
    Path file = Files.createTempFile("tessera-never-hang", ".txt");
    try (ProcessScheduler s = Schedulers.processes(1)) {
      Delayed<InputStream> bad = Delayed.call(NeverHangTest::open, Delayed.value(file.toString()));
      Recorder r = new Recorder();
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> Tessera.compute(List.of(bad), s, r));
      assertEquals(bad.key(), e.key());
      assertInstanceOf(NotSerializableException.class, e.getCause());
      assertTrue(e.getMessage().contains("could not be sent back"), e.getMessage());
      assertTrue(e.getMessage().contains("register a Codec"), e.getMessage());
      assertEquals(1, r.started(), "the task ran once: a result that cannot be sent is not a"
          + " death, so nothing is computed again");
      assertStillWorks(s);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aResultTooLargeToEncodeFailsOnceNamingTheTask() {
    // 40 MB held, and encoding it needs a growing buffer plus a copy: more than 96 MB of heap
    ProcessOptions o = ProcessOptions.builder().workers(1).jvmArgs("-Xmx96m").build();
    try (ProcessScheduler s = Schedulers.processes(o)) {
      Delayed<byte[]> big = Delayed.call(NeverHangTest::bytes, Delayed.value(40));
      Recorder r = new Recorder();
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> Tessera.compute(List.of(big), s, r));
      assertEquals(big.key(), e.key());
      assertTrue(e.getCause().getMessage().contains("ran out of memory while encoding"),
          e.getCause().getMessage());
      assertEquals(1, r.started());
      assertStillWorks(s);
    }
  }

  @Test
  void aResultLargerThanTheCallerAcceptsFailsAndThePoolLives() {
    // the same path as a real OutOfMemoryError in the reader, with a limit a test can reach
    ProcessOptions o = ProcessOptions.builder().workers(1).maxValueBytes(1 << 20).build();
    try (ProcessScheduler s = Schedulers.processes(o)) {
      Delayed<byte[]> big = Delayed.call(NeverHangTest::bytes, Delayed.value(2));
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> big.compute(s));
      assertEquals(big.key(), e.key());
      assertInstanceOf(OutOfMemoryError.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("more than the 1.0 MB"),
          e.getCause().getMessage());
      assertStillWorks(s);
      List<Long> pids = s.workerPids();
      assertEquals(1, pids.size());
      assertStillWorks(s);
      assertEquals(pids, s.workerPids(), "the worker did not die");
    }
  }

  /** Computes on a new thread; returns what it threw. */
  private static Thread computeInBackground(Delayed<?> d, Scheduler s, Recorder r,
      AtomicReference<Throwable> thrown) {
    Thread t = new Thread(() -> {
      try {
        Tessera.compute(List.of(d), s, r);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    return t;
  }

  private static void awaitStarted(Recorder r) throws InterruptedException {
    while (r.started() == 0) {
      Thread.sleep(5);
    }
    Thread.sleep(100); // the task is running in the worker, not just sent
  }

  @Test
  void closeFromAnotherThreadWakesTheComputingThread() throws Exception {
    ProcessScheduler s = Schedulers.processes(1);
    try {
      Recorder r = new Recorder();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread t = computeInBackground(Delayed.call(NeverHangTest::spin, Delayed.value(60_000)),
          s, r, thrown);
      awaitStarted(r);
      s.close();
      t.join(30_000);
      assertFalse(t.isAlive(), "compute() still waits after close()");
      assertInstanceOf(IllegalStateException.class, thrown.get());
      assertTrue(thrown.get().getMessage().contains("was closed while this computation ran"),
          thrown.get().getMessage());
    } finally {
      s.close();
    }
  }

  @Test
  void closeAfterAnInterruptStillWakesTheComputingThread() throws Exception {
    ProcessScheduler s = Schedulers.processes(1);
    try {
      Recorder r = new Recorder();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread t = computeInBackground(Delayed.call(NeverHangTest::spin, Delayed.value(60_000)),
          s, r, thrown);
      awaitStarted(r);
      t.interrupt(); // the task ignores the cancel, so the caller waits for it...
      Thread.sleep(200);
      s.close(); // ...until the pool goes away
      t.join(30_000);
      assertFalse(t.isAlive(), "compute() still waits after interrupt and close()");
      assertInstanceOf(ComputeCancelledException.class, thrown.get());
    } finally {
      s.close();
    }
  }

  @Test
  void theSharedSchedulerRefusesToClose() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> Schedulers.shared().close());
    assertTrue(e.getMessage().contains("Schedulers.threads"), e.getMessage());
    assertStillWorks(Schedulers.shared());
  }

  private static void assertWrappedInterruptCancels(Scheduler s) throws Exception {
    Recorder r = new Recorder();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = computeInBackground(Delayed.call(NeverHangTest::sleepWrapped,
        Delayed.value(60_000)), s, r, thrown);
    awaitStarted(r);
    t.interrupt();
    t.join(30_000);
    assertFalse(t.isAlive());
    assertInstanceOf(ComputeCancelledException.class, thrown.get(), () -> "got " + thrown.get());
    assertStillWorks(s);
  }

  @Test
  void aTaskThatRethrowsAnInterruptWrappedStillCancelsOnProcesses() throws Exception {
    try (ProcessScheduler s = Schedulers.processes(1)) {
      assertWrappedInterruptCancels(s);
    }
  }

  @Test
  void aTaskThatRethrowsAnInterruptWrappedStillCancelsOnTheCallingThread() throws Exception {
    assertWrappedInterruptCancels(Schedulers.sync());
  }
}
