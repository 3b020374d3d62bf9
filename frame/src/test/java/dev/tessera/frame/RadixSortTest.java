package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link RadixSort} orders as Double.compare and Long.compare do, stably. */
class RadixSortTest {
  /** The rows sorted by a direct stable sort on the values. */
  static int[] direct(int n, Comparator<Integer> by) {
    return IntStream.range(0, n).boxed().sorted(by).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void doublesSortAsDoubleCompareWithTiesInRowOrder() {
    double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5, -1.5};
    SplittableRandom r = new SplittableRandom(3);
    for (int n : new int[] {0, 1, 2, 17, 5000}) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        int pick = r.nextInt(4);
        v[i] = pick == 0 ? special[r.nextInt(special.length)]
            : pick == 1 ? r.nextInt(5) - 2 // ties
            : pick == 2 ? 0.25 + r.nextDouble() * 1e-9 // a narrow range: high bytes equal
            : (r.nextDouble() - 0.5) * 1e300;
      }
      long[] keys = new long[n];
      int[] rows = IntStream.range(0, n).toArray();
      for (int i = 0; i < n; i++) {
        keys[i] = RadixSort.key(v[i]);
      }
      RadixSort.sort(keys, rows);
      assertArrayEquals(direct(n, (a, b) -> Double.compare(v[a], v[b])), rows, "n=" + n);
    }
  }

  @Test
  void longsSortAsLongCompareWithTiesInRowOrder() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 3000;
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = i % 3 == 0 ? r.nextLong() : i % 3 == 1 ? r.nextInt(7) - 3
          : (i % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    long[] keys = new long[n];
    int[] rows = IntStream.range(0, n).toArray();
    for (int i = 0; i < n; i++) {
      keys[i] = RadixSort.key(v[i]);
    }
    RadixSort.sort(keys, rows);
    assertArrayEquals(direct(n, (a, b) -> Long.compare(v[a], v[b])), rows);
  }

  @Test
  void allEqualKeysKeepTheirOrder() {
    long[] keys = new long[100];
    int[] rows = IntStream.range(0, 100).map(i -> 99 - i).toArray();
    RadixSort.sort(keys, rows);
    assertArrayEquals(IntStream.range(0, 100).map(i -> 99 - i).toArray(), rows);
  }
}
