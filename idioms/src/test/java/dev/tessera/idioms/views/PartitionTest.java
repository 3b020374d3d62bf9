package dev.tessera.idioms.views;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTest {
  static List<Integer> sizes(int n, int q) {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < q; p++) {
      out.add(Partition.high(n, p, q) - Partition.low(n, p, q));
    }
    return out;
  }

  @Test
  void splitsAsIpyparallelDoes() {
    assertEquals(List.of(3, 3, 2, 2), sizes(10, 4));
    assertEquals(List.of(6, 6, 6, 6), sizes(24, 4));
    assertEquals(List.of(1, 1, 0, 0), sizes(2, 4));
    assertEquals(List.of(0, 0, 0), sizes(0, 3));
    assertEquals(List.of(7), sizes(7, 1));
    assertEquals(List.of(1250, 1250, 1250, 1250, 1250, 1250, 1250, 1250), sizes(10_000, 8));
  }

  @Test
  void piecesAreContiguousAndCoverEverything() {
    for (int n = 0; n < 40; n++) {
      for (int q = 1; q < 9; q++) {
        int expected = 0;
        for (int p = 0; p < q; p++) {
          assertEquals(expected, Partition.low(n, p, q), n + " on " + q);
          expected = Partition.high(n, p, q);
          int size = expected - Partition.low(n, p, q);
          // balanced: sizes differ by at most one, larger first
          assertEquals(n / q + (p < n % q ? 1 : 0), size);
        }
        assertEquals(n, expected);
      }
    }
  }
}
