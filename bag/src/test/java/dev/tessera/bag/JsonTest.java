package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
  @TempDir Path dir;

  static List<Object> records(int n, long seed) {
    Random r = new Random(seed);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", (long) i);
      m.put("x", r.nextGaussian());
      m.put("name", r.nextBoolean() ? "a\"b\\n\u00e9" : null);
      m.put("tags", Arrays.asList("t" + r.nextInt(3), 2L));
      m.put("ok", r.nextBoolean());
      out.add(m);
    }
    return out;
  }

  @Test
  void roundTripsOnManyBlockSizesAndPartitionings() throws IOException {
    List<Object> recs = records(500, 1);
    for (int parts : new int[] {1, 4, 9}) {
      Path out = dir.resolve("p" + parts);
      List<String> files = Bag.fromCollection(recs, parts).toJson(out.toString());
      assertEquals(parts, files.size());
      for (long bs : new long[] {0, 100, 4096, 1 << 20}) {
        Bag<Object> back = Bag.readJson(List.of(out.toString()), bs);
        assertEquals(recs, back.compute(Schedulers.sync()), "blocksize " + bs);
      }
    }
    // the same values as parsing each line directly, whatever the blocks
    Path one = dir.resolve("p1/part-0.jsonl");
    List<Object> direct = new ArrayList<>();
    for (String line : Files.readAllLines(one)) {
      direct.add(Json.parse(line));
    }
    assertEquals(direct, Bag.readJson(List.of(one.toString()), 37).compute());
  }

  @Test
  void valuesAsPlainJava() {
    assertEquals(Map.of("a", 1L, "b", 2.5, "c", List.of(true, "s")),
        Json.parse("{\"a\": 1, \"b\": 2.5, \"c\": [true, \"s\"]}"));
    assertEquals(1e300, Json.parse("1e300"));
    assertEquals(9.223372036854776E18 * 10, (Double) Json.parse("92233720368547758070"), 1e5);
    assertEquals("{\"x\":null}", Json.format(Map.of("x", Double.NaN)));
    assertEquals("[1,2.5,\"a\"]", Json.format(List.of(1L, 2.5, "a")));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} {\"b\": 2}"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{a: 1}"));
  }

  @Test
  void aBadLineNamesPartitionAndElement() throws IOException {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"a\": 1}\n\n{\"a\": 2}\n{\"a\": oops}\n");
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> Bag.readJson(f.toString()).compute(Schedulers.sync()));
    BagElementException be = assertInstanceOf(BagElementException.class, e.getCause());
    assertTrue(be.getMessage().contains("partition 0")
        && be.getMessage().contains("oops"), be.getMessage());
  }
}
