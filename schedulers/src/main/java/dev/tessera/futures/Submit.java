package dev.tessera.futures;

import dev.tessera.graph.PersistOptions;

/**
 * Options of one submission: retries, priority, an explicit key, purity, backups of the
 * result and, for {@link Client#map}, the batch size. Immutable; start from {@link #options()}.
 *
 * <pre>{@code
 * TaskFuture<Integer> f = client.with(Submit.options().retries(2).priority(10)).submit(Work::flaky, 3);
 * }</pre>
 */
public final class Submit {
  private static final Submit DEFAULT = new Submit(0, 0, null, true, 1, PersistOptions.none());

  private final int retries;
  private final int priority;
  private final String key;
  private final boolean pure;
  private final int batchSize;
  private final PersistOptions keep;

  private Submit(int retries, int priority, String key, boolean pure, int batchSize,
      PersistOptions keep) {
    this.retries = retries;
    this.priority = priority;
    this.key = key;
    this.pure = pure;
    this.batchSize = batchSize;
    this.keep = keep;
  }

  /** {@return the defaults: no retry, priority 0, a key from the function and arguments, pure} */
  public static Submit options() {
    return DEFAULT;
  }

  /**
   * Returns these options with up to {@code n} more runs after a failure of the task itself
   * (not after a cancellation or a failed input).
   *
   * @param n at least 0
   * @return the new options
   */
  public Submit retries(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("retries must be at least 0, got " + n);
    }
    return new Submit(n, priority, key, pure, batchSize, keep);
  }

  /**
   * Returns these options with a priority: when more work is ready than the client lets run at
   * once, higher priorities are sent first (ties in submission order).
   *
   * @param p the priority, default 0
   * @return the new options
   */
  public Submit priority(int p) {
    return new Submit(retries, p, key, pure, batchSize, keep);
  }

  /**
   * Returns these options with an explicit key: a later submission with the same key returns
   * the same future (while it is held) instead of running again.
   *
   * @param name the key's name, not empty
   * @return the new options
   */
  public Submit key(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a key needs a non-empty name");
    }
    return new Submit(retries, priority, name, pure, batchSize, keep);
  }

  /**
   * Returns these options with purity set: {@code pure(false)} gives every call a fresh key,
   * for functions with side effects (by default equal calls share one key and run once).
   *
   * @param p whether the function is pure
   * @return the new options
   */
  public Submit pure(boolean p) {
    return new Submit(retries, priority, key, p, batchSize, keep);
  }

  /**
   * Returns these options with a batch size for {@link Client#map}: that many items go to the
   * scheduler as one computation, which pays per-computation costs once for many tiny tasks.
   * The items' futures complete together when their batch does; an item that fails fails
   * alone, and the others of its batch run again, each on its own.
   *
   * @param n at least 1 (the default: one computation per item)
   * @return the new options
   */
  public Submit batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + n);
    }
    return new Submit(retries, priority, key, pure, n, keep);
  }

  /**
   * Returns these options with {@code n} backups of the result: on a pool of worker processes
   * or a cluster, the future is done once its result is also on {@code n} other live workers
   * (copied as {@link PersistOptions#backups(int)} copies persisted blocks); when the worker
   * holding it dies a copy takes over, so {@code get()} and the tasks that use the future read
   * it there instead of running the function again, and a new copy is made on a live worker.
   * Schedulers whose results live in this JVM (threads, sync) fail the future with an
   * {@link UnsupportedOperationException}; {@code n} not below the live workers fails it with
   * an {@link IllegalArgumentException} naming the fix. A key already held or pending keeps the
   * backups it was submitted with.
   *
   * <pre>{@code
   * TaskFuture<double[]> model = client.with(Submit.options().backups(1)).submit(Train::fit, data);
   * }</pre>
   *
   * @param n the copies besides the result itself, 0 (the default) for none
   * @return the new options
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public Submit backups(int n) {
    return new Submit(retries, priority, key, pure, batchSize, PersistOptions.backups(n));
  }

  int retries() {
    return retries;
  }

  int priority() {
    return priority;
  }

  String key() {
    return key;
  }

  boolean pure() {
    return pure;
  }

  int batchSize() {
    return batchSize;
  }

  PersistOptions keep() {
    return keep;
  }
}
