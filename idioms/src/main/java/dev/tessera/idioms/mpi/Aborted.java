package dev.tessera.idioms.mpi;

/**
 * Thrown inside a rank that was waiting when its group failed elsewhere: it ends the rank's
 * function. The group's caller sees the {@link MpiException} of the rank that failed first,
 * never this.
 */
final class Aborted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Aborted(String message) {
    super(message);
  }
}
