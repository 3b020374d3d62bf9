package dev.tessera.frame;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * What the CSV reader needs to know about every file of one input: separator, header (every
 * file has it, once, as its first line) and the strings that mean "missing". Serializable, it
 * travels inside the read tasks.
 */
final class CsvFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  final byte separator;
  final List<String> header;
  final Set<String> missing;
  final Set<String> given; // the columns whose type was given, not inferred (for messages)
  // built on first use in each JVM; one immutable object, so threads that race to build it
  // each see a complete one
  private transient volatile Missing cache;

  /**
   * The missing-value strings as bytes, grouped by length, and which first bytes they start
   * with: most fields (numbers, names) are turned down by length or first byte at once.
   */
  record Missing(byte[][][] byLength, boolean[] first, boolean empty) {
    boolean matches(byte[] b, int off, int len) {
      if (len == 0) {
        return empty;
      }
      if (len >= byLength.length || !first[b[off] & 0xff]) {
        return false;
      }
      outer:
      for (byte[] x : byLength[len]) {
        for (int i = 1; i < len; i++) {
          if (x[i] != b[off + i]) {
            continue outer;
          }
        }
        if (x[0] == b[off]) {
          return true;
        }
      }
      return false;
    }
  }

  CsvFormat(char separator, List<String> header, Set<String> missing) {
    this(separator, header, missing, Set.of());
  }

  CsvFormat(char separator, List<String> header, Set<String> missing, Set<String> given) {
    this.separator = (byte) separator;
    this.header = List.copyOf(header);
    this.missing = Set.copyOf(missing);
    this.given = Set.copyOf(given);
  }

  /** Returns whether the bytes are one of the missing-value strings. */
  boolean isMissing(byte[] b, int off, int len) {
    return missing().matches(b, off, len);
  }

  /** The matcher of missing values: readers keep it, so each field costs no volatile read. */
  Missing missing() {
    Missing c = cache;
    if (c == null) {
      c = build();
      cache = c;
    }
    return c;
  }

  private Missing build() {
    List<byte[]> all = missing.stream().map(x -> x.getBytes(StandardCharsets.UTF_8)).toList();
    int max = 0;
    for (byte[] x : all) {
      max = Math.max(max, x.length);
    }
    byte[][][] byLength = new byte[max + 1][][];
    for (int n = 0; n <= max; n++) {
      final int len = n;
      byLength[n] = all.stream().filter(x -> x.length == len).toArray(byte[][]::new);
    }
    boolean[] first = new boolean[256];
    for (byte[] x : all) {
      if (x.length > 0) {
        first[x[0] & 0xff] = true;
      }
    }
    return new Missing(byLength, first, missing.contains(""));
  }
}
