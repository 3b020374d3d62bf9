package dev.tessera.frame;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;

/**
 * Numeric Tablesaw columns over arrays this package has just filled, without a copy.
 * Tablesaw's public factories ({@code DoubleColumn.create(name, double[])}) copy the array, and
 * at a million rows and more every such array is a G1 humongous object: in W11 those copies
 * were an eighth of all bytes allocated, and each started a GC pause. The columns' own
 * constructors take the list as it is, so this wraps the array in a fastutil list and calls
 * them (they are not public; on the class path, where Tablesaw lives, reflection reaches them).
 * Where it cannot, it falls back to the copying factories. The caller gives up the array: it
 * must not write to it afterwards. An array with more than an eighth of slack past {@code n} is
 * trimmed first, so a column kept for long does not hold unused memory.
 */
final class Wrap {
  private Wrap() {}

  private static final MethodHandle DOUBLES = constructor(DoubleColumn.class, DoubleArrayList.class);
  private static final MethodHandle LONGS = constructor(LongColumn.class, LongArrayList.class);
  private static final MethodHandle INTS = constructor(IntColumn.class, IntArrayList.class);

  private static MethodHandle constructor(Class<?> column, Class<?> list) {
    try {
      MethodHandles.Lookup in = MethodHandles.privateLookupIn(column, MethodHandles.lookup());
      return in.findConstructor(column, MethodType.methodType(void.class, String.class, list));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // a Tablesaw without this constructor, or a module that does not open it
    }
  }

  private static Object make(MethodHandle constructor, String name, Object list) {
    try {
      return constructor.invoke(name, list);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Tablesaw's column constructor failed", e);
    }
  }

  /** {@return whether all three columns are made without a copy (false: Tablesaw changed)} */
  static boolean direct() {
    return DOUBLES != null && LONGS != null && INTS != null;
  }

  private static boolean trim(int length, int n) {
    return length - n > n / 8;
  }

  /** A double column of the first {@code n} values of {@code v}. */
  static DoubleColumn doubles(String name, double[] v, int n) {
    if (trim(v.length, n)) {
      v = Arrays.copyOf(v, n);
    }
    if (DOUBLES != null) {
      return (DoubleColumn) make(DOUBLES, name, DoubleArrayList.wrap(v, n));
    }
    return DoubleColumn.create(name, n == v.length ? v : Arrays.copyOf(v, n));
  }

  /** A double column of all of {@code v}. */
  static DoubleColumn doubles(String name, double[] v) {
    return doubles(name, v, v.length);
  }

  /** A long column of the first {@code n} values of {@code v}. */
  static LongColumn longs(String name, long[] v, int n) {
    if (trim(v.length, n)) {
      v = Arrays.copyOf(v, n);
    }
    if (LONGS != null) {
      return (LongColumn) make(LONGS, name, LongArrayList.wrap(v, n));
    }
    return LongColumn.create(name, n == v.length ? v : Arrays.copyOf(v, n));
  }

  /** A long column of all of {@code v}. */
  static LongColumn longs(String name, long[] v) {
    return longs(name, v, v.length);
  }

  /** An int column of the first {@code n} values of {@code v}. */
  static IntColumn ints(String name, int[] v, int n) {
    if (trim(v.length, n)) {
      v = Arrays.copyOf(v, n);
    }
    if (INTS != null) {
      return (IntColumn) make(INTS, name, IntArrayList.wrap(v, n));
    }
    return IntColumn.create(name, n == v.length ? v : Arrays.copyOf(v, n));
  }

  /** An int column of all of {@code v}. */
  static IntColumn ints(String name, int[] v) {
    return ints(name, v, v.length);
  }
}
