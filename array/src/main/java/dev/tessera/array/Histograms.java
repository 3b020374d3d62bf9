package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Histograms and bincounts as tree reductions: each block counts its own elements into a
 * small array of counts (int64, or float64 sums of weights), and the count arrays are added
 * {@link Reductions#DEFAULT_SPLIT_EVERY} at a time up a tree. Addition is associative and
 * commutative, so the result equals the sequential count exactly (up to rounding for float
 * weights). Bin conventions are NumPy's: bin {@code i} is {@code [e[i], e[i+1])}, the last
 * bin is closed {@code [e[n-1], e[n]]}, values outside the edges and NaN are not counted.
 */
final class Histograms {
  private Histograms() {}

  /** The uniform edges NumPy uses: {@code linspace(lo, hi, bins + 1)}. */
  static double[] uniformEdges(int bins, double lo, double hi) {
    if (bins < 1) {
      throw new ArrayException("histogram: bins must be at least 1, got " + bins);
    }
    if (!(lo <= hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
      throw new ArrayException("histogram: the range [" + lo + ", " + hi + "] must be finite"
          + " with lo <= hi");
    }
    if (lo == hi) {
      // NumPy widens an empty range by 0.5 on each side
      lo -= 0.5;
      hi += 0.5;
    }
    double[] e = new double[bins + 1];
    double step = (hi - lo) / bins;
    for (int i = 0; i <= bins; i++) {
      e[i] = lo + i * step;
    }
    e[bins] = hi;
    return e;
  }

  static Histogram histogram(Array a, double[] edgesIn, boolean uniform, Array weights) {
    double[] edges = edgesIn.clone();
    if (edges.length < 2) {
      throw new ArrayException("histogram: need at least 2 bin edges, got " + edges.length);
    }
    for (int i = 1; i < edges.length; i++) {
      if (!(edges[i] >= edges[i - 1])) {
        throw new ArrayException("histogram: bin edges must increase monotonically, but edge "
            + i + " (" + edges[i] + ") is below edge " + (i - 1) + " (" + edges[i - 1] + ")");
      }
    }
    Array w = alignWeights("histogram", a, weights);
    String name = Tokens.name("histogram", a, edges, uniform, w);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> parts = new java.util.ArrayList<>();
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      Key k = Key.of(name + "-chunk", idx);
      tasks.put(k, w == null ? Task.of(new HistChunk(edges, uniform), a.blockKey(idx))
          : Task.of(new HistChunk(edges, uniform), a.blockKey(idx), w.blockKey(idx)));
      parts.add(k);
    }
    Key root = Trees.reduce(tasks, name + "-sum", parts, Reductions.DEFAULT_SPLIT_EVERY,
        new AddCounts());
    tasks.put(Key.of(name, 0), Task.alias(root));
    long bins = edges.length - 1;
    Array counts = Array.of(name, "histogram", tasks, new long[] {bins},
        new long[][] {{bins}}, w == null ? DType.INT64 : DType.FLOAT64,
        w == null ? List.of(a) : List.of(a, w));
    return new Histogram(counts, edges);
  }

  private static Array alignWeights(String op, Array a, Array weights) {
    if (!Layout.known(a.chunks)) {
      throw new ArrayException(op + ": " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    if (weights == null) {
      return null;
    }
    if (!Arrays.equals(a.shape, weights.shape)) {
      throw new ArrayException(op + ": weights have shape " + Arrays.toString(weights.shape)
          + " but the array has shape " + Arrays.toString(a.shape) + "; give one weight per"
          + " element");
    }
    return Rechunk.rechunk(weights.astype(DType.FLOAT64), a.chunks);
  }

  /** The bin of {@code v}, or -1 outside the edges (NaN included); NumPy's rules. */
  static int bin(double[] e, boolean uniform, double v) {
    int n = e.length - 1;
    if (!(v >= e[0] && v <= e[n])) {
      return -1;
    }
    if (uniform) {
      // NumPy's fast path: the computed index, then corrected against the edges
      int i = (int) ((v - e[0]) * (n / (e[n] - e[0])));
      if (i >= n) {
        i = n - 1;
      }
      if (v < e[i]) {
        i--;
      } else if (i < n - 1 && v >= e[i + 1]) {
        i++;
      }
      return i;
    }
    // the last edge <= v (repeated edges make empty bins), the last bin closed
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (e[mid] <= v) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return Math.min(lo, n - 1);
  }

  /** One block's counts (or sums of weights) per bin. */
  record HistChunk(double[] edges, boolean uniform) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      double[] v = values((INDArray) args[0]);
      double[] w = args.length > 1 ? values((INDArray) args[1]) : null;
      int n = edges.length - 1;
      if (w == null) {
        long[] c = new long[n];
        for (double x : v) {
          int b = bin(edges, uniform, x);
          if (b >= 0) {
            c[b]++;
          }
        }
        return Nd4j.createFromArray(c);
      }
      double[] c = new double[n];
      for (int i = 0; i < v.length; i++) {
        int b = bin(edges, uniform, v[i]);
        if (b >= 0) {
          c[b] += w[i];
        }
      }
      return Nd4j.createFromArray(c);
    }
  }

  static double[] values(INDArray x) {
    if (x.length() == 0) {
      return new double[0];
    }
    return x.castTo(DataType.DOUBLE).dup('c').reshape(x.length()).toDoubleVector();
  }

  static long[] longs(INDArray x) {
    if (x.length() == 0) {
      return new long[0];
    }
    return x.castTo(DataType.INT64).dup('c').reshape(x.length()).toLongVector();
  }

  static Array bincount(Array a, Array weights, long minlength) {
    if (a.ndim() != 1) {
      throw new ArrayException("bincount: needs a 1-d array, got shape "
          + Arrays.toString(a.shape) + "; flatten it with reshape(-1)");
    }
    if (a.dtype.isFloat()) {
      throw new ArrayException("bincount: needs non-negative integers, got " + a.dtype
          + "; convert with astype(DType.INT64)");
    }
    if (minlength < 0) {
      throw new ArrayException("bincount: minlength must not be negative, got " + minlength);
    }
    Array w = alignWeights("bincount", a, weights);
    String name = Tokens.name("bincount", a, w, minlength);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> parts = new java.util.ArrayList<>();
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      Key k = Key.of(name + "-chunk", idx);
      long off = Layout.blockOffset(a.chunks, idx)[0];
      tasks.put(k, w == null ? Task.of(new CountChunk(off), a.blockKey(idx))
          : Task.of(new CountChunk(off), a.blockKey(idx), w.blockKey(idx)));
      parts.add(k);
    }
    Key root = Trees.reduce(tasks, name + "-sum", parts, Reductions.DEFAULT_SPLIT_EVERY,
        new AddCounts());
    tasks.put(Key.of(name, 0), Task.of(new Pad(minlength), root));
    // the length is max(x) + 1 (at least minlength): known only once computed
    return Array.of(name, "bincount", tasks, new long[] {Layout.UNKNOWN},
        new long[][] {{Layout.UNKNOWN}}, w == null ? DType.INT64 : DType.FLOAT64,
        w == null ? List.of(a) : List.of(a, w));
  }

  /** One block's counts of each value 0..max. */
  record CountChunk(long offset) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      long[] v = longs((INDArray) args[0]);
      double[] w = args.length > 1 ? values((INDArray) args[1]) : null;
      long max = -1;
      for (int i = 0; i < v.length; i++) {
        if (v[i] < 0) {
          throw new IllegalArgumentException("bincount: element " + (offset + i) + " is "
              + v[i] + "; bincount counts non-negative integers only");
        }
        max = Math.max(max, v[i]);
      }
      if (max >= Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("bincount: value " + max + " is too large to count"
            + " into an array");
      }
      int n = (int) (max + 1);
      if (w == null) {
        long[] c = new long[n];
        for (long x : v) {
          c[(int) x]++;
        }
        return n == 0 ? Nd4j.create(DataType.INT64, 0) : Nd4j.createFromArray(c);
      }
      double[] c = new double[n];
      for (int i = 0; i < v.length; i++) {
        c[(int) v[i]] += w[i];
      }
      return n == 0 ? Nd4j.create(DataType.DOUBLE, 0) : Nd4j.createFromArray(c);
    }
  }

  /** Adds count arrays; a shorter one is padded with zeros (bincounts of different maxima). */
  record AddCounts() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      List<?> xs = (List<?>) args[0];
      long n = 0;
      for (Object o : xs) {
        n = Math.max(n, ((INDArray) o).length());
      }
      INDArray first = (INDArray) xs.get(0);
      INDArray acc = Nd4j.create(first.dataType(), n);
      for (Object o : xs) {
        INDArray x = (INDArray) o;
        if (x.length() > 0) {
          Nd.view(acc, new long[] {0}, new long[] {x.length()}).addi(x.reshape(x.length()));
        }
      }
      return acc;
    }
  }

  /** Pads counts with zeros to at least {@code minlength}. */
  record Pad(long minlength) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      if (x.length() >= minlength) {
        return x;
      }
      INDArray out = Nd4j.create(x.dataType(), minlength);
      if (x.length() > 0) {
        Nd.view(out, new long[] {0}, new long[] {x.length()}).assign(x);
      }
      return out;
    }
  }
}
