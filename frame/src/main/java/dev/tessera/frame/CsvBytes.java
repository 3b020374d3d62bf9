package dev.tessera.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans of CSV bytes eight at a time (SWAR: a long holds eight bytes, and a few integer
 * operations mark the ones equal to a given byte): the end of a field while parsing, and the
 * line breaks of a split (with any quote) for a sort's sample, where a loop over single bytes
 * spent a sixth of W12's time.
 */
final class CsvBytes {
  private CsvBytes() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long NEWLINES = ONES * '\n';
  private static final long QUOTES = ONES * '"';

  /** {@return the eight-byte mask of a separator, for {@link #fieldEnd}} */
  static long mask(byte sep) {
    return ONES * (sep & 0xff);
  }

  /**
   * Returns the position of the first separator or line break at or after {@code p} (or
   * {@code n}). Eight bytes at a time: a byte equal to the separator becomes zero after an
   * exclusive or, and {@code (x - 0x01..) & ~x & 0x80..} marks zero bytes; the lowest mark
   * (little-endian: the first byte) is exact, later ones may be false and are never used.
   */
  static int fieldEnd(byte[] b, int p, int n, long sepMask) {
    while (p + 8 <= n) {
      long w = (long) LONGS.get(b, p);
      long x = w ^ sepMask;
      long y = w ^ NEWLINES;
      long t = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS;
      if (t != 0) {
        return p + (Long.numberOfTrailingZeros(t) >>> 3);
      }
      p += 8;
    }
    byte sep = (byte) sepMask;
    while (p < n && b[p] != sep && b[p] != '\n') {
      p++;
    }
    return p;
  }

  /** The high bit of each byte of {@code w} that is zero, and of no other: exact. */
  private static long zeros(long w) {
    return ~(((w & LOW7) + LOW7) | w | LOW7);
  }

  /** The number of '\n' in {@code b[from, to)}, or -1 if a '"' is among them. */
  static long lineBreaks(byte[] b, int from, int to) {
    long n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONGS.get(b, i);
      if (zeros(w ^ QUOTES) != 0) {
        return -1;
      }
      n += Long.bitCount(zeros(w ^ NEWLINES));
    }
    for (; i < to; i++) {
      if (b[i] == '"') {
        return -1;
      }
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
