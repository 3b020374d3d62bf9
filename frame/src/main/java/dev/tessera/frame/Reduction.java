package dev.tessera.frame;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TreeReduction;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * Grouped aggregation as a tree reduction ({@link TreeReduction}), like Dask's
 * {@code apply_concat_apply}: one task per partition reads it and computes a {@link Partial}
 * (split by key hash into {@code splitOut} pieces); for each piece, combine tasks merge up to
 * {@code splitEvery} partials at a time, in partition order, until one task merges the last
 * ones and finishes the result table. Only partials are ever kept, so the input streams
 * through.
 */
final class Reduction {
  private Reduction() {}

  static Frame aggregate(Frame f, List<String> keys, List<Agg> aggs, int splitOut,
      int splitEvery) {
    return aggregate(f, "groupby-agg", keys, aggs, splitOut, splitEvery);
  }

  static Frame aggregate(Frame f, String op, List<String> keys, List<Agg> aggs, int splitOut,
      int splitEvery) {
    Schema result = resultSchema(f.schema(), keys, aggs);
    TreeReduction.Tree t = tree(f, op, keys, aggs, splitOut, splitEvery, null);
    return Frame.fromKeys(t.graph(), t.results(), result, op, null, null, false);
  }

  /**
   * Returns {@code then} of the one-row aggregate of the whole frame, computed by the
   * aggregate task itself: a scalar reduction is its partitions' chunk tasks, combine levels
   * when there are more than {@code splitEvery} of them, and one aggregate task.
   */
  static <T> Delayed<T> scalar(Frame f, String op, List<Agg> aggs, int splitEvery,
      Fn1<Table, T> then) {
    TreeReduction.Tree t = tree(f, op, List.of(), aggs, 1, splitEvery, then);
    return Delayed.fromKey(t.results().get(0), t.graph());
  }

  private static Schema resultSchema(Schema in, List<String> keys, List<Agg> aggs) {
    in.require("groupby", keys);
    if (aggs.isEmpty()) {
      throw new dev.tessera.graph.GraphException("agg: give at least one aggregation");
    }
    Map<String, ColumnType> out = new LinkedHashMap<>();
    for (String k : keys) {
      out.put(k, in.type(k));
    }
    for (Agg a : aggs) {
      ColumnType t = a.resultType(in);
      if (out.put(a.name(), t) != null) {
        throw new dev.tessera.graph.GraphException("agg: two result columns are named '"
            + a.name() + "'; rename one with as(...)");
      }
    }
    return Schema.of(out);
  }

  private static TreeReduction.Tree tree(Frame f, String op, List<String> keys, List<Agg> aggs,
      int splitOut, int splitEvery, Fn1<Table, ?> then) {
    Schema result = resultSchema(f.schema(), keys, aggs);
    Set<String> needed = new LinkedHashSet<>(keys);
    for (Agg a : aggs) {
      if (a.column() != null) {
        needed.add(a.column());
      }
    }
    if (needed.isEmpty()) {
      needed.add(f.schema().names().get(0)); // size() alone still needs the rows
    }
    f = f.narrowed(needed); // a merge under it joins only these columns
    Schema in = f.schema();
    Frame.Stage st = f.stage(TreeReduction.chunkPrefix(op), needed,
        new Chunk(List.copyOf(keys), List.copyOf(aggs), in, splitOut));
    List<String> k = List.copyOf(keys);
    List<Agg> a = List.copyOf(aggs);
    return TreeReduction.build(st.graph(), st.keys(), op, then, splitEvery, splitOut,
        piece -> new Combine(piece, k, a, in, false, null, null),
        piece -> new Combine(piece, k, a, in, true, result, then));
  }

  /** A partition's partial aggregate, split into pieces by key hash when splitOut > 1. */
  record Chunk(List<String> keys, List<Agg> aggs, Schema schema, int splitOut)
      implements Source.Then {
    @Override
    public Object apply(Table t) {
      Partial p = new Partial(keys, aggs, schema);
      p.add(t);
      return splitOut == 1 ? p : p.split(splitOut, schema);
    }
  }

  /**
   * Merges partials in order; the last level also finishes the result table, and then applies
   * {@code then} when there is one (a scalar: the value of one cell).
   */
  record Combine(int piece, List<String> keys, List<Agg> aggs, Schema schema, boolean last,
      Schema result, Fn1<Table, ?> then) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Partial p = new Partial(keys, aggs, schema);
      for (Object o : (List<?>) args[0]) {
        p.merge(o instanceof Partial[] parts ? parts[piece] : (Partial) o);
      }
      if (!last) {
        return p;
      }
      Table t = p.finish(schema);
      result.check(t, "an aggregation result");
      return then == null ? t : then.apply(t);
    }
  }

  /** Distinct rows (first occurrence kept, in partition order) as a tree into one partition. */
  static Frame distinct(Frame f, List<String> subset, int splitEvery) {
    Schema in = f.schema();
    in.require("dropDuplicates", subset);
    List<String> by = subset.isEmpty() ? in.names() : subset;
    String op = "drop-duplicates";
    Frame.Stage st = f.stage(TreeReduction.chunkPrefix(op), in.names(), new DistinctChunk(by));
    TreeReduction.Tree t = TreeReduction.build(st.graph(), st.keys(), op, by, splitEvery, 1,
        piece -> new DistinctCombine(by, in), piece -> new DistinctCombine(by, in));
    return Frame.fromKeys(t.graph(), t.results(), in, op, null, null, false);
  }

  static Table distinctRows(Table t, List<String> by) {
    tech.tablesaw.columns.Column<?>[] cols = new tech.tablesaw.columns.Column<?>[by.size()];
    for (int j = 0; j < cols.length; j++) {
      cols[j] = t.column(by.get(j));
    }
    Set<List<Object>> seen = new java.util.HashSet<>();
    int[] keep = new int[t.rowCount()];
    int n = 0;
    for (int i = 0; i < t.rowCount(); i++) {
      Object[] key = new Object[cols.length];
      for (int j = 0; j < cols.length; j++) {
        key[j] = cols[j].isMissing(i) ? null : cols[j].get(i);
      }
      if (seen.add(java.util.Arrays.asList(key))) {
        keep[n++] = i;
      }
    }
    return n == t.rowCount() ? t : t.rows(java.util.Arrays.copyOf(keep, n));
  }

  /** A partition's distinct rows. */
  record DistinctChunk(List<String> by) implements Source.Then {
    @Override
    public Object apply(Table t) {
      return distinctRows(t, by);
    }
  }

  /** Concatenates partitions in order and keeps their distinct rows. */
  record DistinctCombine(List<String> by, Schema schema) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return distinctRows(Tables.concat((List<?>) args[0], schema), by);
    }
  }
}
