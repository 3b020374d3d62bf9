package dev.tessera.frame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Column names from a CSV header line, made as pandas' {@code read_csv} makes them: an empty
 * name at position {@code i} becomes {@code Unnamed: i} (pandas' {@code to_csv} writes the
 * index under an empty name), and a repeated name {@code a} becomes {@code a.1}, {@code a.2},
 * ... (skipping names already taken), so every column has a distinct, non-empty name.
 */
final class PandasHeader {
  private PandasHeader() {}

  static List<String> names(List<String> raw) {
    List<String> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      String n = raw.get(i);
      out.add(n.isEmpty() ? "Unnamed: " + i : n);
    }
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < out.size(); i++) {
      String n = out.get(i);
      if (!taken.add(n)) {
        int k = 1;
        while (taken.contains(n + "." + k) || out.subList(i + 1, out.size()).contains(n + "."
            + k)) {
          k++;
        }
        out.set(i, n + "." + k);
        taken.add(n + "." + k);
      }
    }
    return out;
  }
}
