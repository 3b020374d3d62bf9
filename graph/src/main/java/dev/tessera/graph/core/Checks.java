package dev.tessera.graph.core;

import java.util.Collection;
import java.util.Objects;

/**
 * Argument checks for the public operations of every module: a {@code null} argument, or a
 * {@code null} element of an array or collection argument, fails at once with a
 * {@link NullPointerException} naming the parameter (and the element), not later inside a
 * task.
 *
 * <pre>{@code
 * Checks.noNulls(columns, "columns");   // "columns[2] is null"
 * }</pre>
 */
public final class Checks {
  private Checks() {}

  /**
   * Returns {@code xs} if neither it nor any element is null.
   *
   * @param xs the array
   * @param name the parameter's name, for the message
   * @param <T> the element type
   * @return {@code xs}
   * @throws NullPointerException naming the parameter and the element
   */
  public static <T> T[] noNulls(T[] xs, String name) {
    Objects.requireNonNull(xs, name);
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] == null) {
        throw new NullPointerException(name + "[" + i + "] is null");
      }
    }
    return xs;
  }

  /**
   * Returns {@code xs} if neither it nor any element is null.
   *
   * @param xs the collection
   * @param name the parameter's name, for the message
   * @param <C> the collection type
   * @return {@code xs}
   * @throws NullPointerException naming the parameter and the element
   */
  public static <C extends Collection<?>> C noNulls(C xs, String name) {
    Objects.requireNonNull(xs, name);
    int i = 0;
    for (Object x : xs) {
      if (x == null) {
        throw new NullPointerException(name + "[" + i + "] is null");
      }
      i++;
    }
    return xs;
  }
}
