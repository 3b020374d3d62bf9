package dev.tessera.idioms.mpi;

import java.io.Serializable;
import java.util.Comparator;

/**
 * An associative operator for {@link Comm#reduce} and {@link Comm#allreduce}, as mpi4py's
 * {@code MPI.SUM}, {@code MPI.MAX}: {@code apply(apply(a, b), c)} must equal
 * {@code apply(a, apply(b, c))}. It need not be commutative: values are combined in rank
 * order. It must not change its arguments (on threads they are other ranks' values).
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Op<T> extends Serializable {
  /**
   * Combines two values, the lower rank's first.
   *
   * @param a the lower ranks' value
   * @param b the higher ranks' value
   * @return the combination, a new value
   */
  T apply(T a, T b);

  /** {@return the sum of ints ({@code MPI.SUM})} */
  static Op<Integer> sumInt() {
    return Integer::sum;
  }

  /** {@return the sum of longs} */
  static Op<Long> sumLong() {
    return Long::sum;
  }

  /** {@return the sum of doubles} */
  static Op<Double> sumDouble() {
    return Double::sum;
  }

  /** {@return the element-wise sum of double arrays of one length, in a new array} */
  static Op<double[]> sumArrays() {
    return (a, b) -> {
      if (a.length != b.length) {
        throw new IllegalArgumentException("sumArrays: arrays of lengths " + a.length + " and "
            + b.length + "; every rank must give an array of the same length");
      }
      double[] out = new double[a.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = a[i] + b[i];
      }
      return out;
    };
  }

  /**
   * {@return the larger of two comparable values ({@code MPI.MAX}); of equal ones, the lower
   * rank's}
   *
   * @param <T> the value type
   */
  static <T extends Comparable<? super T>> Op<T> max() {
    return (a, b) -> Comparator.<T>naturalOrder().compare(a, b) >= 0 ? a : b;
  }

  /**
   * {@return the smaller of two comparable values ({@code MPI.MIN}); of equal ones, the lower
   * rank's}
   *
   * @param <T> the value type
   */
  static <T extends Comparable<? super T>> Op<T> min() {
    return (a, b) -> Comparator.<T>naturalOrder().compare(a, b) <= 0 ? a : b;
  }
}
