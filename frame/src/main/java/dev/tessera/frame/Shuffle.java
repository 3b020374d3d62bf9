package dev.tessera.frame;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Moving rows between partitions: splitting each partition into pieces (by key hash or by
 * value ranges) and gathering piece j of every partition into output partition j; sorting by
 * sampled quantiles; repartitioning. Each split task cuts its partition one piece at a time
 * and keeps each piece in memory or spills it to disk ({@link Spill}, within
 * {@link ShuffleMemory#budget()}); one tiny task per (split, piece) hands piece j on, so a
 * split's result is dropped at once and each piece as soon as the task that gathers it has
 * run, which releases it (memory given back, file deleted).
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

  /**
   * Returns the rows of {@code t} grouped by piece number, keeping their order, as a list of
   * {@link ShufflePiece}s: each piece is cut, then kept or spilled, before the next is cut.
   */
  static List<Object> pieces(Table t, int[] piece, int n) {
    int[] counts = new int[n];
    for (int p : piece) {
      counts[p]++;
    }
    int[] start = new int[n + 1];
    for (int j = 0; j < n; j++) {
      start[j + 1] = start[j] + counts[j];
    }
    int[] order = new int[piece.length]; // row numbers, piece by piece
    int[] fill = start.clone();
    for (int i = 0; i < piece.length; i++) {
      order[fill[piece[i]]++] = i;
    }
    List<Object> out = new ArrayList<>(n);
    Spill.Batch batch = new Spill.Batch();
    Table empty = null; // shared by every empty piece: small partitions make many
    for (int j = 0; j < n; j++) {
      Table p;
      if (counts[j] == 0) {
        empty = empty == null ? t.emptyCopy() : empty;
        p = empty;
      } else {
        p = counts[j] == piece.length ? t
            : Tables.take(t, java.util.Arrays.copyOfRange(order, start[j], start[j + 1]));
      }
      out.add(batch.keep(p));
    }
    batch.finish();
    return out;
  }

  /**
   * Adds one task per (split i, piece j) that hands piece j on; returns, per piece j, the keys
   * of piece j of every split, in split order.
   */
  static Picked pick(Frame.Stage split, int n) {
    return pick(split, -1, n);
  }

  /**
   * Like {@link #pick(Frame.Stage, int)} for splits whose results are lists of splits (a
   * {@link SharedRead#fused} stage): the pieces of the split at position {@code side}.
   */
  static Picked pick(Frame.Stage split, int side, int n) {
    String name = Tokens.name("shuffle-piece", split.keys(), side, n);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<List<Key>> byPiece = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      byPiece.add(new ArrayList<>());
    }
    for (int i = 0; i < split.keys().size(); i++) {
      for (int j = 0; j < n; j++) {
        Key k = Key.of(name, i, j);
        tasks.put(k, Task.of(side < 0 ? new Pick(j) : new PickOf(side, j),
            split.keys().get(i)));
        byPiece.get(j).add(k);
      }
    }
    return new Picked(TaskGraph.of(Layer.of(name, "shuffle-piece", tasks), split.graph()),
        byPiece);
  }

  /** The piece tasks of a shuffle and their graph. */
  record Picked(TaskGraph graph, List<List<Key>> byPiece) {}

  /** Piece j of a split's list of pieces. */
  record Pick(int j) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return ((List<?>) args[0]).get(j);
    }
  }

  /** Piece j of the split at position {@code side} of a list of splits. */
  record PickOf(int side, int j) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return ((List<?>) ((List<?>) args[0]).get(side)).get(j);
    }
  }

  /** Concatenates pieces (reading spilled ones back, in order). */
  static Table gather(List<?> pieces, Schema schema) {
    List<Table> parts = new ArrayList<>(pieces.size());
    for (Object o : pieces) {
      parts.add(((ShufflePiece) o).table());
    }
    return Tables.concat(parts, schema);
  }

  /** Releases gathered pieces: called once the gathering task has its result. */
  static void release(List<?> pieces) {
    for (Object o : pieces) {
      ((ShufflePiece) o).release();
    }
  }

  // ------------------------------------------------------------------------------- sorting

  /** How many values each partition's sample keeps at most (sorted: the sample only). */
  static final int SAMPLE = 1024;

  /**
   * Sorts by one column: each partition samples the column, one task turns the samples into
   * boundaries, each partition is cut by range with them, and piece j of every partition is
   * gathered and sorted. All of it is in the graph, run by the computation's scheduler; the
   * divisions of {@code setIndex} are that task's result, computed when first asked for.
   */
  static Frame sort(Frame f, String column, boolean ascending, boolean setIndex) {
    f.schema().require(ascending ? "sortValues" : "sortValues (descending)", List.of(column));
    int n = f.npartitions();
    // every value once: the count, smallest and largest value of each partition (divisions)
    Frame.Stage samples = f.stage("sort-sample", List.of(column), new Sample(column, SAMPLE));
    // the boundaries need only a random sample: from a CSV read, drawn lines (RowSample)
    Frame.Stage drawn = RowSample.stage(f, column, SAMPLE);
    Frame.Stage forBounds = drawn != null ? drawn : samples;
    String cutName = Tokens.name("sort-bounds", forBounds.keys(), n);
    Key cutKey = Key.of(cutName, 0);
    TaskGraph cuts = TaskGraph.of(Layer.of(cutName, "sort-bounds",
        Map.of(cutKey, Task.of(new Bounds(n), new ArrayList<>(forBounds.keys())))),
        forBounds.graph());
    Frame.Stage split = f.stage("shuffle-range", f.schema().names(),
        new RangeSplit(column, n, ascending), cutKey, cuts);
    Picked picked = pick(split, n);
    String label = setIndex ? "set-index" : "sort-values";
    String name = Tokens.name(label, split.keys(), column, ascending);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      Key k = Key.of(name, j);
      tasks.put(k, Task.of(new GatherSort(column, ascending, f.schema()),
          new ArrayList<>(picked.byPiece().get(j))));
      out.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, label, tasks), picked.graph());
    if (!(setIndex && ascending)) {
      return Frame.fromKeys(g, out, f.schema(), label, (List<Object>) null, null, false);
    }
    String divName = Tokens.name("divisions", cutKey);
    Key divKey = Key.of(divName, 0);
    TaskGraph dg = drawn == null
        ? TaskGraph.of(Layer.of(divName, "divisions",
            Map.of(divKey, Task.of(new DivisionsOf(), cutKey))), cuts)
        : TaskGraph.of(Layer.of(divName, "divisions", Map.of(divKey, Task.of(
            new DivisionsWith(n), cutKey, new ArrayList<>(samples.keys())))),
            TaskGraph.merge(cuts, samples.graph()));
    return Frame.fromKeysDivided(g, out, f.schema(), label,
        Divisions.lazy(Delayed.fromKey(divKey, dg)), column, false);
  }

  /** The boundaries of a range shuffle, and the divisions they give (null: no values). */
  record Cuts(List<Object> bounds, List<Object> divisions) implements java.io.Serializable {}

  /** Turns the samples into {@code n - 1} or fewer boundaries and {@code n + 1} divisions. */
  record Bounds(int n) implements TaskFunction {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      List<Object> all = (List<Object>) args[0];
      return cuts(boundaries(all, n), all, n);
    }
  }

  /**
   * The divisions of a sort whose boundaries came from drawn rows: those boundaries, between
   * the smallest and largest value of the partitions' full passes ({@link Sample}).
   */
  record DivisionsWith(int n) implements TaskFunction {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      return cuts(((Cuts) args[0]).bounds(), (List<Object>) args[1], n).divisions();
    }
  }

  /** The cuts of these boundaries, with divisions from the samples' smallest and largest. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Cuts cuts(List<Object> bounds, List<Object> all, int n) {
    Comparable min = null;
    Comparable max = null;
    for (Object o : all) {
      SampleResult s = (SampleResult) o;
      if (s.min() != null) {
        min = min == null || s.min().compareTo(min) < 0 ? s.min() : min;
        max = max == null || s.max().compareTo(max) > 0 ? s.max() : max;
      }
    }
    if (min == null) {
      return new Cuts(List.of(), null);
    }
    List<Object> divisions = new ArrayList<>();
    for (int i = 0; i < n - bounds.size(); i++) {
      divisions.add(min); // fewer boundaries than n - 1: the first partitions are empty
    }
    divisions.addAll(bounds);
    divisions.add(max);
    return new Cuts(bounds, divisions);
  }

  /** The divisions of a {@link Cuts}. */
  record DivisionsOf() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return ((Cuts) args[0]).divisions();
    }
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

  /**
   * A partition's sample: up to {@link #SAMPLE} of its present values, sorted, chosen at
   * random (all of them when there are fewer); their count; the smallest and largest value.
   */
  @SuppressWarnings("rawtypes")
  record SampleResult(List<Object> values, long count, Comparable min, Comparable max)
      implements java.io.Serializable {}

  /**
   * Samples a partition without sorting it: one pass counts the present values and finds the
   * smallest and largest, then {@code size} rows drawn at random (a fixed seed, so a rerun
   * gives the same sample) are sorted.
   */
  record Sample(String column, int size) implements Source.Then {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object apply(Table t) {
      Column<?> c = t.column(column);
      int rows = c.size();
      int[] present = new int[rows];
      int m = 0;
      Comparable min = null;
      Comparable max = null;
      if (c instanceof DoubleColumn d) { // unboxed: the usual sort key
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < rows; i++) {
          double v = d.getDouble(i);
          if (!d.isMissing(i)) {
            lo = m == 0 || Double.compare(v, lo) < 0 ? v : lo;
            hi = m == 0 || Double.compare(v, hi) > 0 ? v : hi;
            present[m++] = i;
          }
        }
        min = m == 0 ? null : (Double) lo;
        max = m == 0 ? null : (Double) hi;
      } else {
        for (int i = 0; i < rows; i++) {
          if (!c.isMissing(i)) {
            present[m++] = i;
            Comparable v = (Comparable) c.get(i);
            min = min == null || v.compareTo(min) < 0 ? v : min;
            max = max == null || v.compareTo(max) > 0 ? v : max;
          }
        }
      }
      List<Comparable> picked = new ArrayList<>(Math.min(m, size));
      if (m <= size) {
        for (int i = 0; i < m; i++) {
          picked.add((Comparable) c.get(present[i]));
        }
      } else {
        java.util.SplittableRandom r = new java.util.SplittableRandom(m * 31L + rows);
        for (int i = 0; i < size; i++) { // with replacement: unbiased, and size << m
          picked.add((Comparable) c.get(present[r.nextInt(m)]));
        }
      }
      Collections.sort(picked);
      return new SampleResult(new ArrayList<>(picked), m, min, max);
    }
  }

  /**
   * Splits a partition by value ranges into {@code n} pieces with the boundaries of its second
   * input; missing values go to the last piece. With fewer than {@code n - 1} boundaries the
   * first pieces stay empty (the divisions say so).
   */
  record RangeSplit(String column, int n, boolean ascending) implements Source.With {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object apply(Table t, Object input) {
      List<Object> bounds = ((Cuts) input).bounds();
      int offset = n - 1 - bounds.size();
      Column<?> c = t.column(column);
      int[] piece = new int[t.rowCount()];
      double[] numeric = numeric(c, bounds);
      for (int i = 0; i < piece.length; i++) {
        if (c.isMissing(i)) {
          piece[i] = n - 1;
          continue;
        }
        if (numeric != null) {
          int lo = below(numeric, ((NumericColumn<?>) c).getDouble(i));
          piece[i] = ascending ? offset + lo : n - 1 - offset - lo;
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
        piece[i] = ascending ? offset + lo : n - 1 - offset - lo;
      }
      return pieces(t, piece, n);
    }

    /**
     * The boundaries as doubles when comparing doubles gives the same order as comparing the
     * values (a DOUBLE column, or whole numbers that doubles hold exactly), else null: then each
     * row is boxed and compared as an object.
     */
    private static double[] numeric(Column<?> c, List<Object> bounds) {
      boolean doubles = c instanceof DoubleColumn;
      if (!doubles && !(c instanceof IntColumn)) {
        return null; // a LONG beyond 2^53 would round: compared as objects
      }
      double[] b = new double[bounds.size()];
      for (int i = 0; i < b.length; i++) {
        Object o = bounds.get(i);
        if (doubles ? !(o instanceof Double) : !(o instanceof Integer)) {
          return null;
        }
        b[i] = ((Number) o).doubleValue();
      }
      return b;
    }

    /** The number of boundaries at most v, in Double.compare's order (as Double.compareTo). */
    private static int below(double[] bounds, double v) {
      int lo = 0;
      int hi = bounds.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (Double.compare(v, bounds[mid]) >= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }

  /** Gathers the pieces of one output partition and sorts them; missing values last. */
  record GatherSort(String column, boolean ascending, Schema schema) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> in = (List<?>) args[0];
      Table t = gather(in, schema);
      Column<?> c = t.column(column);
      int rows = t.rowCount();
      int nm = c.countMissing();
      // null: every row, the usual case, which spares two arrays of the partition's length
      int[] present = null;
      int[] missing = null;
      if (nm > 0) {
        present = new int[rows - nm];
        missing = new int[nm];
        int np = 0;
        int m = 0;
        for (int i = 0; i < rows; i++) {
          if (c.isMissing(i)) {
            missing[m++] = i;
          } else {
            present[np++] = i;
          }
        }
      }
      int[] order = sortIndirect(c, present, rows - nm, ascending);
      Table p;
      if (order != null) {
        if (nm > 0) {
          order = java.util.Arrays.copyOf(order, rows);
          System.arraycopy(missing, 0, order, rows - nm, nm);
        }
        p = Tables.rows(t, order);
      } else { // Tablesaw's sort returns a new table: t, maybe a piece itself, stays as it was
        p = present == null ? t : Tables.rows(t, present);
        p = ascending ? p.sortAscendingOn(column) : p.sortDescendingOn(column);
        if (nm > 0) {
          p.append(Tables.rows(t, missing));
        }
      }
      release(in);
      return p;
    }
  }

  /**
   * Returns the row numbers {@code rows} (of present values; null for all of the column's
   * first {@code n} rows) sorted by a numeric or date column with a stable radix sort on the
   * primitive values ({@link RadixSort} for doubles and longs, fastutil's for ints and dates),
   * without comparators or boxing; null for other column types.
   */
  static int[] sortIndirect(Column<?> c, int[] rows, int n, boolean ascending) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    if (c instanceof tech.tablesaw.api.DoubleColumn d) {
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = RadixSort.key(d.getDouble(rows == null ? i : rows[i]));
      }
      RadixSort.sort(v, perm);
    } else if (c instanceof tech.tablesaw.api.LongColumn l) {
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = RadixSort.key(l.getLong(rows == null ? i : rows[i]));
      }
      RadixSort.sort(v, perm);
    } else if (c instanceof tech.tablesaw.api.IntColumn ic) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = ic.getInt(rows == null ? i : rows[i]);
      }
      it.unimi.dsi.fastutil.ints.IntArrays.radixSortIndirect(perm, v, true);
    } else if (c instanceof tech.tablesaw.api.DateColumn dc) {
      int[] v = new int[n]; // packed dates compare as their ints
      for (int i = 0; i < n; i++) {
        v[i] = dc.getIntInternal(rows == null ? i : rows[i]);
      }
      it.unimi.dsi.fastutil.ints.IntArrays.radixSortIndirect(perm, v, true);
    } else {
      return null;
    }
    if (rows != null) { // positions among rows to row numbers, in place
      for (int i = 0; i < n; i++) {
        perm[i] = rows[perm[i]];
      }
    }
    if (!ascending) { // reversed: ties in reverse order, as before
      for (int i = 0, j = n - 1; i < j; i++, j--) {
        int x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
      }
    }
    return perm;
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
