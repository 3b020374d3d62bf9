package dev.tessera.graph.core;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.GraphException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A one-dimensional tree reduction, chunk / combine / aggregate as in Dask's
 * {@code reduction} and {@code apply_concat_apply}: the caller makes one <b>chunk</b> task per
 * partition (its partial result); <b>combine</b> tasks merge groups of at most
 * {@code splitEvery} partials, in partition order, level by level, while more than
 * {@code splitEvery} are left; one <b>aggregate</b> task per piece merges the last group and
 * finishes the value. No task receives more than {@code splitEvery} partials, so a reduction
 * over many partitions never gathers them in one place, and a reduction over at most
 * {@code splitEvery} partitions is chunk tasks plus a single aggregate task.
 *
 * <p><b>Laws</b> (as for {@link java.util.stream.Collector}), which make every tree shape give
 * the sequential answer: {@code combine} is associative, {@code combine(p) == p} for a single
 * partial, and {@code aggregate(ps) == finish(combine(ps))} for some {@code finish}; partials
 * arrive in partition order, so {@code combine} need not be commutative. Both functions get
 * one argument, the list of partials.
 *
 * <p><b>Names</b>, the scheme every reduction follows (array reductions too): the chunk layer
 * is {@code op-chunk-<token>} ({@link #chunkPrefix}), combine levels
 * {@code op-combine-<token>}, and the result layer {@code op-<token>}, labelled {@code op},
 * the user's operation ({@code "sum"}), whatever passes later run. With {@code pieces > 1}
 * (a reduction split by key hash into several outputs) each piece is its own tree; the
 * combine functions then receive the whole partials and pick their piece.
 *
 * <pre>{@code
 * TreeReduction.Tree t = TreeReduction.build(chunkGraph, chunkKeys, "sum", token, 16, 1,
 *     piece -> new Merge(), piece -> new MergeAndFinish());
 * Delayed<Long> total = Delayed.fromKey(t.results().get(0), t.graph());
 * }</pre>
 */
public final class TreeReduction {
  private TreeReduction() {}

  /** The layers of a reduction, its result layer's name, and one result key per piece. */
  public record Tree(TaskGraph graph, String name, List<Key> results) {}

  /**
   * Returns the prefix of a reduction's chunk layer: {@code op + "-chunk"}.
   *
   * @param op the user's operation, such as {@code "sum"}
   * @return the prefix
   */
  public static String chunkPrefix(String op) {
    return op + "-chunk";
  }

  /**
   * Returns the prefix of a reduction's combine layers: {@code op + "-combine"}.
   *
   * @param op the user's operation
   * @return the prefix
   */
  public static String combinePrefix(String op) {
    return op + "-combine";
  }

  /**
   * Builds the combine and aggregate layers over the partials {@code parts}.
   *
   * @param chunks the graph that produces {@code parts}
   * @param parts the partial results' keys, in partition order; at least one
   * @param op the user's operation, the result layer's label and its names' prefix
   * @param token what identifies the reduction besides its parts (its function); the names
   *     also cover {@code parts}, {@code splitEvery} and {@code pieces}
   * @param splitEvery the most partials one task merges, at least 2
   * @param pieces the number of results, at least 1
   * @param combine the combine function of each piece
   * @param aggregate the aggregate function of each piece
   * @return the tree: result keys {@code (name, piece)}
   * @throws GraphException if {@code parts} is empty, {@code splitEvery < 2} or
   *     {@code pieces < 1}
   */
  public static Tree build(TaskGraph chunks, List<Key> parts, String op, Object token,
      int splitEvery, int pieces, IntFunction<? extends TaskFunction> combine,
      IntFunction<? extends TaskFunction> aggregate) {
    if (parts.isEmpty()) {
      throw new GraphException(op + ": a reduction needs at least one partition");
    }
    if (splitEvery < 2) {
      throw new GraphException(op + ": splitEvery must be at least 2, got " + splitEvery);
    }
    if (pieces < 1) {
      throw new GraphException(op + ": pieces must be at least 1, got " + pieces);
    }
    String name = Tokens.name(op, parts, token, splitEvery, pieces);
    String combineName = Tokens.name(combinePrefix(op), name);
    Map<Key, Task> combines = new LinkedHashMap<>();
    Map<Key, Task> results = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>(pieces);
    for (int piece = 0; piece < pieces; piece++) {
      TaskFunction comb = combine.apply(piece);
      List<Key> level = parts;
      for (int depth = 0; level.size() > splitEvery; depth++) {
        List<Key> next = new ArrayList<>();
        for (int i = 0; i < level.size(); i += splitEvery) {
          Key k = Key.of(combineName, piece, depth, next.size());
          combines.put(k, Task.of(comb, new ArrayList<Object>(level.subList(i,
              Math.min(level.size(), i + splitEvery)))));
          next.add(k);
        }
        level = next;
      }
      Key k = Key.of(name, piece);
      results.put(k, Task.of(aggregate.apply(piece), new ArrayList<Object>(level)));
      out.add(k);
    }
    TaskGraph g = chunks;
    if (!combines.isEmpty()) {
      g = TaskGraph.of(Layer.of(combineName, combinePrefix(op), combines), g);
    }
    g = TaskGraph.of(Layer.of(name, op, results), g);
    return new Tree(g, name, List.copyOf(out));
  }
}
