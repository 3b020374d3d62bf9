package dev.tessera.frame;

import dev.tessera.graph.core.Checks;
import java.util.List;
import java.util.Objects;

/**
 * A frame grouped by key columns, from {@link Frame#groupby(String...)}; {@link #agg} makes
 * the result. Rows whose key has a missing value are left out, like pandas.
 *
 * <pre>{@code
 * Frame r = f.groupby("name", "day").splitOut(4).agg(Agg.sum("x"), Agg.nunique("y"));
 * }</pre>
 *
 * <p>The result has the key columns, then one column per aggregation; each of its
 * {@link #splitOut(int)} partitions (1 by default) holds the groups whose key hashes to it,
 * sorted by key.
 */
public final class GroupBy {
  private final Frame frame;
  private final List<String> keys;
  private final int splitOut;
  private final int splitEvery;

  GroupBy(Frame frame, List<String> keys, int splitOut, int splitEvery) {
    frame.schema().require("groupby", keys);
    this.frame = frame;
    this.keys = List.copyOf(keys);
    this.splitOut = splitOut;
    this.splitEvery = splitEvery;
  }

  /**
   * Returns this grouping with the result spread over {@code n} partitions by key hash (for
   * many groups, like Dask's {@code split_out}).
   *
   * @param n the number of result partitions, at least 1
   * @return the grouping
   */
  public GroupBy splitOut(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("splitOut must be >= 1, got " + n);
    }
    return new GroupBy(frame, keys, n, splitEvery);
  }

  /**
   * Returns this grouping with another fan-in of the combine tree (default 8).
   *
   * @param n how many partials one combine task merges, at least 2
   * @return the grouping
   */
  public GroupBy splitEvery(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("splitEvery must be >= 2, got " + n);
    }
    return new GroupBy(frame, keys, splitOut, n);
  }

  /**
   * Returns the aggregated frame: the key columns, then one column per aggregation.
   *
   * @param aggs the aggregations
   * @return the frame
   * @throws dev.tessera.graph.GraphException if a column does not exist or has the wrong type
   */
  public Frame agg(Agg... aggs) {
    Checks.noNulls(aggs, "aggs");
    return Reduction.aggregate(frame, keys, List.of(aggs), splitOut, splitEvery);
  }
}
