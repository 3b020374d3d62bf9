package dev.tessera.graph.core;

/**
 * Keys to positions, for {@link GraphIndex}: open addressing with linear probing over two
 * arrays. A {@code HashMap<Key, Integer>} costs a node and a boxed position per key; indexing
 * W1c's 162,686 tasks that way allocated ~150 MB and its young collections took longer than
 * the hashing. {@link Key}'s hash is already well mixed, so the low bits serve as the slot.
 * Only grows; written by one thread while the index is built, read-only afterwards.
 */
final class KeyPositions {
  private Key[] keys;
  private int[] positions;
  private int size;

  KeyPositions(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
    keys = new Key[cap];
    positions = new int[cap];
  }

  /** {@return the position of {@code k}, or -1} */
  int get(Key k) {
    Key[] ks = keys;
    int mask = ks.length - 1;
    for (int s = k.hashCode() & mask; ; s = (s + 1) & mask) {
      Key x = ks[s];
      if (x == null) {
        return -1;
      }
      if (x == k || x.equals(k)) {
        return positions[s];
      }
    }
  }

  /**
   * Maps {@code k} to {@code position} unless it is there.
   *
   * @return the position it had, or -1 if it was not there
   */
  int putIfAbsent(Key k, int position) {
    int mask = keys.length - 1;
    for (int s = k.hashCode() & mask; ; s = (s + 1) & mask) {
      Key x = keys[s];
      if (x == null) {
        keys[s] = k;
        positions[s] = position;
        if (++size * 2 > keys.length) {
          grow();
        }
        return -1;
      }
      if (x == k || x.equals(k)) {
        return positions[s];
      }
    }
  }

  private void grow() {
    Key[] oldKeys = keys;
    int[] oldPositions = positions;
    keys = new Key[oldKeys.length * 2];
    positions = new int[keys.length];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      Key k = oldKeys[i];
      if (k != null) {
        int s = k.hashCode() & mask;
        while (keys[s] != null) {
          s = (s + 1) & mask;
        }
        keys[s] = k;
        positions[s] = oldPositions[i];
      }
    }
  }
}
