package dev.tessera.schedulers.engine;

import dev.tessera.graph.Key;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.spi.RemoteValue;

/**
 * A result that stays on the worker that made it after its computation ended: what
 * {@link Engine#persist} returns. Computations on the same engine use it in place;
 * {@link #fetch()} copies it here; {@link #release()} drops it on the worker. When the worker
 * dies the value is lost, and says so.
 */
final class HeldValue implements RemoteValue {
  final Engine engine;
  final long id;
  final WorkerEndpoint worker;
  private final Key key;
  private final long sizeBytes;
  /** The encoded value when it was small enough to come with its done event; else null. */
  private final byte[] small;
  // both guarded by this
  private boolean released;
  private String lost;

  HeldValue(Engine engine, long id, Key key, WorkerEndpoint worker, long sizeBytes,
      byte[] small) {
    this.small = small;
    this.engine = engine;
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
    return engine.owner;
  }

  @Override
  public Object fetch() {
    check();
    return small != null ? engine.decode(key, small) : engine.fetch(this);
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

  /** The worker died or the engine closed. */
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
    engine.release(this);
  }

  @Override
  public synchronized boolean isReleased() {
    return released || lost != null;
  }

  @Override
  public String toString() {
    return "HeldValue(" + key + " on " + worker.name() + ")";
  }
}
