package dev.tessera.schedulers;

import dev.tessera.graph.TesseraException;

/**
 * A task broke a rule that only a worker process or a cluster would enforce, found by
 * {@link Schedulers#strict(dev.tessera.graph.Scheduler)}: its function is not serializable,
 * its input or result does not go through the codecs, it changes an input, or it is not
 * deterministic. The message names the task's key and the fix; {@code compute()} throws it as
 * the cause of a {@link dev.tessera.graph.TaskFailedException}.
 */
public class StrictModeException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the task did and what to do
   */
  public StrictModeException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what the task did and what to do
   * @param cause the serialization or codec error
   */
  public StrictModeException(String message, Throwable cause) {
    super(message, cause);
  }
}
