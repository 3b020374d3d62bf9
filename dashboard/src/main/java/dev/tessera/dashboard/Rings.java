package dev.tessera.dashboard;

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
 * whoever drains it, only while somebody watches. A ring keeps its last {@link #CAPACITY}
 * activities; older ones are overwritten, and a drain counts what it missed.
 *
 * <p>Memory: at most {@code CAPACITY} small records per reporting thread, and rings of threads
 * that ended are dropped once drained.
 */
final class Rings {
  /** Activities kept per thread. */
  static final int CAPACITY = 1 << 13;
  private static final int MASK = CAPACITY - 1;

  private final CopyOnWriteArrayList<Ring> all = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Ring> mine = ThreadLocal.withInitial(this::newRing);
  private long lost; // guarded by this

  private Ring newRing() {
    Ring r = new Ring(Thread.currentThread());
    all.add(r);
    return r;
  }

  /** Records {@code a}; called on the hot path by the thread that saw it. */
  void add(Activity a) {
    mine.get().add(a);
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
      long from = Math.max(r.read, w - CAPACITY);
      lost += from - r.read;
      batch.clear();
      for (long s = from; s < w; s++) {
        batch.add(r.slots[(int) (s & MASK)]);
      }
      // slots the writer reused while we copied hold newer activities: drop those, they are
      // read again (in order) by the next drain
      long again = (long) Ring.WRITTEN.getAcquire(r) - CAPACITY;
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

  /** Returns how many activities were overwritten before a drain could read them. */
  synchronized long lost() {
    return lost;
  }

  /** Returns how many threads have a ring. */
  int rings() {
    return all.size();
  }

  /** One thread's ring: a single writer, so a plain store plus a release of the count. */
  static final class Ring {
    static final VarHandle WRITTEN;

    static {
      try {
        WRITTEN = MethodHandles.lookup().findVarHandle(Ring.class, "written", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Activity[] slots = new Activity[CAPACITY];
    final WeakReference<Thread> owner;
    @SuppressWarnings("unused") // through WRITTEN
    private long written;
    long read; // the reader's, under the Rings lock

    Ring(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }

    void add(Activity a) {
      long w = written; // only this ring's thread writes it
      slots[(int) (w & MASK)] = a;
      WRITTEN.setRelease(this, w + 1);
    }
  }
}
