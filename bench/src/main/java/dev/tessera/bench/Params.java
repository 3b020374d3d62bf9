package dev.tessera.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} parameters of one run, defaults filled in. */
public final class Params {
  private final Map<String, String> values;

  Params(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * Returns a parameter as a string.
   *
   * @param key the name
   * @return the value
   * @throws IllegalArgumentException if there is no such parameter
   */
  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no parameter '" + key + "'; known: " + values.keySet());
    }
    return v;
  }

  /**
   * Returns a parameter as an int.
   *
   * @param key the name
   * @return the value
   */
  public int getInt(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter " + key + "=" + get(key)
          + " is not a whole number");
    }
  }

  /** {@return every parameter, in order; unmodifiable} */
  public Map<String, String> asMap() {
    return values;
  }

  /** {@return the integers 0 to n - 1, the items of the map workloads} */
  static java.util.List<Integer> range(int n) {
    java.util.List<Integer> items = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(i);
    }
    return items;
  }
}
