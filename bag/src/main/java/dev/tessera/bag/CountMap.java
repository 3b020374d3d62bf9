package dev.tessera.bag;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts of distinct objects: the accumulator of {@link Bag#frequencies()}. An open-addressing
 * table with the keys' hash codes, keys and counts in three parallel arrays, so that a lookup
 * touches the hash array first and a key only when the hashes match (a {@code HashMap} follows
 * a node, a key and a boxed count per lookup; this is about twice as fast on word counts).
 * Not thread-safe; one per partition.
 */
final class CountMap implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient int[] hashes;
  private transient Object[] keys;
  private transient long[] counts;
  // slot in use: keys[i] != null or nullCount for the null key
  private transient int size;
  private transient long nullCount = -1;

  CountMap() {
    allocate(1024);
  }

  private void allocate(int capacity) {
    hashes = new int[capacity];
    keys = new Object[capacity];
    counts = new long[capacity];
  }

  /** Adds {@code n} to the count of {@code key}. */
  void add(Object key, long n) {
    if (key == null) {
      nullCount = (nullCount < 0 ? 0 : nullCount) + n;
      return;
    }
    int h = spread(key.hashCode());
    int mask = keys.length - 1;
    int i = h & mask;
    while (true) {
      Object k = keys[i];
      if (k == null) {
        hashes[i] = h;
        keys[i] = key;
        counts[i] = n;
        if (++size * 2 > keys.length) {
          grow();
        }
        return;
      }
      if (hashes[i] == h && (k == key || k.equals(key))) {
        counts[i] += n;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private void grow() {
    int[] oh = hashes;
    Object[] ok = keys;
    long[] oc = counts;
    allocate(ok.length * 2);
    int mask = keys.length - 1;
    for (int j = 0; j < ok.length; j++) {
      if (ok[j] != null) {
        int i = oh[j] & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        hashes[i] = oh[j];
        keys[i] = ok[j];
        counts[i] = oc[j];
      }
    }
  }

  /** Returns the number of distinct keys. */
  int size() {
    return size + (nullCount >= 0 ? 1 : 0);
  }

  /** Adds every count of {@code other} to this map. */
  void addAll(CountMap other) {
    for (int j = 0; j < other.keys.length; j++) {
      if (other.keys[j] != null) {
        add(other.keys[j], other.counts[j]);
      }
    }
    if (other.nullCount >= 0) {
      add(null, other.nullCount);
    }
  }

  /** Returns a copy. */
  CountMap copy() {
    CountMap c = new CountMap();
    c.hashes = hashes.clone();
    c.keys = keys.clone();
    c.counts = counts.clone();
    c.size = size;
    c.nullCount = nullCount;
    return c;
  }

  /** Returns (key, count) entries, in table order. */
  List<Object> entries() {
    List<Object> out = new ArrayList<>(size());
    for (int j = 0; j < keys.length; j++) {
      if (keys[j] != null) {
        out.add(new SimpleImmutableEntry<>(keys[j], counts[j]));
      }
    }
    if (nullCount >= 0) {
      out.add(new SimpleImmutableEntry<>(null, nullCount));
    }
    return out;
  }

  /** Returns the counts as a map, for tests and messages. */
  Map<Object, Long> toMap() {
    Map<Object, Long> m = new java.util.HashMap<>();
    for (Object o : entries()) {
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
      m.put(e.getKey(), (Long) e.getValue());
    }
    return m;
  }

  // serialized compactly: the entries only (hash codes are recomputed in the reading JVM,
  // where identity-hashed keys would differ anyway)
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(size());
    for (Object o : entries()) {
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
      out.writeObject(e.getKey());
      out.writeLong((Long) e.getValue());
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    allocate(1024);
    nullCount = -1;
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      Object k = in.readObject();
      add(k, in.readLong());
    }
  }

  @Override
  public String toString() {
    return "CountMap(" + size() + " keys)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CountMap c && toMap().equals(c.toMap());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toMap());
  }
}
