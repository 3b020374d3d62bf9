package dev.tessera.frame;

/**
 * A stable least-significant-digit radix sort of 64-bit keys carrying row numbers, for the
 * gatherers of a sort. Fastutil's {@code radixSortIndirect} reads the keys through the
 * permutation ({@code v[perm[i]]}), a random access per row and pass that missed the cache on
 * every row of a large partition (half the CPU of a 3 GB {@code setIndex}); here the keys
 * move with their rows, so each pass reads sequentially and writes to 256 streams, and a
 * pass whose byte is the same in every key (the high bytes of a partition's narrow range) is
 * skipped.
 */
final class RadixSort {
  private RadixSort() {}

  /** Keys whose unsigned order is {@link Double#compare}'s (not for NaN: missing values). */
  static long key(double v) {
    long bits = Double.doubleToRawLongBits(v);
    return bits ^ ((bits >> 63) | Long.MIN_VALUE); // negatives: every bit; others: the sign
  }

  /** Keys whose unsigned order is the signed order of {@code v}. */
  static long key(long v) {
    return v ^ Long.MIN_VALUE;
  }

  /**
   * Sorts {@code keys} as unsigned numbers, moving {@code rows} with them; equal keys keep
   * their order. Uses two more arrays of the same lengths.
   */
  static void sort(long[] keys, int[] rows) {
    int n = keys.length;
    if (n < 2) {
      return;
    }
    int[][] count = new int[8][256];
    for (long k : keys) {
      for (int b = 0; b < 8; b++) {
        count[b][(int) (k >>> (8 * b)) & 255]++;
      }
    }
    long[] src = keys;
    int[] srcRows = rows;
    long[] dst = new long[n];
    int[] dstRows = new int[n];
    for (int b = 0; b < 8; b++) {
      int shift = 8 * b;
      int[] c = count[b];
      if (c[(int) (keys[0] >>> shift) & 255] == n) {
        continue; // every key has this byte: the pass would change nothing
      }
      int sum = 0;
      for (int d = 0; d < 256; d++) {
        int t = c[d];
        c[d] = sum;
        sum += t;
      }
      for (int i = 0; i < n; i++) {
        long k = src[i];
        int p = c[(int) (k >>> shift) & 255]++;
        dst[p] = k;
        dstRows[p] = srcRows[i];
      }
      long[] tk = src;
      src = dst;
      dst = tk;
      int[] tr = srcRows;
      srcRows = dstRows;
      dstRows = tr;
    }
    if (src != keys) {
      System.arraycopy(src, 0, keys, 0, n);
      System.arraycopy(srcRows, 0, rows, 0, n);
    }
  }
}
