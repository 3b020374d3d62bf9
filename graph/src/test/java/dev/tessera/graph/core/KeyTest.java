package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyTest {
  @Test
  void equalityHashingAndOrder() {
    Key a = Key.of("x-0123456789abcdef", 1, 2);
    assertEquals(a, Key.of("x-0123456789abcdef", 1, 2));
    assertEquals(a.hashCode(), Key.of("x-0123456789abcdef", 1, 2).hashCode());
    assertNotEquals(a, Key.of("x-0123456789abcdef", 2, 1));
    assertNotEquals(Key.of("x"), Key.of("x", 0));
    assertTrue(Key.of("a", 5).compareTo(Key.of("b", 0)) < 0);
    assertTrue(Key.of("a", 1).compareTo(Key.of("a", 1, 0)) < 0);
    assertTrue(Key.of("a", 2).compareTo(Key.of("a", 10)) < 0);
  }

  @Test
  void printsLikeDask() {
    assertEquals("('sum-ab', 2, 0)", Key.of("sum-ab", 2, 0).toString());
    assertEquals("'total'", Key.of("total").toString());
  }

  @Test
  void prefixDropsTheToken() {
    assertEquals("add", Key.of("add-3f2a9c0d1e2f3a4b").prefix());
    assertEquals("random-normal", Key.of("random-normal-3f2a9c0d1e2f3a4b").prefix());
    assertEquals("x-y", Key.of("x-y").prefix());
    assertEquals("plain", Key.of("plain").prefix());
  }

  @Test
  void indicesAreCopies() {
    int[] idx = {1, 2};
    Key k = Key.of("a", idx);
    idx[0] = 9;
    assertEquals(1, k.index(0));
    k.indices()[1] = 7;
    assertEquals(2, k.index(1));
    assertEquals(2, k.rank());
  }

  @Test
  void badKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Key.of(""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Key.of("a", 0, -1));
    assertTrue(e.getMessage().contains("negative"), e.getMessage());
  }
}
