package dev.tessera.schedulers;

import dev.tessera.graph.Key;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.spi.RemoteValue;

/**
 * A result that stays on the worker JVM that made it, after its computation ended: what
 * {@link ProcessScheduler#submit} and {@code persist} return. Computations on the same pool use
 * it in place; {@link #fetch()} copies it to this JVM; {@link #release()} drops it on the
 * worker. When the worker dies the value is lost, and says so.
 */
final class ProcessValue implements RemoteValue {
  final ProcessScheduler pool;
  final long id;
  final WorkerHandle worker;
  private final Key key;
  private final long sizeBytes;
  /** The encoded value when it was small enough to come with its DONE; else null. */
  private final byte[] small;
  // both guarded by this
  private boolean released;
  private String lost;

  ProcessValue(ProcessScheduler pool, long id, Key key, WorkerHandle worker, long sizeBytes,
      byte[] small) {
    this.small = small;
    this.pool = pool;
    this.id = id;
    this.key = key;
    this.worker = worker;
    this.sizeBytes = sizeBytes;
  }

  @Override
  public Key key() {
    return key;
  }

  @Override
  public long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public Scheduler owner() {
    return pool;
  }

  @Override
  public Object fetch() {
    check();
    return small != null ? pool.decode(this, small) : pool.fetch(this);
  }

  /** Throws if the value is gone; otherwise returns. */
  synchronized void check() {
    if (released) {
      throw new TesseraException("the result of " + key + " was released; compute it again");
    }
    if (lost != null) {
      throw new TesseraException("the result of " + key + " was lost: " + lost
          + "; compute it again");
    }
  }

  /** The worker died or the pool closed. */
  synchronized void lose(String why) {
    if (lost == null) {
      lost = why;
    }
  }

  @Override
  public void release() {
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
    }
    pool.release(this);
  }

  @Override
  public synchronized boolean isReleased() {
    return released || lost != null;
  }

  @Override
  public String toString() {
    return "ProcessValue(" + key + " on " + worker.name + ")";
  }
}
