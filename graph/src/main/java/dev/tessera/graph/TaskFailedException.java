package dev.tessera.graph;

/**
 * A task's function threw: {@link #getCause()} is the user's exception, unchanged, and
 * {@link #key()} names the task. Thrown by {@code compute()} after every other running task of
 * the computation has stopped and nothing more will start.
 */
public class TaskFailedException extends TesseraException {
  private static final long serialVersionUID = 1L;
  private final Key key;

  /**
   * Creates the exception.
   *
   * @param key the failed task's key
   * @param cause what the task threw
   */
  public TaskFailedException(Key key, Throwable cause) {
    this(key, "", cause);
  }

  /**
   * Creates the exception with extra context, such as the worker it ran on.
   *
   * @param key the failed task's key
   * @param context words added to the message, may be empty
   * @param cause what the task threw
   */
  public TaskFailedException(Key key, String context, Throwable cause) {
    super("task " + key + " of '" + key.prefix() + "' failed" + context + ": " + cause,
        cause);
    this.key = key;
  }

  /** {@return the key of the task that failed} */
  public Key key() {
    return key;
  }
}
