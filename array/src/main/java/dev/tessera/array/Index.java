package dev.tessera.array;

import java.io.Serializable;

/**
 * One entry of an index expression for {@link Array#get(Index...)}: a slice with an optional
 * start, stop and step (negative values count from the end; a negative step walks backwards),
 * or a single integer position, which removes the axis.
 *
 * <pre>{@code
 * x.get(Index.step(2), Index.slice(1000, 15000))   // x[::2, 1000:15000]
 * x.get(Index.at(-1))                              // x[-1]
 * x.get(Index.all(), Index.slice(null, null, -1))  // x[:, ::-1]
 * }</pre>
 */
public final class Index implements Serializable {
  private static final long serialVersionUID = 1L;
  final Long start;
  final Long stop;
  final long step;
  final boolean point;

  private Index(Long start, Long stop, long step, boolean point) {
    if (step == 0) {
      throw new ArrayException("slice step cannot be zero");
    }
    this.start = start;
    this.stop = stop;
    this.step = step;
    this.point = point;
  }

  /** {@return {@code :}, the whole axis} */
  public static Index all() {
    return new Index(null, null, 1, false);
  }

  /**
   * Returns {@code start:stop:step}; null start or stop mean the end in the step's direction.
   *
   * @param start the first position, or null
   * @param stop the bound, excluded, or null
   * @param step the step, non-zero
   * @return the index
   */
  public static Index slice(Long start, Long stop, long step) {
    return new Index(start, stop, step, false);
  }

  /**
   * Returns {@code start:stop}.
   *
   * @param start the first position
   * @param stop the bound, excluded
   * @return the index
   */
  public static Index slice(long start, long stop) {
    return new Index(start, stop, 1, false);
  }

  /**
   * Returns {@code ::step}.
   *
   * @param step the step, non-zero
   * @return the index
   */
  public static Index step(long step) {
    return new Index(null, null, step, false);
  }

  /**
   * Returns the single position {@code i} (negative counts from the end); the axis is removed.
   *
   * @param i the position
   * @return the index
   */
  public static Index at(long i) {
    return new Index(i, null, 1, true);
  }

  @Override
  public String toString() {
    if (point) {
      return String.valueOf(start);
    }
    return (start == null ? "" : start) + ":" + (stop == null ? "" : stop)
        + (step == 1 ? "" : ":" + step);
  }
}
