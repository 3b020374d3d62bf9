package dev.tessera.graph;

/** The root of Tessera's unchecked exceptions. */
public class TesseraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   */
  public TesseraException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   * @param cause the underlying error
   */
  public TesseraException(String message, Throwable cause) {
    super(message, cause);
  }
}
