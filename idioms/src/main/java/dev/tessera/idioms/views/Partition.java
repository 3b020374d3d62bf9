package dev.tessera.idioms.views;

/**
 * How ipyparallel splits a sequence of {@code n} items over {@code q} engines for scatter and
 * map: contiguous blocks, the first {@code n % q} one item longer (10 items on 4 engines: 3, 3,
 * 2, 2; 2 items on 4 engines: 1, 1, 0, 0).
 */
final class Partition {
  private Partition() {}

  /** {@return the first index of part {@code p} of {@code q}, for {@code n} items} */
  static int low(int n, int p, int q) {
    int base = n / q;
    int rest = n % q;
    return p < rest ? p * (base + 1) : p * base + rest;
  }

  /** {@return one past the last index of part {@code p} of {@code q}} */
  static int high(int n, int p, int q) {
    return low(n, p, q) + n / q + (p < n % q ? 1 : 0);
  }
}
