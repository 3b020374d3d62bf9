package dev.tessera.dashboard;

import dev.tessera.graph.core.Key;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The bounded event buffer: one ring per thread that reports tasks, each written by that
 * thread alone (no lock, no shared counter, so worker threads never contend) and read by
 * whoever drains it. Written only while a page is open ({@link #recording}): with nobody
 * watching, a task costs the callbacks one volatile read each. A ring keeps its newest
 * {@code CAPACITY - 1} activities; older ones are overwritten, and a drain counts what it
 * missed.
 *
 * <p>A ring is a set of parallel arrays, not an array of records: recording a task allocates
 * nothing, so the hot path adds no garbage and the buffer holds no objects to promote; the
 * {@link Activity} records are made by the reader. Memory: at most {@code CAPACITY} entries
 * per reporting thread (about 300 KB), and rings of threads that ended are dropped once
 * drained.
 */
final class Rings {
  /** Slots per thread; a drain reads the newest {@code CAPACITY - 1}. */
  static final int CAPACITY = 1 << 13;
  private static final int MASK = CAPACITY - 1;
  private static final byte STARTED = 1;
  private static final byte ENDED = 2;
  private static final byte FAILED = 3;

  private final CopyOnWriteArrayList<Ring> all = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger watchers =
      new java.util.concurrent.atomic.AtomicInteger();
  /** Whether a page is open: only then do the callbacks write to the rings. */
  volatile boolean recording;
  private final ThreadLocal<Ring> mine = ThreadLocal.withInitial(this::newRing);
  private long lost; // guarded by this

  private Ring newRing() {
    Ring r = new Ring(Thread.currentThread());
    all.add(r);
    return r;
  }

  /** Records that a task started; called on the hot path by the thread that saw it. */
  void started(long run, Key key, String worker, long nanos) {
    mine.get().add(STARTED, run, key, worker, nanos, 0, -1);
  }

  /** Records that a task ended; called on the hot path by the thread that saw it. */
  void ended(long run, Key key, String worker, long startNanos, long endNanos, boolean failed,
      long bytes) {
    mine.get().add(failed ? FAILED : ENDED, run, key, worker, startNanos, endNanos, bytes);
  }

  /** Records {@code a}: for tests. */
  void add(Activity a) {
    if (a instanceof Activity.Started s) {
      started(s.run(), s.key(), s.worker(), s.nanos());
    } else if (a instanceof Activity.Ended e) {
      ended(e.run(), e.key(), e.worker(), e.startNanos(), e.endNanos(), e.failed(), e.bytes());
    }
  }

  /**
   * Hands every activity not drained yet to {@code sink}, ring by ring, each ring in order.
   *
   * @param sink receives the activities
   */
  synchronized void drain(Consumer<Activity> sink) {
    List<Activity> batch = new ArrayList<>();
    for (Ring r : all) {
      long w = (long) Ring.WRITTEN.getAcquire(r);
      // the newest CAPACITY - 1: the slot after them is the one the writer fills next
      long from = Math.max(r.read, w - CAPACITY + 1);
      lost += from - r.read;
      batch.clear();
      for (long s = from; s < w; s++) {
        batch.add(r.get((int) (s & MASK)));
      }
      // entries the writer reused while we copied may be torn: drop those (counted lost),
      // including the one it may be writing now (the slot of sequence written - CAPACITY)
      long again = (long) Ring.WRITTEN.getAcquire(r) - CAPACITY + 1;
      int skip = (int) Math.max(0, Math.min(batch.size(), again - from));
      lost += skip;
      for (int i = skip; i < batch.size(); i++) {
        sink.accept(batch.get(i));
      }
      r.read = w;
      Thread owner = r.owner.get();
      if ((owner == null || !owner.isAlive()) && (long) Ring.WRITTEN.getAcquire(r) == w) {
        all.remove(r);
      }
    }
  }

  /** A page opened its event stream: record from now on. */
  void watch() {
    watchers.incrementAndGet();
    recording = true;
  }

  /** A page closed its event stream: stop recording when it was the last one. */
  void unwatch() {
    if (watchers.decrementAndGet() == 0) {
      recording = false;
      if (watchers.get() > 0) {
        recording = true; // one opened meanwhile
      }
    }
  }

  /** Returns how many activities were overwritten before a drain could read them. */
  synchronized long lost() {
    return lost;
  }

  /** Returns how many threads have a ring. */
  int rings() {
    return all.size();
  }

  /** One thread's ring: a single writer, so plain stores plus a release of the count. */
  static final class Ring {
    static final VarHandle WRITTEN;

    static {
      try {
        WRITTEN = MethodHandles.lookup().findVarHandle(Ring.class, "written", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final byte[] kind = new byte[CAPACITY];
    final long[] run = new long[CAPACITY];
    final Key[] key = new Key[CAPACITY];
    final String[] worker = new String[CAPACITY];
    final long[] t0 = new long[CAPACITY];
    final long[] t1 = new long[CAPACITY];
    final long[] bytes = new long[CAPACITY];
    final WeakReference<Thread> owner;
    @SuppressWarnings("unused") // through WRITTEN
    private long written;
    long read; // the reader's, under the Rings lock

    Ring(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }

    void add(byte k, long r, Key ky, String w, long a, long b, long size) {
      long n = written; // only this ring's thread writes it
      int i = (int) (n & MASK);
      kind[i] = k;
      run[i] = r;
      key[i] = ky;
      worker[i] = w;
      t0[i] = a;
      t1[i] = b;
      bytes[i] = size;
      WRITTEN.setRelease(this, n + 1);
    }

    Activity get(int i) {
      return kind[i] == STARTED ? new Activity.Started(run[i], key[i], worker[i], t0[i])
          : new Activity.Ended(run[i], key[i], worker[i], t0[i], t1[i], kind[i] == FAILED,
              bytes[i]);
    }
  }
}
