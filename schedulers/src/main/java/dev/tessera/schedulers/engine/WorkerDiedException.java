package dev.tessera.schedulers.engine;

/** The cause of a failure when a task's worker died while running it, or took a result with it. */
public final class WorkerDiedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which worker died and how
   */
  public WorkerDiedException(String message) {
    super(java.util.Objects.requireNonNull(message, "message"));
  }
}
