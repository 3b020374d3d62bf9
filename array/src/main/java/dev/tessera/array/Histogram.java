package dev.tessera.array;

/**
 * The result of {@link Array#histogram(int, double, double)}: the lazy counts per bin (int64,
 * or float64 sums of weights) and the bin edges, one more than the bins, like the pair NumPy's
 * {@code histogram} returns.
 *
 * @param counts the lazy 1-d counts
 * @param edges the bin edges (increasing; the last bin is closed)
 */
public record Histogram(Array counts, double[] edges) {
  /** Returns a copy of the edges. */
  @Override
  public double[] edges() {
    return edges.clone();
  }
}
