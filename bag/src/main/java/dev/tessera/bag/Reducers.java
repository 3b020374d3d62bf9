package dev.tessera.bag;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import java.io.Serializable;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/** The reductions of {@link Bag}, each a {@link Reducer}. */
@SuppressWarnings({"unchecked", "rawtypes"})
final class Reducers {
  private Reducers() {}

  static Object call(String what, Fn1 fn, Object x) throws Pipeline.StepFailure {
    try {
      return fn.apply(x);
    } catch (Exception e) {
      throw new Pipeline.StepFailure(what, e);
    }
  }

  static Object call(String what, Fn2 fn, Object a, Object b) throws Pipeline.StepFailure {
    try {
      return fn.apply(a, b);
    } catch (Exception e) {
      throw new Pipeline.StepFailure(what, e);
    }
  }

  /** The number of elements, a Long. */
  record Count() implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new long[1];
    }

    @Override
    public Object add(Object acc, Object x) {
      ((long[]) acc)[0]++;
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) {
      long n = 0;
      for (Object p : partials) {
        n += ((long[]) p)[0];
      }
      return new long[] {n};
    }

    @Override
    public Object finish(Object partial) {
      return ((long[]) partial)[0];
    }
  }

  /** A sum: exact (a Long) while every element is integral, a Double once one is not. */
  static final class SumAcc implements Serializable {
    private static final long serialVersionUID = 1L;
    long exact;
    double real;
    boolean isReal;

    void add(Number n) {
      if (!isReal && (n instanceof Integer || n instanceof Long || n instanceof Short
          || n instanceof Byte)) {
        exact = Math.addExact(exact, n.longValue());
      } else {
        if (!isReal) {
          isReal = true;
          real = exact;
        }
        real += n.doubleValue();
      }
    }

    void add(SumAcc o) {
      if (o.isReal) {
        add(Double.valueOf(o.real));
      } else {
        add(Long.valueOf(o.exact));
      }
    }
  }

  /** Sum of numbers; see {@link SumAcc}. */
  record Sum() implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new SumAcc();
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      ((SumAcc) acc).add(number("sum", x));
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) {
      SumAcc s = new SumAcc();
      for (Object p : partials) {
        s.add((SumAcc) p);
      }
      return s;
    }

    @Override
    public Object finish(Object partial) {
      SumAcc s = (SumAcc) partial;
      return s.isReal ? (Number) s.real : (Number) s.exact;
    }
  }

  static Number number(String what, Object x) throws Pipeline.StepFailure {
    if (x instanceof Number n) {
      return n;
    }
    throw new Pipeline.StepFailure(what, new ClassCastException("element " + x + " of type "
        + (x == null ? "null" : x.getClass().getName()) + " is not a Number"));
  }

  /** The least (or greatest) element by a comparator. */
  record Extreme(Comparator cmp, boolean max, String what) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new Object[] {null, Boolean.FALSE};
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      Object[] a = (Object[]) acc;
      try {
        if (a[1] == Boolean.FALSE || better(x, a[0])) {
          a[0] = x;
          a[1] = Boolean.TRUE;
        }
      } catch (RuntimeException e) {
        throw new Pipeline.StepFailure(what, e);
      }
      return acc;
    }

    private boolean better(Object x, Object cur) {
      int c = cmp.compare(x, cur);
      return max ? c > 0 : c < 0;
    }

    @Override
    public Object combine(List<Object> partials) {
      Object[] out = (Object[]) start();
      for (Object p : partials) {
        Object[] a = (Object[]) p;
        if (a[1] == Boolean.TRUE && (out[1] == Boolean.FALSE || better(a[0], out[0]))) {
          out[0] = a[0];
          out[1] = Boolean.TRUE;
        }
      }
      return out;
    }

    @Override
    public Object finish(Object partial) {
      Object[] a = (Object[]) partial;
      if (a[1] == Boolean.FALSE) {
        throw new NoSuchElementException(what + " of an empty bag");
      }
      return a[0];
    }
  }

  /**
   * Count, mean and sum of squared deviations (M2), updated with Welford's method and combined
   * with Chan's formula, so no large sums cancel. {@code ddof < 0} means the mean is wanted.
   */
  record Moments(double ddof, String what) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new double[3];
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      double v = number(what, x).doubleValue();
      double[] a = (double[]) acc;
      a[0] += 1;
      double d = v - a[1];
      a[1] += d / a[0];
      a[2] += d * (v - a[1]);
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) {
      double[] out = new double[3];
      for (Object p : partials) {
        double[] b = (double[]) p;
        if (b[0] == 0) {
          continue;
        }
        double n = out[0] + b[0];
        double delta = b[1] - out[1];
        out[1] += delta * b[0] / n;
        out[2] += b[2] + delta * delta * out[0] * b[0] / n;
        out[0] = n;
      }
      return out;
    }

    @Override
    public Object finish(Object partial) {
      double[] a = (double[]) partial;
      if (ddof < 0) {
        return a[0] == 0 ? Double.NaN : a[1];
      }
      return a[0] - ddof <= 0 ? Double.NaN : Math.sqrt(a[2] / (a[0] - ddof));
    }
  }

  /** A fold: binop within each partition from {@code initial}, combine across partitions. */
  record Fold(Fn2 binop, Fn2 combine, Object initial) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new Object[] {initial};
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      Object[] a = (Object[]) acc;
      a[0] = call("fold binop", binop, a[0], x);
      return acc;
    }

    @Override
    public Object endChunk(Object acc) {
      return new Object[] {((Object[]) acc)[0]};
    }

    @Override
    public Object combine(List<Object> partials) throws Exception {
      Object v = ((Object[]) partials.get(0))[0];
      for (int i = 1; i < partials.size(); i++) {
        v = combine.apply(v, ((Object[]) partials.get(i))[0]);
      }
      return new Object[] {v};
    }

    @Override
    public Object finish(Object partial) {
      return ((Object[]) partial)[0];
    }
  }

  /** A per-partition function of the whole partition, then an aggregate of the results. */
  record OfPartitions(Fn1 perPartition, Fn1 aggregate) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new ArrayList<>();
    }

    @Override
    public Object add(Object acc, Object x) {
      ((List) acc).add(x);
      return acc;
    }

    @Override
    public Object endChunk(Object acc) throws Exception {
      return new Object[] {perPartition.apply(acc)};
    }

    @Override
    public Object combine(List<Object> partials) throws Exception {
      List<Object> values = new ArrayList<>(partials.size());
      for (Object p : partials) {
        values.add(((Object[]) p)[0]);
      }
      return new Object[] {aggregate.apply(values)};
    }

    @Override
    public Object finish(Object partial) {
      return ((Object[]) partial)[0];
    }
  }

  /** How often each distinct element occurs: a list of (element, Long count) entries. */
  record Frequencies() implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new CountMap();
    }

    @Override
    public Object add(Object acc, Object x) {
      ((CountMap) acc).add(x, 1);
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) {
      // copy the largest partial (partials are never changed: they may be shared) and add
      // the others into it: fewest insertions
      CountMap largest = (CountMap) partials.get(0);
      for (Object p : partials) {
        if (((CountMap) p).size() > largest.size()) {
          largest = (CountMap) p;
        }
      }
      CountMap out = largest.copy();
      for (Object p : partials) {
        if (p != largest) {
          out.addAll((CountMap) p);
        }
      }
      return out;
    }

    @Override
    public Object finish(Object partial) {
      return ((CountMap) partial).entries();
    }
  }

  /** The k greatest elements by a comparator, greatest first; ties keep partition order. */
  record TopK(int k, Comparator cmp) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new PriorityQueue<>(Math.max(1, k), cmp);
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      PriorityQueue q = (PriorityQueue) acc;
      try {
        if (q.size() < k) {
          q.add(x);
        } else if (k > 0 && cmp.compare(x, q.peek()) > 0) {
          q.poll();
          q.add(x);
        }
      } catch (RuntimeException e) {
        throw new Pipeline.StepFailure("topk comparator", e);
      }
      return acc;
    }

    @Override
    public Object endChunk(Object acc) {
      List out = new ArrayList<>((PriorityQueue) acc);
      out.sort(cmp.reversed());
      return out;
    }

    @Override
    public Object combine(List<Object> partials) {
      List all = new ArrayList<>();
      for (Object p : partials) {
        all.addAll((List) p);
      }
      // a stable sort: equal elements keep partition order
      all.sort(cmp.reversed());
      return new ArrayList<>(all.subList(0, Math.min(k, all.size())));
    }
  }

  /** Whether any (or every) element satisfies a predicate. */
  record AnyAll(Fn1 predicate, boolean all) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new boolean[] {all};
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      boolean[] a = (boolean[]) acc;
      if (a[0] != all) {
        return acc; // decided already
      }
      Object r = call(all ? "all predicate" : "any predicate", predicate, x);
      if (!(r instanceof Boolean)) {
        throw new Pipeline.StepFailure(all ? "all predicate" : "any predicate",
            new IllegalArgumentException("the predicate returned " + r + ", not a Boolean"));
      }
      a[0] = (Boolean) r;
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) {
      boolean v = all;
      for (Object p : partials) {
        v = all ? v && ((boolean[]) p)[0] : v || ((boolean[]) p)[0];
      }
      return new boolean[] {v};
    }

    @Override
    public Object finish(Object partial) {
      return ((boolean[]) partial)[0];
    }
  }

  /** The distinct elements, in order of first appearance. */
  record Distinct() implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new LinkedHashSet<>();
    }

    @Override
    public Object add(Object acc, Object x) {
      ((LinkedHashSet) acc).add(x);
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) {
      LinkedHashSet out = new LinkedHashSet<>();
      for (Object p : partials) {
        out.addAll((LinkedHashSet) p);
      }
      return out;
    }

    @Override
    public Object finish(Object partial) {
      return new ArrayList<>((LinkedHashSet) partial);
    }
  }

  /**
   * Per key, a fold of the elements with that key: (key, value) entries in order of the key's
   * first appearance.
   */
  record FoldBy(Fn1 key, Fn2 binop, Object initial, Fn2 combine) implements Reducer {
    private static final long serialVersionUID = 1L;

    @Override
    public Object start() {
      return new LinkedHashMap<>();
    }

    @Override
    public Object add(Object acc, Object x) throws Exception {
      Map m = (Map) acc;
      Object k = call("foldby key", key, x);
      Object cur = m.containsKey(k) ? m.get(k) : initial;
      m.put(k, call("foldby binop", binop, cur, x));
      return acc;
    }

    @Override
    public Object combine(List<Object> partials) throws Exception {
      Map out = new LinkedHashMap<>();
      for (Object p : partials) {
        for (Map.Entry e : ((Map<?, ?>) p).entrySet()) {
          Object k = e.getKey();
          out.put(k, out.containsKey(k) ? combine.apply(out.get(k), e.getValue()) : e.getValue());
        }
      }
      return out;
    }

    @Override
    public Object finish(Object partial) {
      List out = new ArrayList<>();
      ((Map<?, ?>) partial).forEach((k, v) -> out.add(new SimpleImmutableEntry<>(k, v)));
      return out;
    }
  }
}
