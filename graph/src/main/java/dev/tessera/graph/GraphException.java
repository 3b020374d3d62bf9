package dev.tessera.graph;

/**
 * An invalid graph or collection: a missing key, a cycle, shapes that do not fit. The message
 * names the keys involved and says what to fix. Thrown as early as possible, usually when the
 * graph is built or planned, before anything runs.
 */
public class GraphException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what to do about it
   */
  public GraphException(String message) {
    super(message);
  }
}
