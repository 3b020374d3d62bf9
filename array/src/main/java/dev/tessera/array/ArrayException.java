package dev.tessera.array;

import dev.tessera.graph.GraphException;

/**
 * Bad input to an array operation (shapes that do not broadcast, chunks that do not sum to the
 * shape, an axis or index out of range, incompatible types), thrown when the graph is built.
 */
public class ArrayException extends GraphException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong and how to fix it
   */
  public ArrayException(String message) {
    super(message);
  }
}
