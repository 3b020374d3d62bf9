package dev.tessera.idioms.views;

/**
 * A call failed on an engine, as ipyparallel's {@code RemoteError}: the message names the
 * engine, the cause is the function's exception (or, when it could not travel back from a
 * worker JVM, a {@code RemoteTaskException} with its class, message and stack trace). When
 * calls on several engines failed, the first by engine order is thrown and the others are
 * {@linkplain #getSuppressed() suppressed} in it (ipyparallel's {@code CompositeError}).
 */
public final class RemoteError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The engine the call failed on. */
  private final int engine;
  /** What is known about the failed call. */
  private final transient Metadata metadata;

  RemoteError(String message, int engine, Metadata metadata, Throwable cause) {
    super(message, cause);
    this.engine = engine;
    this.metadata = metadata;
  }

  /** {@return the id of the engine the call failed on, -1 if it never reached one} */
  public int engine() {
    return engine;
  }

  /** {@return what is known about the failed call: times, captured output} */
  public Metadata metadata() {
    return metadata;
  }
}
