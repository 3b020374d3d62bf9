package dev.tessera.graph.spi;

/**
 * Fails the calls of an engine whose worker died before they finished (see {@link Engines}):
 * what they did and the engine's namespace are lost.
 */
public final class EngineDiedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The engine's id. */
  private final int engine;

  /**
   * Creates the exception.
   *
   * @param engine the engine's id
   * @param message what happened, naming the engine and saying what the caller can do
   */
  public EngineDiedException(int engine, String message) {
    super(message);
    this.engine = engine;
  }

  /** {@return the id of the engine that died} */
  public int engine() {
    return engine;
  }
}
