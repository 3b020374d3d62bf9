package dev.tessera.bag;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Map;

/** Serializable (key, value) pairs: {@code Map.entry} is not serializable. */
final class Entries {
  private Entries() {}

  static <K, V> Map.Entry<K, V> of(K key, V value) {
    return new SimpleImmutableEntry<>(key, value);
  }
}
