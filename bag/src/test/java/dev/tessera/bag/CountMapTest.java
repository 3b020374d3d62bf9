package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CountMapTest {
  @Test
  void countsLikeAHashMapThroughGrowthMergesAndSerialization() throws Exception {
    Random r = new Random(12);
    Map<Object, Long> expected = new HashMap<>();
    CountMap a = new CountMap();
    CountMap b = new CountMap();
    for (int i = 0; i < 20_000; i++) {
      // colliding hash codes: "Aa" and "BB" hash alike
      Object k = switch (r.nextInt(5)) {
        case 0 -> null;
        case 1 -> r.nextBoolean() ? "Aa" : "BB";
        default -> "w" + r.nextInt(3000);
      };
      expected.merge(k, 1L, Long::sum);
      (i % 3 == 0 ? a : b).add(k, 1);
    }
    CountMap merged = a.copy();
    merged.addAll(b);
    assertEquals(expected, merged.toMap());
    assertEquals(expected.size(), merged.size());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(merged);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(expected, ((CountMap) in.readObject()).toMap());
    }
    // the copy is independent
    CountMap c = merged.copy();
    c.add("new", 5);
    assertEquals(expected.size(), merged.size());
  }
}
