package dev.tessera.graph.core;

/**
 * A value that says what identifies it for {@link Tokens}: implement this on values whose Java
 * serialization is large or not deterministic.
 */
public interface Tokenizable {
  /**
   * Returns what identifies this value: two values with equal tokens must be interchangeable
   * as task inputs. Any value {@link Tokens} understands.
   *
   * @return the identifying value
   */
  Object token();
}
