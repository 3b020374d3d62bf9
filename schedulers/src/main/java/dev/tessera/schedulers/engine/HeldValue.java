package dev.tessera.schedulers.engine;

import dev.tessera.graph.Key;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.spi.RemoteValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A result that stays on the worker that made it after its computation ended: what
 * {@link Engine#persist} returns; or on every worker, for {@link Engine#broadcast}. Computations
 * on the same engine use it in place; {@link #fetch()} copies it here; {@link #release()} drops
 * it on its workers. When the last worker holding it dies the value is lost, and says so.
 */
final class HeldValue implements RemoteValue {
  final Engine engine;
  final long id;
  private final Key key;
  private final long sizeBytes;
  /** The encoded value when it was small enough to come with its done event; else null. */
  private final byte[] small;
  // guarded by this
  /** The live workers holding it under {@link #id}, the first one where it was made. */
  private final List<WorkerEndpoint> holders;
  private boolean released;
  private String lost;

  HeldValue(Engine engine, long id, Key key, List<WorkerEndpoint> holders, long sizeBytes,
      byte[] small) {
    this.small = small;
    this.engine = engine;
    this.id = id;
    this.key = key;
    this.holders = new ArrayList<>(holders);
    this.sizeBytes = sizeBytes;
  }

  /** {@return a live worker holding it (the first one), or null} */
  synchronized WorkerEndpoint holder() {
    for (WorkerEndpoint w : holders) {
      if (w.alive()) {
        return w;
      }
    }
    return null;
  }

  /** {@return the workers holding it, a snapshot} */
  synchronized List<WorkerEndpoint> holders() {
    return new ArrayList<>(holders);
  }

  /** {@code w} is gone; returns whether no worker holds the value any more. */
  synchronized boolean drop(WorkerEndpoint w) {
    holders.remove(w);
    return holders.isEmpty();
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
    return "HeldValue(" + key + " on " + holders() + ")";
  }
}
