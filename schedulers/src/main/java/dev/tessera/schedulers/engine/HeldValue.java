package dev.tessera.schedulers.engine;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RemoteValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A result that stays on the worker that made it after its computation ended: what
 * {@link Engine#persist} returns; or on every worker, for {@link Engine#broadcast}. Computations
 * on the same engine use it in place; {@link #fetch()} copies it here; {@link #release()} drops
 * it on its workers. When the last worker holding it dies the value is lost; the next use
 * computes it again from its lineage (Spark's and Dask's answer), or, without one, says so.
 */
final class HeldValue implements RemoteValue {
  final Engine engine;
  /**
   * The plan that computed it, to compute it again when its workers die (its lineage); null
   * for a value that has no graph (a broadcast).
   */
  final ExecutionPlan lineage;
  /**
   * Held while the value is computed again (concurrent users wait for one recomputation) or
   * copied to its backups: one at a time, so that a copy never lands on a recomputed value.
   */
  final Object recovery = new Object();
  private final Key key;
  private final long sizeBytes;
  /** The encoded value when it was small enough to come with its done event; else null. */
  private final byte[] small;
  // guarded by this
  /** The id its workers hold it under. */
  private long id;
  /** The live workers holding it under {@link #id}, the first one where it was made. */
  private List<WorkerEndpoint> holders;
  private boolean released;
  private String lost;
  /**
   * How many copies other workers keep besides the first holder ({@code PersistOptions}'s
   * backups): the engine makes them after persist and again when a holder dies or a worker
   * joins while some are missing.
   */
  private int backups;

  HeldValue(Engine engine, long id, Key key, List<WorkerEndpoint> holders, long sizeBytes,
      byte[] small, ExecutionPlan lineage) {
    this.small = small;
    this.lineage = lineage;
    this.engine = engine;
    this.id = id;
    this.key = key;
    this.holders = new ArrayList<>(holders);
    this.sizeBytes = sizeBytes;
  }

  /** {@return the id its workers hold it under} */
  synchronized long id() {
    return id;
  }

  /** {@return the encoded value when it came along with its done event, else null} */
  byte[] small() {
    return small;
  }

  /** {@return whether its workers died with it and it was not released} */
  synchronized boolean isLost() {
    return lost != null && !released;
  }

  /** It was computed again: from now on it is {@code fresh}'s data, under fresh's id. */
  synchronized void adopt(long freshId, List<WorkerEndpoint> freshHolders) {
    id = freshId;
    holders = new ArrayList<>(freshHolders);
    lost = null;
  }

  /** {@return how many backups it should have} */
  synchronized int backups() {
    return backups;
  }

  /** It should have at least {@code n} backups. */
  synchronized void wantBackups(int n) {
    backups = Math.max(backups, n);
  }

  /** {@return how many live workers hold it} */
  synchronized int liveHolders() {
    int k = 0;
    for (WorkerEndpoint w : holders) {
      if (w.alive()) {
        k++;
      }
    }
    return k;
  }

  /**
   * Copies of it were made on {@code more}, under its id: they hold it from now on (a copy
   * that outlived every other holder makes a lost value whole again).
   *
   * @return false if it was released meanwhile: the caller drops the copies
   */
  synchronized boolean addHolders(List<WorkerEndpoint> more) {
    if (released) {
      return false;
    }
    for (WorkerEndpoint w : more) {
      if (w.alive() && !holders.contains(w)) {
        holders.add(w);
      }
    }
    if (lost != null && !holders.isEmpty()) {
      lost = null;
    }
    return true;
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

  /**
   * {@inheritDoc} A value lost with its workers is computed again from its graph first.
   */
  @Override
  public Object fetch() {
    if (small != null) {
      checkReleased();
      return engine.decode(key, small);
    }
    for (int attempt = 1; ; attempt++) {
      engine.ensure(this);
      try {
        return engine.fetch(this);
      } catch (TesseraException e) {
        if (!isLost() || lineage == null || attempt >= engine.maxDeaths) {
          throw e;
        }
        // its worker died during the fetch: compute it again
      }
    }
  }

  private synchronized void checkReleased() {
    if (released) {
      throw new TesseraException("the result of " + key + " was released; compute it again");
    }
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
    return released || lost != null && lineage == null;
  }

  @Override
  public String toString() {
    return "HeldValue(" + key + " on " + holders() + ")";
  }
}
