package dev.tessera.frame;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.strings.DictionaryMap;

/**
 * The partial result of a grouped aggregation: the groups seen so far (in order of first
 * appearance) and one state per aggregation. The three steps of the tree reduction are
 * {@link #add} (a partition's rows), {@link #merge} (another partial, which must come later in
 * partition order: {@code first} and {@code last} rely on it) and {@link #finish}. Merging is
 * associative with the empty partial as identity, so any tree gives the same result.
 */
final class Partial implements Serializable {
  private static final long serialVersionUID = 1L;

  final List<String> keyNames;
  final List<Agg> aggs;
  final Map<Object, Integer> index = new HashMap<>();
  final List<Object> keys = new ArrayList<>();
  final State[] states;

  Partial(List<String> keyNames, List<Agg> aggs, Schema schema) {
    this.keyNames = keyNames;
    this.aggs = aggs;
    this.states = new State[aggs.size()];
    for (int i = 0; i < states.length; i++) {
      Agg a = aggs.get(i);
      boolean numeric = a.column() != null && Exprs.isNumeric(schema.type(a.column()));
      states[i] = State.of(a.kind(), numeric);
    }
    if (keyNames.isEmpty()) {
      group(List.of()); // a whole-frame reduction has its one group even with no rows
    }
  }

  int size() {
    return keys.size();
  }

  private int group(Object key) {
    Integer g = index.get(key);
    if (g == null) {
      g = keys.size();
      index.put(key, g);
      keys.add(key);
      for (State s : states) {
        s.grow(g + 1);
      }
    }
    return g;
  }

  /** Adds a partition's rows; rows with a missing key are left out (like pandas). */
  void add(Table t) {
    int n = t.rowCount();
    int[] groups = new int[n];
    Column<?>[] kc = new Column<?>[keyNames.size()];
    for (int j = 0; j < kc.length; j++) {
      kc[j] = t.column(keyNames.get(j));
    }
    if (kc.length == 1 && kc[0] instanceof StringColumn sc) {
      stringGroups(sc, groups);
    }
    for (int i = 0; i < n && kc.length > 0 && !(kc[0] instanceof StringColumn
        && kc.length == 1); i++) {
      Object key;
      if (kc.length == 1) {
        key = kc[0].isMissing(i) ? null : kc[0].get(i);
      } else {
        Object[] k = new Object[kc.length];
        for (int j = 0; j < kc.length && k != null; j++) {
          if (kc[j].isMissing(i)) {
            k = null;
          } else {
            k[j] = kc[j].get(i);
          }
        }
        key = k == null ? null : Arrays.asList(k);
      }
      groups[i] = key == null ? -1 : group(key);
    }
    for (int a = 0; a < states.length; a++) {
      String c = aggs.get(a).column();
      states[a].add(groups, c == null ? null : t.column(c));
    }
  }

  /**
   * Groups of a single string key through the column's dictionary codes: one small int map
   * lookup per row instead of resolving each row's string and hashing it.
   */
  private void stringGroups(StringColumn c, int[] groups) {
    DictionaryMap dict = c.getDictionary();
    int cap = Integer.highestOneBit(Math.max(16, dict.countUnique() * 2)) * 2;
    int mask = cap - 1;
    int[] codes = new int[cap];
    int[] ids = new int[cap];
    boolean[] used = new boolean[cap];
    for (int i = 0; i < groups.length; i++) {
      int code = dict.getKeyForIndex(i);
      int slot = (code * 0x9E3779B9) >>> 7 & mask;
      while (used[slot] && codes[slot] != code) {
        slot = (slot + 1) & mask;
      }
      if (!used[slot]) {
        String v = dict.getValueForKey(code);
        used[slot] = true;
        codes[slot] = code;
        ids[slot] = v == null || v.isEmpty() ? -1 : group(v); // "" is Tablesaw's missing
      }
      groups[i] = ids[slot];
    }
  }

  /** Merges a later partial into this one. */
  void merge(Partial o) {
    int[] map = new int[o.keys.size()];
    for (int g = 0; g < map.length; g++) {
      map[g] = group(o.keys.get(g));
    }
    for (int a = 0; a < states.length; a++) {
      states[a].merge(o.states[a], map);
    }
  }

  /** Splits this partial by key hash into {@code n} partials (for {@code split_out}). */
  Partial[] split(int n, Schema schema) {
    Partial[] out = new Partial[n];
    for (int i = 0; i < n; i++) {
      out[i] = new Partial(keyNames, aggs, schema);
    }
    if (n == 1) {
      out[0].merge(this);
      return out;
    }
    for (int g = 0; g < keys.size(); g++) {
      Partial p = out[Math.floorMod(keys.get(g).hashCode(), n)];
      int ng = p.group(keys.get(g));
      for (int a = 0; a < states.length; a++) {
        p.states[a].copyGroup(states[a], g, ng);
      }
    }
    return out;
  }

  /** Returns the result table: key columns, then one column per aggregation, sorted by key. */
  Table finish(Schema schema) {
    Table t = Table.create("agg");
    for (int j = 0; j < keyNames.size(); j++) {
      String k = keyNames.get(j);
      @SuppressWarnings("unchecked")
      Column<Object> c = (Column<Object>) schema.type(k).create(k);
      for (Object key : keys) {
        c.appendObj(keyNames.size() == 1 ? key : ((List<?>) key).get(j));
      }
      t.addColumns(c);
    }
    for (int a = 0; a < states.length; a++) {
      Agg agg = aggs.get(a);
      ColumnType type = agg.resultType(schema);
      t.addColumns(states[a].finish(agg.name(), type, keys.size()));
    }
    if (!keyNames.isEmpty() && t.rowCount() > 1) {
      t = t.sortAscendingOn(keyNames.toArray(new String[0]));
    }
    return t;
  }

  /** One aggregation's state for every group; grows with the groups. */
  abstract static class State implements Serializable {
    private static final long serialVersionUID = 1L;

    static State of(Agg.Kind kind, boolean numeric) {
      switch (kind) {
        case SUM: return new Moments(kind);
        case MEAN: return new Moments(kind);
        case STD: return new Moments(kind);
        case VAR: return new Moments(kind);
        case COUNT: return new Counts(false);
        case SIZE: return new Counts(true);
        case MIN: return numeric ? new Extreme(true) : new Pick(kind);
        case MAX: return numeric ? new Extreme(false) : new Pick(kind);
        case FIRST: return new Pick(kind);
        case LAST: return new Pick(kind);
        default: return new Distinct();
      }
    }

    abstract void grow(int groups);

    abstract void add(int[] groups, Column<?> c);

    abstract void merge(State other, int[] map);

    abstract void copyGroup(State from, int g, int to);

    abstract Column<?> finish(String name, ColumnType type, int groups);

    static int capacity(int old, int need) {
      return need <= old ? old : Math.max(need, old * 2 + 8);
    }

    static double[] doubles(Column<?> c) {
      if (c instanceof DoubleColumn d) {
        return d.asDoubleArray();
      }
      NumericColumn<?> n = (NumericColumn<?>) c;
      double[] out = new double[n.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = n.isMissing(i) ? Double.NaN : n.getDouble(i);
      }
      return out;
    }
  }

  /** count, mean and the sum of squared deviations (Welford; Chan et al. to merge). */
  static final class Moments extends State {
    private static final long serialVersionUID = 1L;
    final Agg.Kind kind;
    long[] n = new long[0];
    double[] sum = new double[0];
    double[] mean = new double[0];
    double[] m2 = new double[0];

    Moments(Agg.Kind kind) {
      this.kind = kind;
    }

    private boolean second() {
      return kind == Agg.Kind.STD || kind == Agg.Kind.VAR;
    }

    @Override
    void grow(int groups) {
      int c = capacity(n.length, groups);
      if (c != n.length) {
        n = Arrays.copyOf(n, c);
        sum = Arrays.copyOf(sum, c);
        if (second()) {
          mean = Arrays.copyOf(mean, c);
          m2 = Arrays.copyOf(m2, c);
        }
      }
    }

    @Override
    void add(int[] groups, Column<?> c) {
      double[] v = doubles(c);
      boolean second = second();
      for (int i = 0; i < groups.length; i++) {
        int g = groups[i];
        double x = v[i];
        if (g < 0 || x != x) {
          continue;
        }
        n[g]++;
        sum[g] += x;
        if (second) {
          double d = x - mean[g];
          mean[g] += d / n[g];
          m2[g] += d * (x - mean[g]);
        }
      }
    }

    @Override
    void merge(State other, int[] map) {
      Moments o = (Moments) other;
      for (int g = 0; g < map.length; g++) {
        combine(map[g], o, g);
      }
    }

    private void combine(int t, Moments o, int g) {
      if (o.n[g] == 0) {
        return;
      }
      if (second()) {
        long na = n[t];
        long nb = o.n[g];
        double d = o.mean[g] - mean[t];
        long nn = na + nb;
        mean[t] += d * nb / nn;
        m2[t] += o.m2[g] + d * d * na * nb / nn;
      }
      n[t] += o.n[g];
      sum[t] += o.sum[g];
    }

    @Override
    void copyGroup(State from, int g, int to) {
      combine(to, (Moments) from, g);
    }

    @Override
    Column<?> finish(String name, ColumnType type, int groups) {
      double[] out = new double[groups];
      for (int g = 0; g < groups; g++) {
        switch (kind) {
          case SUM: out[g] = sum[g]; break;
          case MEAN: out[g] = n[g] == 0 ? Double.NaN : sum[g] / n[g]; break;
          case VAR: out[g] = n[g] < 2 ? Double.NaN : m2[g] / (n[g] - 1); break;
          default: out[g] = n[g] < 2 ? Double.NaN : Math.sqrt(m2[g] / (n[g] - 1)); break;
        }
      }
      return DoubleColumn.create(name, out);
    }
  }

  /** count (present values) or size (rows). */
  static final class Counts extends State {
    private static final long serialVersionUID = 1L;
    final boolean rows;
    long[] n = new long[0];

    Counts(boolean rows) {
      this.rows = rows;
    }

    @Override
    void grow(int groups) {
      n = Arrays.copyOf(n, capacity(n.length, groups));
    }

    @Override
    void add(int[] groups, Column<?> c) {
      for (int i = 0; i < groups.length; i++) {
        if (groups[i] >= 0 && (rows || !c.isMissing(i))) {
          n[groups[i]]++;
        }
      }
    }

    @Override
    void merge(State other, int[] map) {
      long[] o = ((Counts) other).n;
      for (int g = 0; g < map.length; g++) {
        n[map[g]] += o[g];
      }
    }

    @Override
    void copyGroup(State from, int g, int to) {
      n[to] += ((Counts) from).n[g];
    }

    @Override
    Column<?> finish(String name, ColumnType type, int groups) {
      return LongColumn.create(name, Arrays.copyOf(n, groups));
    }
  }

  /** min or max of numbers. */
  static final class Extreme extends State {
    private static final long serialVersionUID = 1L;
    final boolean min;
    double[] v = new double[0];

    Extreme(boolean min) {
      this.min = min;
    }

    @Override
    void grow(int groups) {
      int old = v.length;
      v = Arrays.copyOf(v, capacity(old, groups));
      Arrays.fill(v, old, v.length, Double.NaN);
    }

    private void put(int g, double x) {
      if (x != x) {
        return;
      }
      double cur = v[g];
      if (cur != cur || (min ? x < cur : x > cur)) {
        v[g] = x;
      }
    }

    @Override
    void add(int[] groups, Column<?> c) {
      double[] x = doubles(c);
      for (int i = 0; i < groups.length; i++) {
        if (groups[i] >= 0) {
          put(groups[i], x[i]);
        }
      }
    }

    @Override
    void merge(State other, int[] map) {
      double[] o = ((Extreme) other).v;
      for (int g = 0; g < map.length; g++) {
        put(map[g], o[g]);
      }
    }

    @Override
    void copyGroup(State from, int g, int to) {
      put(to, ((Extreme) from).v[g]);
    }

    @Override
    Column<?> finish(String name, ColumnType type, int groups) {
      return DoubleColumn.create(name, Arrays.copyOf(v, groups));
    }
  }

  /** first, last, and min or max of non-numbers: one value per group. */
  static final class Pick extends State {
    private static final long serialVersionUID = 1L;
    final Agg.Kind kind;
    Object[] v = new Object[0];

    Pick(Agg.Kind kind) {
      this.kind = kind;
    }

    @Override
    void grow(int groups) {
      v = Arrays.copyOf(v, capacity(v.length, groups));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void put(int g, Object x) {
      if (x == null) {
        return;
      }
      Object cur = v[g];
      boolean take;
      switch (kind) {
        case FIRST: take = cur == null; break;
        case LAST: take = true; break;
        case MIN: take = cur == null || ((Comparable) x).compareTo(cur) < 0; break;
        default: take = cur == null || ((Comparable) x).compareTo(cur) > 0; break;
      }
      if (take) {
        v[g] = x;
      }
    }

    @Override
    void add(int[] groups, Column<?> c) {
      for (int i = 0; i < groups.length; i++) {
        if (groups[i] >= 0 && !c.isMissing(i)) {
          put(groups[i], c.get(i));
        }
      }
    }

    @Override
    void merge(State other, int[] map) {
      Object[] o = ((Pick) other).v;
      for (int g = 0; g < map.length; g++) {
        put(map[g], o[g]);
      }
    }

    @Override
    void copyGroup(State from, int g, int to) {
      put(to, ((Pick) from).v[g]);
    }

    @Override
    Column<?> finish(String name, ColumnType type, int groups) {
      @SuppressWarnings("unchecked")
      Column<Object> c = (Column<Object>) type.create(name);
      for (int g = 0; g < groups; g++) {
        if (v[g] == null) {
          c.appendMissing();
        } else {
          c.appendObj(v[g]);
        }
      }
      return c;
    }
  }

  /** nunique: the distinct present values of each group. */
  static final class Distinct extends State {
    private static final long serialVersionUID = 1L;
    List<Set<Object>> sets = new ArrayList<>();

    @Override
    void grow(int groups) {
      while (sets.size() < groups) {
        sets.add(new HashSet<>());
      }
    }

    @Override
    void add(int[] groups, Column<?> c) {
      for (int i = 0; i < groups.length; i++) {
        if (groups[i] >= 0 && !c.isMissing(i)) {
          sets.get(groups[i]).add(c.get(i));
        }
      }
    }

    @Override
    void merge(State other, int[] map) {
      List<Set<Object>> o = ((Distinct) other).sets;
      for (int g = 0; g < map.length; g++) {
        sets.get(map[g]).addAll(o.get(g));
      }
    }

    @Override
    void copyGroup(State from, int g, int to) {
      sets.get(to).addAll(((Distinct) from).sets.get(g));
    }

    @Override
    Column<?> finish(String name, ColumnType type, int groups) {
      long[] out = new long[groups];
      for (int g = 0; g < groups; g++) {
        out[g] = sets.get(g).size();
      }
      return LongColumn.create(name, out);
    }
  }
}
