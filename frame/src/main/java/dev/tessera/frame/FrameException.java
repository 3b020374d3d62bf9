package dev.tessera.frame;

import dev.tessera.graph.TesseraException;

/**
 * A partition's data does not fit the frame: a CSV row with the wrong number of fields, a value
 * that does not parse as its column's type, a partition whose columns differ from the meta.
 * Thrown inside a task (so {@code compute()} reports it as the cause of a
 * {@link dev.tessera.graph.TaskFailedException}); the message names the file, line and column
 * where there is one.
 */
public class FrameException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, where, and what to do about it
   */
  public FrameException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what is wrong, where, and what to do about it
   * @param cause the underlying error
   */
  public FrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
