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

  private record Missing(byte[][] bytes, int max) {}

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
    if (len == 0) {
      return missing.contains("");
    }
    Missing c = cache;
    if (c == null) {
      byte[][] m = missing.stream().map(x -> x.getBytes(StandardCharsets.UTF_8))
          .toArray(byte[][]::new);
      int max = 0;
      for (byte[] x : m) {
        max = Math.max(max, x.length);
      }
      c = new Missing(m, max);
      cache = c;
    }
    if (len > c.max()) {
      return false;
    }
    byte[][] m = c.bytes();
    outer:
    for (byte[] x : m) {
      if (x.length != len) {
        continue;
      }
      for (int i = 0; i < len; i++) {
        if (x[i] != b[off + i]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
