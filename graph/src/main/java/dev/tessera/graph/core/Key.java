package dev.tessera.graph.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The name of one task's result: a string name plus an optional block index, like Dask's
 * {@code ("add-3f2a...", 0, 1)}.
 *
 * <p>Names have the form {@code prefix-token}, where the token is a deterministic hash of the
 * operation and its inputs (see {@link Tokens}), so the same expression built twice gives equal
 * keys. Keys are immutable, cheap to hash and totally ordered (by name, then index).
 *
 * <pre>{@code
 * Key k = Key.of("sum-1f0c2a", 2, 0);   // prints as ('sum-1f0c2a', 2, 0)
 * }</pre>
 */
public final class Key implements Serializable, Comparable<Key> {
  private static final long serialVersionUID = 1L;
  private static final int[] SCALAR = new int[0];

  private final String name;
  private final int[] index;
  private final int hash;

  private Key(String name, int[] index) {
    this.name = name;
    this.index = index;
    this.hash = hash(name, index);
  }

  /**
   * Mixes the name and every index entry with a large odd multiplier, then scrambles the bits.
   * The obvious {@code 31 * h + i} maps blocks (i, j) and (i - 1, j + 31) of one array to the
   * same hash, so a 200 x 200 grid had ~7,000 distinct hashes for 40,000 keys and every hash
   * map of a large graph spent its time in {@link #equals}.
   */
  private static int hash(String name, int[] index) {
    int h = name.hashCode();
    for (int i : index) {
      h = h * 0x9E3779B1 + i;
    }
    h ^= h >>> 16;   // murmur3's finalizer: every input bit reaches the low bits buckets use
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /**
   * Returns the key {@code (name, index...)}.
   *
   * @param name the collection or task name, not empty
   * @param index the block index, one entry per axis; none for a scalar key
   * @return the key
   * @throws IllegalArgumentException if the name is empty or an index is negative
   */
  public static Key of(String name, int... index) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a key needs a non-empty name");
    }
    for (int i : index) {
      if (i < 0) {
        throw new IllegalArgumentException(
            "key " + name + " has negative block index " + Arrays.toString(index));
      }
    }
    return new Key(name, index.length == 0 ? SCALAR : index.clone());
  }

  /** {@return the name, for example {@code add-3f2a9c...}} */
  public String name() {
    return name;
  }

  /** {@return the number of index entries (0 for a scalar key)} */
  public int rank() {
    return index.length;
  }

  /**
   * Returns one index entry.
   *
   * @param axis which entry, from 0 to {@code rank() - 1}
   * @return the block index along that axis
   */
  public int index(int axis) {
    return index[axis];
  }

  /** {@return a copy of the block index} */
  public int[] indices() {
    return index.clone();
  }

  /**
   * {@return the name without its token: {@code add} for {@code add-3f2a9c...}} Diagnostics group
   * tasks by this prefix; it is the operation or collection a user recognises.
   */
  public String prefix() {
    return prefixOf(name);
  }

  static String prefixOf(String name) {
    int dash = name.lastIndexOf('-');
    if (dash <= 0 || name.length() - dash - 1 < 8) {
      return name;
    }
    for (int i = dash + 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return name;
      }
    }
    return name.substring(0, dash);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Key k && hash == k.hash && name.equals(k.name)
        && Arrays.equals(index, k.index);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Key o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Arrays.compare(index, o.index);
  }

  /** Returns {@code 'name'} for a scalar key and {@code ('name', i, j)} otherwise. */
  @Override
  public String toString() {
    if (index.length == 0) {
      return "'" + name + "'";
    }
    StringBuilder sb = new StringBuilder("('").append(name).append('\'');
    for (int i : index) {
      sb.append(", ").append(i);
    }
    return sb.append(')').toString();
  }
}
