package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvBytesTest {
  static long direct(byte[] b, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == '"') {
        return -1;
      }
      n += b[i] == '\n' ? 1 : 0;
    }
    return n;
  }

  @Test
  void countsLikeAByteLoopAtEveryOffsetAndLength() {
    SplittableRandom r = new SplittableRandom(12);
    // bytes near the ones counted (\n = 10, " = 34) and with the high bit set, where a SWAR
    // trick that borrows across bytes would go wrong
    byte[] alphabet = {'\n', '"', 'a', ',', 0, 9, 11, 33, 35, (byte) 0x80, (byte) 0x8A,
        (byte) 0xA2, (byte) 0xFF, 1, 127};
    for (int trial = 0; trial < 5000; trial++) {
      int len = trial < 100 ? trial : r.nextInt(4000);
      byte[] b = new byte[len];
      boolean quotes = trial % 3 == 0;
      for (int i = 0; i < len; i++) {
        byte c = alphabet[r.nextInt(alphabet.length)];
        b[i] = !quotes && c == '"' ? (byte) 'q' : c;
      }
      int from = len == 0 ? 0 : r.nextInt(len + 1);
      int to = from + (len == from ? 0 : r.nextInt(len - from + 1));
      assertEquals(direct(b, from, to), CsvBytes.lineBreaks(b, from, to),
          "trial " + trial + " [" + from + ", " + to + ") of " + len);
    }
  }

  @Test
  void aQuoteAnywhereIsFound() {
    for (int len = 1; len < 40; len++) {
      for (int q = 0; q < len; q++) {
        byte[] b = new byte[len];
        java.util.Arrays.fill(b, (byte) '\n');
        b[q] = '"';
        assertEquals(-1, CsvBytes.lineBreaks(b, 0, len), len + " " + q);
        assertEquals(q, CsvBytes.lineBreaks(b, 0, q)); // the quote just past the end is not read
      }
    }
  }
}
