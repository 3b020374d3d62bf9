package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code unique} and {@code isin}. Unique is a tree reduction: each block gives its sorted
 * distinct values with their counts, and groups of sorted lists are merged (counts of equal
 * values added), so a task holds at most {@code splitEvery} lists of distinct values, never
 * the elements. Values compare as NumPy sorts them: NaN after every number and all NaNs one
 * value (NumPy's {@code equal_nan=True}); {@code -0.0} equals {@code 0.0}. Int64 values are
 * kept as longs, the rest as doubles. {@code isin} computes the unique test values that way,
 * then every block of the array looks its elements up in them by binary search.
 */
final class SetOps {
  private SetOps() {}

  /** Sorted distinct values (longs for int64, else doubles) and their counts. */
  record Distinct(double[] values, long[] longs, long[] counts) implements Serializable {
    int size() {
      return counts.length;
    }
  }

  static boolean same(double a, double b) {
    return a == b || (Double.isNaN(a) && Double.isNaN(b));
  }

  static int compare(double a, double b) {
    return same(a, b) ? 0 : Double.compare(a, b);
  }

  static Distinct distinct(INDArray x) {
    if (x.dataType() == DataType.INT64) {
      long[] v = Histograms.longs(x);
      Arrays.sort(v);
      int n = 0;
      long[] out = new long[v.length];
      long[] c = new long[v.length];
      for (int i = 0; i < v.length; i++) {
        if (n > 0 && out[n - 1] == v[i]) {
          c[n - 1]++;
        } else {
          out[n] = v[i];
          c[n++] = 1;
        }
      }
      return new Distinct(null, Arrays.copyOf(out, n), Arrays.copyOf(c, n));
    }
    double[] v = Histograms.values(x);
    Arrays.sort(v);
    int n = 0;
    double[] out = new double[v.length];
    long[] c = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      if (n > 0 && same(out[n - 1], v[i])) {
        c[n - 1]++;
      } else {
        out[n] = v[i];
        c[n++] = 1;
      }
    }
    return new Distinct(Arrays.copyOf(out, n), null, Arrays.copyOf(c, n));
  }

  static Distinct merge(Distinct a, Distinct b) {
    boolean longs = a.longs() != null;
    int n = a.size() + b.size();
    double[] v = longs ? null : new double[n];
    long[] l = longs ? new long[n] : null;
    long[] c = new long[n];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.size() || j < b.size()) {
      int cmp;
      if (i == a.size()) {
        cmp = 1;
      } else if (j == b.size()) {
        cmp = -1;
      } else {
        cmp = longs ? Long.compare(a.longs()[i], b.longs()[j])
            : compare(a.values()[i], b.values()[j]);
      }
      if (cmp <= 0) {
        put(v, l, k, a, i);
        c[k] = a.counts()[i++];
        if (cmp == 0) {
          c[k] += b.counts()[j++];
        }
      } else {
        put(v, l, k, b, j);
        c[k] = b.counts()[j++];
      }
      k++;
    }
    return new Distinct(v == null ? null : Arrays.copyOf(v, k), l == null ? null
        : Arrays.copyOf(l, k), Arrays.copyOf(c, k));
  }

  private static void put(double[] v, long[] l, int k, Distinct from, int i) {
    if (v != null) {
      v[k] = from.values()[i];
    } else {
      l[k] = from.longs()[i];
    }
  }

  /** The root key of the unique-values tree over every block of {@code a}. */
  static Key tree(Map<Key, Task> tasks, String name, Array a) {
    if (!Layout.known(a.chunks)) {
      throw new ArrayException(name.substring(0, name.indexOf('-')) + ": " + a
          + " has unknown chunk sizes; call computeChunkSizes() first");
    }
    List<Key> parts = new java.util.ArrayList<>();
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      Key k = Key.of(name + "-chunk", idx);
      tasks.put(k, Task.of(new Chunk(), a.blockKey(idx)));
      parts.add(k);
    }
    return Trees.reduce(tasks, name + "-merge", parts, Reductions.DEFAULT_SPLIT_EVERY,
        new Merge());
  }

  static Unique unique(Array a) {
    String name = Tokens.name("unique", a);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    Key root = tree(tasks, name, a);
    Array all = Array.of(name + "-distinct", "unique", tasks, new long[] {1},
        new long[][] {{1}}, a.dtype, List.of(a));
    Map<Key, Task> v = Map.of(Key.of(name, 0), Task.of(new Field(false, a.dtype), root));
    Map<Key, Task> c = Map.of(Key.of(name + "-counts", 0), Task.of(new Field(true,
        DType.INT64), root));
    long[] shape = {Layout.UNKNOWN};
    long[][] chunks = {{Layout.UNKNOWN}};
    return new Unique(Array.of(name, "unique", v, shape, chunks, a.dtype, List.of(all)),
        Array.of(name + "-counts", "unique-counts", c, shape, chunks, DType.INT64,
            List.of(all)));
  }

  static Array isin(Array a, Array test) {
    if (!Layout.known(a.chunks)) {
      throw new ArrayException("isin: " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    String name = Tokens.name("isin", a, test);
    Map<Key, Task> tests = new LinkedHashMap<>();
    // int64 values are looked up as longs only when both sides are int64
    Array t = a.dtype == DType.INT64 && test.dtype == DType.INT64 ? test
        : test.astype(DType.FLOAT64);
    Key root = tree(tests, name + "-test", t);
    Array set = Array.of(name + "-test", "isin-test", tests, new long[] {1},
        new long[][] {{1}}, t.dtype, List.of(t));
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      tasks.put(Key.of(name, idx), Task.of(new Lookup(), a.blockKey(idx), root));
    }
    return Array.of(name, "isin", tasks, a.shape, a.chunks, DType.BOOL, List.of(a, set));
  }

  /** A block's distinct values. */
  record Chunk() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return distinct((INDArray) args[0]);
    }
  }

  /** Merges sorted distinct lists. */
  record Merge() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Distinct acc = null;
      for (Object o : (List<?>) args[0]) {
        acc = acc == null ? (Distinct) o : merge(acc, (Distinct) o);
      }
      return acc;
    }
  }

  /** The values or the counts of the root, as a 1-d block. */
  record Field(boolean counts, DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Distinct d = (Distinct) args[0];
      if (d.size() == 0) {
        return Nd.zeros(dtype, new long[] {0});
      }
      if (counts) {
        return Nd4j.createFromArray(d.counts());
      }
      return d.longs() != null ? Nd4j.createFromArray(d.longs())
          : Nd.cast(Nd4j.createFromArray(d.values()), dtype);
    }
  }

  /** Whether each element of a block is among the sorted test values. */
  record Lookup() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      Distinct d = (Distinct) args[1];
      long[] s = x.shape();
      if (x.length() == 0) {
        return Nd.zeros(DType.BOOL, s);
      }
      boolean[] out = new boolean[(int) x.length()];
      if (d.longs() != null && x.dataType() == DataType.INT64) {
        long[] v = Histograms.longs(x);
        for (int i = 0; i < v.length; i++) {
          out[i] = Arrays.binarySearch(d.longs(), v[i]) >= 0;
        }
      } else {
        double[] v = Histograms.values(x);
        double[] t = d.values();
        for (int i = 0; i < v.length; i++) {
          out[i] = !Double.isNaN(v[i]) && find(t, v[i]);   // NaN is in nothing, as in NumPy
        }
      }
      return Nd4j.createFromArray(out).reshape('c', s);
    }

    private static boolean find(double[] t, double v) {
      int lo = 0;
      int hi = t.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = compare(t[mid], v);
        if (c == 0) {
          return true;
        }
        if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return false;
    }
  }
}
