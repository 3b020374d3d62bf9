package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.Key;
import dev.tessera.graph.Layer;
import dev.tessera.graph.Task;
import dev.tessera.graph.TaskFunction;
import dev.tessera.graph.TaskGraph;
import dev.tessera.graph.Tokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Moving rows between partitions: splitting each partition into pieces (by key hash or by
 * value ranges) and gathering piece j of every partition into output partition j; sorting by
 * sampled quantiles; repartitioning. The shuffle is all-to-all in the graph (each gather task
 * needs every split task), which suits the local schedulers; each split result is freed as
 * soon as every gather has taken its piece.
 */
final class Shuffle {
  private Shuffle() {}

  /** Tasks that split each partition of {@code f} into {@code n} pieces by key hash. */
  static Frame.Stage hashSplit(Frame f, List<String> keys, int n) {
    return f.stage("shuffle-hash", f.schema().names(), new HashSplit(List.copyOf(keys), n));
  }

  static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  /** Splits a partition by key hash; rows with a missing key go to piece 0. */
  record HashSplit(List<String> keys, int n) implements Source.Then {
    @Override
    public Object apply(Table t) {
      Column<?>[] cols = Joins.cols(t, keys);
      int[] piece = new int[t.rowCount()];
      for (int i = 0; i < piece.length; i++) {
        Object k = Joins.key(cols, i);
        piece[i] = k == null ? 0 : Math.floorMod(spread(k.hashCode()), n);
      }
      return pieces(t, piece, n);
    }
  }

  /** Returns the rows of {@code t} grouped by piece number, keeping their order. */
  static Table[] pieces(Table t, int[] piece, int n) {
    int[] counts = new int[n];
    for (int p : piece) {
      counts[p]++;
    }
    int[][] rows = new int[n][];
    for (int j = 0; j < n; j++) {
      rows[j] = new int[counts[j]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < piece.length; i++) {
      rows[piece[i]][fill[piece[i]]++] = i;
    }
    Table[] out = new Table[n];
    Table empty = null; // shared by every empty piece: small partitions make many
    for (int j = 0; j < n; j++) {
      if (counts[j] == 0) {
        empty = empty == null ? t.emptyCopy() : empty;
        out[j] = empty;
      } else {
        out[j] = counts[j] == piece.length ? t : t.rows(rows[j]);
      }
    }
    return out;
  }

  /** Concatenates piece j of every split. */
  static Table gather(List<?> splits, int j, Schema schema) {
    List<Table> parts = new ArrayList<>(splits.size());
    for (Object o : splits) {
      parts.add(((Table[]) o)[j]);
    }
    return Tables.concat(parts, schema);
  }

  // ------------------------------------------------------------------------------- sorting

  /** Sorts by one column: quantile boundaries from a sample (computed now), then a range shuffle. */
  static Frame sort(Frame f, String column, boolean ascending, boolean setIndex) {
    f.schema().require(ascending ? "sortValues" : "sortValues (descending)", List.of(column));
    int n = f.npartitions();
    Frame.Stage samples = f.stage("sort-sample", List.of(column), new Sample(column, 64));
    List<Object> all = new Result<List<Object>>(samples.graph(), samples.keys(),
        parts -> parts).compute();
    List<Object> bounds = boundaries(all, n);
    List<Object> divisions = null;
    if (!bounds.isEmpty() || hasValues(all)) {
      Object[] mm = minMax(all);
      divisions = new ArrayList<>();
      divisions.add(mm[0]);
      divisions.addAll(bounds);
      divisions.add(mm[1]);
    }
    int pieces = bounds.size() + 1;
    Frame.Stage split = f.stage("shuffle-range", f.schema().names(),
        new RangeSplit(column, bounds, ascending));
    String name = Tokens.name(setIndex ? "set-index" : "sort-values", split.keys(), column,
        ascending);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    for (int j = 0; j < pieces; j++) {
      Key k = Key.of(name, j);
      tasks.put(k, Task.of(new GatherSort(j, column, ascending, f.schema()),
          new ArrayList<>(split.keys())));
      out.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, setIndex ? "set-index" : "sort-values", tasks),
        split.graph());
    boolean keep = ascending && divisions != null;
    return Frame.fromKeys(g, out, f.schema(), setIndex ? "set-index" : "sort-values",
        keep && setIndex ? divisions : null, keep && setIndex ? column : null, false);
  }

  private static boolean hasValues(List<Object> samples) {
    for (Object o : samples) {
      if (!((SampleResult) o).values().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object[] minMax(List<Object> samples) {
    Comparable min = null;
    Comparable max = null;
    for (Object o : samples) {
      List<Object> v = ((SampleResult) o).values();
      if (!v.isEmpty()) {
        Comparable a = (Comparable) v.get(0);
        Comparable b = (Comparable) v.get(v.size() - 1);
        min = min == null || a.compareTo(min) < 0 ? a : min;
        max = max == null || b.compareTo(max) > 0 ? b : max;
      }
    }
    return new Object[] {min, max};
  }

  /**
   * Returns up to {@code n - 1} increasing boundaries that cut the sampled values into about
   * equal parts: each partition's sample carries the weight of the rows it stands for.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Object> boundaries(List<Object> samples, int n) {
    List<Object[]> weighted = new ArrayList<>();
    double total = 0;
    for (Object o : samples) {
      SampleResult s = (SampleResult) o;
      if (s.values().isEmpty()) {
        continue;
      }
      double w = (double) s.count() / s.values().size();
      for (Object v : s.values()) {
        weighted.add(new Object[] {v, w});
        total += w;
      }
    }
    weighted.sort((a, b) -> ((Comparable) a[0]).compareTo(b[0]));
    List<Object> out = new ArrayList<>();
    double acc = 0;
    int next = 1;
    for (Object[] x : weighted) {
      acc += (double) x[1];
      while (next < n && acc >= total * next / n) {
        Object v = x[0];
        if (out.isEmpty() || ((Comparable) out.get(out.size() - 1)).compareTo(v) < 0) {
          out.add(v);
        }
        next++;
      }
    }
    // a boundary equal to the largest value would leave the last piece empty
    if (!out.isEmpty() && !weighted.isEmpty()
        && ((Comparable) out.get(out.size() - 1)).compareTo(weighted.get(weighted.size() - 1)[0])
        >= 0) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** A partition's sample: evenly spaced values of its sorted present values, and their count. */
  record SampleResult(List<Object> values, long count) implements java.io.Serializable {}

  record Sample(String column, int size) implements Source.Then {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object apply(Table t) {
      Column<?> c = t.column(column);
      List<Comparable> present = new ArrayList<>();
      for (int i = 0; i < c.size(); i++) {
        if (!c.isMissing(i)) {
          present.add((Comparable) c.get(i));
        }
      }
      Collections.sort(present);
      List<Object> out = new ArrayList<>();
      int m = present.size();
      if (m > 0) {
        int k = Math.min(size, m);
        for (int i = 0; i < k; i++) {
          out.add(present.get((int) ((long) i * (m - 1) / Math.max(1, k - 1))));
        }
      }
      return new SampleResult(out, m);
    }
  }

  /** Splits a partition by value ranges; missing values go to the last piece. */
  record RangeSplit(String column, List<Object> bounds, boolean ascending)
      implements Source.Then {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object apply(Table t) {
      Column<?> c = t.column(column);
      int n = bounds.size() + 1;
      int[] piece = new int[t.rowCount()];
      for (int i = 0; i < piece.length; i++) {
        if (c.isMissing(i)) {
          piece[i] = n - 1;
          continue;
        }
        Comparable v = (Comparable) c.get(i);
        int lo = 0;
        int hi = bounds.size();
        while (lo < hi) { // the number of bounds <= v
          int mid = (lo + hi) >>> 1;
          if (v.compareTo(bounds.get(mid)) >= 0) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        piece[i] = ascending ? lo : n - 1 - lo;
      }
      return pieces(t, piece, n);
    }
  }

  /** Gathers piece j and sorts it; missing values last. */
  record GatherSort(int piece, String column, boolean ascending, Schema schema)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table t = gather((List<?>) args[0], piece, schema);
      Column<?> c = t.column(column);
      int[] present = new int[t.rowCount()];
      int[] missing = new int[t.rowCount()];
      int np = 0;
      int nm = 0;
      for (int i = 0; i < t.rowCount(); i++) {
        if (c.isMissing(i)) {
          missing[nm++] = i;
        } else {
          present[np++] = i;
        }
      }
      Table p = Tables.rows(t, java.util.Arrays.copyOf(present, np));
      p = ascending ? p.sortAscendingOn(column) : p.sortDescendingOn(column);
      if (nm > 0) {
        p.append(t.rows(java.util.Arrays.copyOf(missing, nm)));
      }
      return p;
    }
  }

  // ------------------------------------------------------------------------- repartition

  static Frame repartition(Frame f, int n) {
    if (n < 1) {
      throw new GraphException("repartition: npartitions must be >= 1, got " + n);
    }
    int m = f.npartitions();
    List<Key> in = f.outputKeys();
    String name = Tokens.name("repartition", in, n);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    if (n <= m) {
      for (int j = 0; j < n; j++) {
        Key k = Key.of(name, j);
        int from = (int) ((long) m * j / n);
        int to = (int) ((long) m * (j + 1) / n);
        tasks.put(k, Task.of(new Joins.ConcatAll(f.schema()),
            new ArrayList<>(in.subList(from, to))));
        out.add(k);
      }
    } else {
      int j = 0;
      for (int i = 0; i < m; i++) {
        int k = n / m + (i < n % m ? 1 : 0);
        for (int p = 0; p < k; p++) {
          Key key = Key.of(name, j++);
          tasks.put(key, Task.of(new SlicePart(p, k), in.get(i)));
          out.add(key);
        }
      }
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "repartition", tasks), f.graph());
    return Frame.fromKeys(g, out, f.schema(), "repartition", null, null, false);
  }

  /** Piece p of k about equal row ranges of a partition. */
  record SlicePart(int p, int k) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      int n = t.rowCount();
      return t.inRange((int) ((long) n * p / k), (int) ((long) n * (p + 1) / k));
    }
  }
}
