package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.dates.DateColumnType;
import tech.tablesaw.columns.numbers.IntColumnType;
import tech.tablesaw.columns.numbers.LongColumnType;

/**
 * Joins of two frames: a broadcast join (every partition of the big side joined with the whole
 * small side) when the small side has at most {@code broadcastMax} partitions and the join
 * type allows it, and otherwise a hash-partitioned shuffle (both sides split by key hash, then
 * piece i of the left joined with piece i of the right). The local join is a hash join on the
 * right side. Rows with a missing key never match (they are kept by outer joins).
 */
final class Joins {
  private Joins() {}

  static Frame merge(Frame left, Frame right, JoinType how, List<String> on, int broadcastMax) {
    if (on.isEmpty()) {
      throw new GraphException("merge: give at least one key column");
    }
    Schema ls = left.schema();
    Schema rs = right.schema();
    for (String k : on) {
      if (!ls.has(k)) {
        throw new GraphException("merge: no column '" + k + "' in the left frame; its columns"
            + " are " + ls.names());
      }
      if (!rs.has(k)) {
        throw new GraphException("merge: no column '" + k + "' in the right frame; its columns"
            + " are " + rs.names());
      }
      if (ls.type(k) != rs.type(k)) {
        throw new GraphException("merge on '" + k + "': the key is " + ls.type(k).name()
            + " on the left but " + rs.type(k).name() + " on the right; convert one side"
            + " first (for example with assign or CsvOptions.type)");
      }
    }
    Spec spec = spec(ls, rs, on, how);
    Frame l0 = left; // the sides as given (a shared read below rewrites them)
    Frame r0 = right;
    Frame.Narrowing narrowing = keep -> narrow(l0, r0, how, on, broadcastMax, spec, keep);
    boolean rightSmall = right.npartitions() <= broadcastMax
        && (how == JoinType.INNER || how == JoinType.LEFT);
    boolean leftSmall = left.npartitions() <= broadcastMax
        && (how == JoinType.INNER || how == JoinType.RIGHT);
    String name = Tokens.name("merge", left.outputKeys(), right.outputKeys(), how, on);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    TaskGraph deps = TaskGraph.merge(left.graph(), right.graph());
    if (rightSmall || leftSmall) {
      List<Frame> shared = SharedRead.share(List.of(left, right)); // one read of a common file
      left = shared.get(0);
      right = shared.get(1);
      deps = TaskGraph.merge(left.graph(), right.graph());
      Frame small = rightSmall ? right : left;
      Frame big = rightSmall ? left : right;
      Key whole = Key.of(name + "-broadcast");
      tasks.put(whole, Task.of(new ConcatAll(small.schema()),
          new ArrayList<>(small.outputKeys())));
      for (int i = 0; i < big.npartitions(); i++) {
        Key k = Key.of(name, i);
        Key part = big.outputKeys().get(i);
        tasks.put(k, rightSmall ? Task.of(new LocalJoin(spec), part, whole)
            : Task.of(new LocalJoin(spec), whole, part));
        out.add(k);
      }
    } else {
      int n = Math.max(left.npartitions(), right.npartitions());
      Source.Then cut = new Shuffle.HashSplit(List.copyOf(on), n);
      Frame.Stage both = SharedRead.fused("shuffle-hash-both", List.of(left, right),
          List.of(cut, cut)); // one read of a common file cuts both sides
      Shuffle.Picked l = both != null ? Shuffle.pick(both, 0, n)
          : Shuffle.pick(Shuffle.hashSplit(left, on, n), n);
      Shuffle.Picked r = both != null ? Shuffle.pick(both, 1, n)
          : Shuffle.pick(Shuffle.hashSplit(right, on, n), n);
      deps = TaskGraph.merge(l.graph(), r.graph());
      for (int j = 0; j < n; j++) {
        Key k = Key.of(name, j);
        tasks.put(k, Task.of(new ShuffleJoin(spec), new ArrayList<>(l.byPiece().get(j)),
            new ArrayList<>(r.byPiece().get(j))));
        out.add(k);
      }
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "merge", tasks), deps);
    return Frame.fromKeys(g, out, spec.out, "merge", null, null, false)
        .withNarrowing(narrowing);
  }

  /**
   * The merge of {@code left} and {@code right} with only the result columns {@code keep}:
   * each side keeps the keys and the columns of {@code keep} it gives, so it reads, shuffles
   * and joins no others. A column that both sides have (suffixed {@code _x} and {@code _y})
   * stays on both when either is kept, so the names do not change. The rows, and so their
   * partitions and order, depend on the keys alone.
   */
  static Frame narrow(Frame left, Frame right, JoinType how, List<String> on, int broadcastMax,
      Spec spec, List<String> keep) {
    java.util.Set<String> fromLeft = new java.util.HashSet<>(on);
    java.util.Set<String> fromRight = new java.util.HashSet<>(on);
    List<String> ln = spec.left().names();
    for (int i = 0; i < ln.size(); i++) {
      if (keep.contains(spec.leftOut().get(i))) {
        fromLeft.add(ln.get(i));
      }
    }
    for (int i = 0; i < spec.rightIn().size(); i++) {
      if (keep.contains(spec.rightOut().get(i))) {
        fromRight.add(spec.rightIn().get(i));
      }
    }
    for (String c : ln) { // a shared name: both or neither, so the suffixes stay
      if (!on.contains(c) && spec.right().has(c)
          && (fromLeft.contains(c) || fromRight.contains(c))) {
        fromLeft.add(c);
        fromRight.add(c);
      }
    }
    Frame m = merge(left.project(fromLeft), right.project(fromRight), how, on, broadcastMax);
    return m.schema().names().equals(keep) ? m : m.select(keep.toArray(new String[0]));
  }

  /** Which columns come from where: key columns, then the other left and right columns. */
  record Spec(Schema left, Schema right, List<String> on, JoinType how, Schema out,
      List<String> leftOut, List<String> rightIn, List<String> rightOut)
      implements java.io.Serializable {}

  static Spec spec(Schema ls, Schema rs, List<String> on, JoinType how) {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    List<String> leftOut = new ArrayList<>();
    List<String> rightIn = new ArrayList<>();
    List<String> rightOut = new ArrayList<>();
    for (String c : ls.names()) {
      String n = !on.contains(c) && rs.has(c) ? c + "_x" : c;
      leftOut.add(n);
      out.put(n, ls.type(c));
    }
    for (String c : rs.names()) {
      if (on.contains(c)) {
        continue;
      }
      String n = ls.has(c) ? c + "_y" : c;
      if (out.containsKey(n)) {
        throw new GraphException("merge: the result would have two columns named '" + n
            + "'; rename a column first");
      }
      rightIn.add(c);
      rightOut.add(n);
      out.put(n, rs.type(c));
    }
    return new Spec(ls, rs, List.copyOf(on), how, Schema.of(out), leftOut, rightIn, rightOut);
  }

  /**
   * Hash join of two tables; left rows in order, then unmatched right rows. The right rows of
   * each key form a chain ({@code head} of the key, then {@code next} of each row), found
   * through a primitive map for a single LONG or INTEGER key and a hash map of boxed keys
   * otherwise.
   */
  static Table join(Table l, Table r, Spec s) {
    Column<?>[] rk = cols(r, s.on);
    Column<?>[] lk = cols(l, s.on);
    int[] next = new int[r.rowCount()];
    boolean whole = rk.length == 1 && isWhole(rk[0]) && isWhole(lk[0]);
    Lookup find = whole ? sortedLookup(rk[0], lk[0], next) : null;
    if (find == null) {
      find = whole ? wholeLookup(rk[0], lk[0], next) : objectLookup(rk, lk, next);
    }
    boolean keepLeft = s.how == JoinType.LEFT || s.how == JoinType.OUTER;
    boolean keepRight = s.how == JoinType.RIGHT || s.how == JoinType.OUTER;
    boolean[] matched = new boolean[r.rowCount()];
    int[] li = new int[Math.max(16, l.rowCount())];
    int[] ri = new int[li.length];
    int n = 0;
    for (int i = 0; i < l.rowCount(); i++) {
      int j = find.first(i);
      if (j < 0) {
        if (keepLeft) {
          if (n == li.length) {
            li = Arrays.copyOf(li, n * 2);
            ri = Arrays.copyOf(ri, n * 2);
          }
          li[n] = i;
          ri[n++] = -1;
        }
        continue;
      }
      for (; j >= 0; j = next[j]) {
        if (n == li.length) {
          li = Arrays.copyOf(li, n * 2);
          ri = Arrays.copyOf(ri, n * 2);
        }
        li[n] = i;
        ri[n++] = j;
        matched[j] = true;
      }
    }
    if (keepRight) {
      for (int j = 0; j < r.rowCount(); j++) {
        if (!matched[j]) {
          if (n == li.length) {
            li = Arrays.copyOf(li, n * 2 + 1);
            ri = Arrays.copyOf(ri, n * 2 + 1);
          }
          li[n] = -1;
          ri[n++] = j;
        }
      }
    }
    Table out = Table.create("merge");
    List<String> ln = s.left.names();
    for (int c = 0; c < ln.size(); c++) {
      Column<?> src = l.column(ln.get(c));
      Column<?> alt = s.on.contains(ln.get(c)) ? r.column(ln.get(c)) : null;
      out.addColumns(take(src, alt, li, ri, n, s.leftOut.get(c)));
    }
    for (int c = 0; c < s.rightIn.size(); c++) {
      out.addColumns(take(r.column(s.rightIn.get(c)), null, ri, null, n, s.rightOut.get(c)));
    }
    return out;
  }

  /** The first right row whose key equals left row i's, or -1. */
  private interface Lookup {
    int first(int leftRow);
  }

  private static boolean isWhole(Column<?> c) {
    return c instanceof LongColumn || c instanceof IntColumn;
  }

  private static long whole(Column<?> c, int row) {
    return c instanceof LongColumn lc ? lc.getLong(row) : ((IntColumn) c).getInt(row);
  }

  /**
   * When both sides' LONG or INTEGER keys are present and in ascending order (rows read in
   * key order, a sorted frame, and the pieces a hash split cuts from them), a merge join: one
   * pointer walks the right rows as the left rows are asked for in order, so there is no
   * hash table, whose random probes miss the cache once it outgrows it (in W11, 12% of the
   * time went to them). It finds the same rows in the same order as the hash lookup. Null
   * when a side is out of order or has a missing key.
   */
  private static Lookup sortedLookup(Column<?> right, Column<?> left, int[] next) {
    if (!ascending(right) || !ascending(left)) {
      return null;
    }
    int m = right.size();
    for (int j = 0; j < m; j++) { // runs of equal keys, chained in row order
      next[j] = j + 1 < m && whole(right, j + 1) == whole(right, j) ? j + 1 : -1;
    }
    return new Lookup() {
      int at; // the first right row whose key is not below the last left key asked for

      @Override
      public int first(int leftRow) {
        long k = whole(left, leftRow);
        while (at < m && whole(right, at) < k) {
          at++;
        }
        return at < m && whole(right, at) == k ? at : -1;
      }
    };
  }

  /** Whether a LONG or INTEGER column has no missing value and never decreases. */
  private static boolean ascending(Column<?> c) {
    if (c instanceof LongColumn lc) {
      long prev = Long.MIN_VALUE; // the missing value: a first row equal to it fails below
      for (int i = 0; i < lc.size(); i++) {
        long v = lc.getLong(i);
        if (v <= prev && (v != prev || v == Long.MIN_VALUE)) {
          return false;
        }
        prev = v;
      }
      return true;
    }
    IntColumn ic = (IntColumn) c;
    long prev = Long.MIN_VALUE;
    for (int i = 0; i < ic.size(); i++) {
      int v = ic.getInt(i);
      if (v < prev || v == Integer.MIN_VALUE) {
        return false;
      }
      prev = v;
    }
    return true;
  }

  /** Chains the right rows by a LONG or INTEGER key in a primitive map: no boxing. */
  private static Lookup wholeLookup(Column<?> right, Column<?> left, int[] next) {
    it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap head =
        new it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap(Math.max(16, right.size()));
    head.defaultReturnValue(-1);
    for (int j = right.size() - 1; j >= 0; j--) { // backwards: each chain in row order
      if (right.isMissing(j)) {
        next[j] = -1;
        continue;
      }
      next[j] = head.put(whole(right, j), j);
    }
    return i -> left.isMissing(i) ? -1 : head.get(whole(left, i));
  }

  /** Chains the right rows by boxed keys (a value, or a list of values). */
  private static Lookup objectLookup(Column<?>[] rk, Column<?>[] lk, int[] next) {
    Map<Object, Integer> head = new HashMap<>();
    for (int j = next.length - 1; j >= 0; j--) {
      Object key = key(rk, j);
      Integer prev = key == null ? null : head.put(key, j);
      next[j] = prev == null ? -1 : prev;
    }
    return i -> {
      Object key = key(lk, i);
      Integer j = key == null ? null : head.get(key);
      return j == null ? -1 : j;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Column<?> take(Column<?> src, Column<?> alt, int[] idx, int[] altIdx, int n,
      String name) {
    if (alt == null && src instanceof StringColumn sc) {
      StringColumn coded = StringCodes.take(sc, idx, n, name); // a missing index: missing
      if (coded != null) {
        return coded;
      }
    }
    if (alt == null || alt.getClass() == src.getClass()) {
      Column<?> fast = takeFast(src, alt, idx, altIdx, n, name);
      if (fast != null) {
        return fast;
      }
    }
    Column c = src.emptyCopy();
    for (int i = 0; i < n; i++) {
      if (idx[i] >= 0) {
        c.append(src, idx[i]);
      } else if (alt != null && altIdx[i] >= 0) {
        c.append(alt, altIdx[i]); // an unmatched right row's key goes in the key column
      } else {
        c.appendMissing();
      }
    }
    c.setName(name);
    return c;
  }

  /**
   * {@link #take} for DOUBLE, LONG, INTEGER and LOCAL_DATE columns, on primitive arrays (a
   * missing value is the column type's own sentinel); null for other columns.
   */
  private static Column<?> takeFast(Column<?> src, Column<?> alt, int[] idx, int[] altIdx,
      int n, String name) {
    if (src instanceof DoubleColumn d) {
      DoubleColumn a = (DoubleColumn) alt;
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = idx[i] >= 0 ? d.getDouble(idx[i])
            : a != null && altIdx[i] >= 0 ? a.getDouble(altIdx[i]) : Double.NaN;
      }
      return Wrap.doubles(name, v);
    } else if (src instanceof LongColumn c) {
      LongColumn a = (LongColumn) alt;
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = idx[i] >= 0 ? c.getLong(idx[i])
            : a != null && altIdx[i] >= 0 ? a.getLong(altIdx[i])
            : LongColumnType.missingValueIndicator();
      }
      return Wrap.longs(name, v);
    } else if (src instanceof IntColumn c) {
      IntColumn a = (IntColumn) alt;
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = idx[i] >= 0 ? c.getInt(idx[i])
            : a != null && altIdx[i] >= 0 ? a.getInt(altIdx[i])
            : IntColumnType.missingValueIndicator();
      }
      return Wrap.ints(name, v);
    } else if (src instanceof DateColumn c) {
      DateColumn a = (DateColumn) alt;
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = idx[i] >= 0 ? c.getIntInternal(idx[i])
            : a != null && altIdx[i] >= 0 ? a.getIntInternal(altIdx[i])
            : DateColumnType.missingValueIndicator();
      }
      return DateColumn.createInternal(name, v);
    }
    return null;
  }

  static Column<?>[] cols(Table t, List<String> names) {
    Column<?>[] out = new Column<?>[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.column(names.get(i));
    }
    return out;
  }

  /** The key of a row: the value, or a list of values; null when any is missing. */
  static Object key(Column<?>[] cols, int row) {
    if (cols.length == 1) {
      return cols[0].isMissing(row) ? null : cols[0].get(row);
    }
    Object[] k = new Object[cols.length];
    for (int j = 0; j < cols.length; j++) {
      if (cols[j].isMissing(row)) {
        return null;
      }
      k[j] = cols[j].get(row);
    }
    return Arrays.asList(k);
  }

  /** Concatenates every partition of a frame: the broadcast side. */
  record ConcatAll(Schema schema) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return Tables.concat((List<?>) args[0], schema);
    }
  }

  /** Joins two tables. */
  record LocalJoin(Spec spec) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return join((Table) args[0], (Table) args[1], spec);
    }
  }

  /** Gathers one piece of every split of both sides and joins them. */
  record ShuffleJoin(Spec spec) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> lp = (List<?>) args[0];
      List<?> rp = (List<?>) args[1];
      Table out = join(Shuffle.gather(lp, spec.left()), Shuffle.gather(rp, spec.right()), spec);
      Shuffle.release(lp);
      Shuffle.release(rp);
      return out;
    }
  }
}
