package dev.tessera.array;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Chunk arithmetic: validation, regular and automatic chunks, offsets, block iteration. */
final class Layout {
  private Layout() {}

  /** Unknown chunk size (after boolean mask indexing), like Dask's NaN. */
  static final long UNKNOWN = -1;

  /**
   * Describes an array for the layer view of a graph picture, as Dask's high-level graph does:
   * shape, chunk size (the largest block per axis; {@code ?} where unknown) and dtype.
   */
  static java.util.Map<String, String> describe(long[] shape, long[][] chunks, DType dtype) {
    StringBuilder s = new StringBuilder("(");
    StringBuilder c = new StringBuilder("(");
    for (int a = 0; a < shape.length; a++) {
      long biggest = 0;
      for (long x : chunks[a]) {
        biggest = x < 0 ? -1 : Math.max(biggest, x);
        if (biggest < 0) {
          break;
        }
      }
      s.append(a == 0 ? "" : ", ").append(shape[a] < 0 ? "?" : Long.toString(shape[a]));
      c.append(a == 0 ? "" : ", ").append(biggest < 0 ? "?" : Long.toString(biggest));
    }
    java.util.Map<String, String> info = new java.util.LinkedHashMap<>();
    info.put("shape", s.append(shape.length == 1 ? ",)" : ")").toString());
    info.put("chunksize", c.append(shape.length == 1 ? ",)" : ")").toString());
    info.put("dtype", dtype.name().toLowerCase(java.util.Locale.ROOT));
    return info;
  }

  static long[][] validate(long[] shape, long[][] chunks) {
    if (chunks.length != shape.length) {
      throw new ArrayException("chunks " + Arrays.deepToString(chunks) + " have " + chunks.length
          + " axes but the shape " + Arrays.toString(shape) + " has " + shape.length
          + "; give one tuple of chunk sizes per axis");
    }
    long[][] out = new long[shape.length][];
    for (int a = 0; a < shape.length; a++) {
      long sum = 0;
      for (long c : chunks[a]) {
        if (c < 0) {
          throw new ArrayException("chunk sizes must not be negative; axis " + a + " has "
              + Arrays.toString(chunks[a]));
        }
        sum += c;
      }
      if (sum != shape[a]) {
        throw new ArrayException("chunks " + Arrays.toString(chunks[a]) + " of axis " + a
            + " sum to " + sum + " but the axis has length " + shape[a]
            + "; the chunks of each axis must add up to its length");
      }
      if (chunks[a].length == 0) {
        throw new ArrayException("axis " + a + " has no chunks; an empty axis has one chunk"
            + " of size 0: {0}");
      }
      out[a] = chunks[a].clone();
    }
    return out;
  }

  static long[] regular(long length, long block) {
    if (length == 0) {
      return new long[] {0};
    }
    int n = (int) ((length + block - 1) / block);
    long[] out = new long[n];
    Arrays.fill(out, block);
    out[n - 1] = length - block * (n - 1);
    return out;
  }

  /** Blocks as square as the shape allows, each about {@code bytes}. */
  static long[][] auto(long[] shape, DType dtype, long bytes) {
    int nd = shape.length;
    long[] block = new long[nd];
    boolean[] fixed = new boolean[nd];
    double budget = Math.max(1.0, (double) bytes / dtype.itemSize());
    int free = nd;
    // axes shorter than the ideal edge take their whole length; the rest share what is left
    for (boolean changed = true; changed && free > 0; ) {
      changed = false;
      double edge = Math.pow(budget, 1.0 / free);
      for (int a = 0; a < nd; a++) {
        if (!fixed[a] && shape[a] <= edge) {
          fixed[a] = true;
          block[a] = Math.max(1, shape[a]);
          budget /= Math.max(1, shape[a]);
          free--;
          changed = true;
        }
      }
    }
    if (free > 0) {
      long edge = Math.max(1, (long) Math.floor(Math.pow(budget, 1.0 / free)));
      for (int a = 0; a < nd; a++) {
        if (!fixed[a]) {
          // spread evenly: as many blocks as needed, of equal size
          long n = (shape[a] + edge - 1) / edge;
          block[a] = (shape[a] + n - 1) / n;
        }
      }
    }
    long[][] out = new long[nd][];
    for (int a = 0; a < nd; a++) {
      out[a] = regular(shape[a], block[a]);
    }
    return out;
  }

  static long[] offsets(long[] chunks) {
    long[] out = new long[chunks.length + 1];
    for (int i = 0; i < chunks.length; i++) {
      out[i + 1] = out[i] + chunks[i];
    }
    return out;
  }

  static int[] numBlocks(long[][] chunks) {
    int[] n = new int[chunks.length];
    for (int a = 0; a < n.length; a++) {
      n[a] = chunks[a].length;
    }
    return n;
  }

  static int totalBlocks(long[][] chunks) {
    long n = 1;
    for (long[] c : chunks) {
      n *= c.length;
    }
    if (n > Integer.MAX_VALUE) {
      throw new ArrayException("too many blocks: " + n + "; use larger chunks");
    }
    return (int) n;
  }

  /** Every block index in C order (last axis fastest). */
  static List<int[]> blockIndices(int[] numBlocks) {
    List<int[]> out = new ArrayList<>();
    long total = 1;
    for (int n : numBlocks) {
      total *= n;
    }
    int[] idx = new int[numBlocks.length];
    for (long i = 0; i < total; i++) {
      out.add(idx.clone());
      for (int a = numBlocks.length - 1; a >= 0; a--) {
        if (++idx[a] < numBlocks[a]) {
          break;
        }
        idx[a] = 0;
      }
    }
    return out;
  }

  static long[] blockShape(long[][] chunks, int[] idx) {
    long[] s = new long[chunks.length];
    for (int a = 0; a < s.length; a++) {
      s[a] = chunks[a][idx[a]];
    }
    return s;
  }

  static long[] blockOffset(long[][] chunks, int[] idx) {
    long[] s = new long[chunks.length];
    for (int a = 0; a < s.length; a++) {
      for (int i = 0; i < idx[a]; i++) {
        s[a] += chunks[a][i];
      }
    }
    return s;
  }

  static int flatIndex(int[] numBlocks, int[] idx) {
    int f = 0;
    for (int a = 0; a < idx.length; a++) {
      f = f * numBlocks[a] + idx[a];
    }
    return f;
  }

  static long size(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  static boolean known(long[][] chunks) {
    for (long[] c : chunks) {
      for (long x : c) {
        if (x == UNKNOWN) {
          return false;
        }
      }
    }
    return true;
  }

  static long[][] copy(long[][] chunks) {
    long[][] out = new long[chunks.length][];
    for (int a = 0; a < out.length; a++) {
      out[a] = chunks[a].clone();
    }
    return out;
  }

  static int axis(int axis, int ndim, String what) {
    int a = axis < 0 ? axis + ndim : axis;
    if (a < 0 || a >= ndim) {
      throw new ArrayException(what + ": axis " + axis + " is out of range for an array of "
          + ndim + " dimensions (valid: " + (-ndim) + " to " + (ndim - 1) + ")");
    }
    return a;
  }

  /** Normalized, sorted, distinct axes; null means all. */
  static int[] axes(int[] axes, int ndim, String what) {
    if (axes == null) {
      int[] all = new int[ndim];
      for (int i = 0; i < ndim; i++) {
        all[i] = i;
      }
      return all;
    }
    boolean[] seen = new boolean[ndim];
    for (int x : axes) {
      int a = axis(x, ndim, what);
      if (seen[a]) {
        throw new ArrayException(what + ": axis " + x + " given twice in "
            + Arrays.toString(axes));
      }
      seen[a] = true;
    }
    int[] out = new int[axes.length];
    int k = 0;
    for (int a = 0; a < ndim; a++) {
      if (seen[a]) {
        out[k++] = a;
      }
    }
    return out;
  }
}
