package dev.tessera.graph;

/**
 * How {@link Tessera#persist(java.util.List, Scheduler, PersistOptions)} keeps the results: so
 * far, how many backups of each persisted block other workers keep. With
 * {@code backups(n)} each block is copied, once computed, to {@code n} other live workers; when
 * the worker holding a block dies, a copy takes its place and nothing is computed again, and a
 * lost copy is made again on another live worker (or on the one that replaces the dead one)
 * when there is one. Without backups (the default) a block lost with its worker is computed
 * again from its graph the next time it is needed. Backups cost memory on the workers and one
 * transfer per copy (worker to worker where the scheduler can; else through this JVM).
 * {@code Submit.options().backups(n)} asks the same for a future's result.
 *
 * <pre>{@code
 * Array x = Tessera.persist(List.of(big), cluster, PersistOptions.backups(1)).get(0);
 * }</pre>
 *
 * <p>Only schedulers whose results live on workers that can die apart keep backups (a
 * {@code Cluster}, a pool of worker processes); the others reject backups with an
 * {@link UnsupportedOperationException} rather than ignore them. Immutable.
 */
public final class PersistOptions {
  private static final PersistOptions NONE = new PersistOptions(0);

  private final int backups;

  private PersistOptions(int backups) {
    this.backups = backups;
  }

  /** {@return the defaults: no backups (a lost block is computed again from its graph)} */
  public static PersistOptions none() {
    return NONE;
  }

  /**
   * Returns options that keep {@code n} backups of every persisted block on other workers.
   *
   * @param n the number of copies besides the block itself, 0 for none; the scheduler needs
   *     more than {@code n} live workers
   * @return the options
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public static PersistOptions backups(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("backups must be 0 or more, not " + n
          + ": PersistOptions.backups(1) keeps one copy of each block on another worker,"
          + " PersistOptions.none() none");
    }
    return n == 0 ? NONE : new PersistOptions(n);
  }

  /** {@return how many copies of each block other workers keep besides the block itself} */
  public int backupCount() {
    return backups;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PersistOptions p && p.backups == backups;
  }

  @Override
  public int hashCode() {
    return backups;
  }

  @Override
  public String toString() {
    return backups == 0 ? "PersistOptions.none()" : "PersistOptions.backups(" + backups + ")";
  }
}
