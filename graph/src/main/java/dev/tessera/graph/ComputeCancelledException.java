package dev.tessera.graph;

/**
 * A computation stopped before it finished because its calling thread was interrupted (the
 * thread's interrupt flag is set again) or it was otherwise cancelled.
 */
public class ComputeCancelledException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was cancelled and where it stood
   */
  public ComputeCancelledException(String message) {
    super(message);
  }
}
