package dev.tessera.frame;

import dev.tessera.graph.Key;
import dev.tessera.graph.Layer;
import dev.tessera.graph.Task;
import dev.tessera.graph.TaskFunction;
import dev.tessera.graph.TaskGraph;
import dev.tessera.graph.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * Grouped aggregation as a tree reduction, like Dask's {@code apply_concat_apply}: one task
 * per partition reads it and computes a {@link Partial} (split by key hash into
 * {@code splitOut} pieces); for each piece, combine tasks merge up to {@code splitEvery}
 * partials at a time, in partition order, until one task merges the last ones and finishes the
 * result table. Only partials are ever kept, so the input streams through.
 */
final class Reduction {
  private Reduction() {}

  static Frame aggregate(Frame f, List<String> keys, List<Agg> aggs, int splitOut,
      int splitEvery) {
    Schema in = f.schema();
    in.require("groupby", keys);
    if (aggs.isEmpty()) {
      throw new dev.tessera.graph.GraphException("agg: give at least one aggregation");
    }
    Map<String, ColumnType> out = new LinkedHashMap<>();
    for (String k : keys) {
      out.put(k, in.type(k));
    }
    Set<String> needed = new LinkedHashSet<>(keys);
    for (Agg a : aggs) {
      ColumnType t = a.resultType(in);
      if (out.put(a.name(), t) != null) {
        throw new dev.tessera.graph.GraphException("agg: two result columns are named '"
            + a.name() + "'; rename one with as(...)");
      }
      if (a.column() != null) {
        needed.add(a.column());
      }
    }
    if (needed.isEmpty()) {
      needed.add(in.names().get(0)); // size() alone still needs the rows
    }
    Schema result = Schema.of(out);
    Frame.Stage st = f.stage("groupby-chunk", needed,
        new Chunk(List.copyOf(keys), List.copyOf(aggs), in, splitOut));
    String name = Tokens.name("groupby-agg", st.keys(), splitEvery);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> finals = new ArrayList<>();
    for (int piece = 0; piece < splitOut; piece++) {
      List<Key> level = st.keys();
      int depth = 0;
      while (level.size() > splitEvery) {
        List<Key> next = new ArrayList<>();
        for (int i = 0; i < level.size(); i += splitEvery) {
          Key k = Key.of(name + "-combine", piece, depth, next.size());
          List<Key> group = new ArrayList<>(level.subList(i, Math.min(level.size(),
              i + splitEvery)));
          tasks.put(k, Task.of(new Combine(piece, keys, aggs, in, false, null), group));
          next.add(k);
        }
        level = next;
        depth++;
      }
      Key k = Key.of(name, piece);
      tasks.put(k, Task.of(new Combine(piece, keys, aggs, in, true, result),
          new ArrayList<>(level)));
      finals.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "groupby-agg", tasks), st.graph());
    return Frame.fromKeys(g, finals, result, "groupby-agg", null, null, false);
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

  /** Merges partials in order; the last level also finishes the result table. */
  record Combine(int piece, List<String> keys, List<Agg> aggs, Schema schema, boolean last,
      Schema result) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Partial p = new Partial(keys, aggs, schema);
      for (Object o : (List<?>) args[0]) {
        p.merge(o instanceof Partial[] parts ? parts[piece] : (Partial) o);
      }
      if (!last) {
        return p;
      }
      Table t = p.finish(schema);
      result.check(t, "an aggregation result");
      return t;
    }
  }

  /** Distinct rows (first occurrence kept, in partition order) as a tree into one partition. */
  static Frame distinct(Frame f, List<String> subset, int splitEvery) {
    Schema in = f.schema();
    in.require("dropDuplicates", subset);
    List<String> by = subset.isEmpty() ? in.names() : subset;
    Frame.Stage st = f.stage("drop-duplicates-chunk", in.names(), new DistinctChunk(by));
    String name = Tokens.name("drop-duplicates", st.keys(), splitEvery);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> level = st.keys();
    int depth = 0;
    while (level.size() > splitEvery) {
      List<Key> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += splitEvery) {
        Key k = Key.of(name + "-combine", depth, next.size());
        tasks.put(k, Task.of(new DistinctCombine(by, in), new ArrayList<>(level.subList(i,
            Math.min(level.size(), i + splitEvery)))));
        next.add(k);
      }
      level = next;
      depth++;
    }
    Key k = Key.of(name, 0);
    tasks.put(k, Task.of(new DistinctCombine(by, in), new ArrayList<>(level)));
    TaskGraph g = TaskGraph.of(Layer.of(name, "drop-duplicates", tasks), st.graph());
    return Frame.fromKeys(g, List.of(k), in, "drop-duplicates", null, null, false);
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
