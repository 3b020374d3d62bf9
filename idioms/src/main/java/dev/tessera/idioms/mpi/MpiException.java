package dev.tessera.idioms.mpi;

/**
 * An MPI-style group failed: a rank threw (its exception is the cause and {@link #rank()}
 * names it), its engine died, or the group ran past its timeout ({@link #rank()} is -1). The
 * other ranks were woken from their receives and stopped.
 */
public final class MpiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The rank that failed, or -1. */
  private final int rank;

  MpiException(String message, int rank, Throwable cause) {
    super(message, cause);
    this.rank = rank;
  }

  /** {@return the rank that failed first, or -1 when the group timed out} */
  public int rank() {
    return rank;
  }
}
