package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.schedulers.Schedulers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every task of every kind of bag graph can be shipped to another JVM, and still runs. */
class SerializationTest {
  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void everyTaskSerializesAndTheGraphRunsAfterwards() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ser");
    Path f = dir.resolve("a.txt");
    Files.writeString(f, "x y z\ny z\nz\n");
    Bag<String> words = Bag.readText(List.of(f.toString()), 4,
        java.nio.charset.StandardCharsets.UTF_8).flatMap(l -> Arrays.asList(l.split(" ")));
    Bag<Integer> nums = Bag.fromCollection(List.of(3, 1, 4, 1, 5, 9, 2, 6), 3);
    List<Lazy<?>> all = new ArrayList<>(List.of(
        words, words.frequencies(), words.distinct(), words.topk(2, w -> w),
        nums.map(x -> x * 2).filter(x -> x > 2), nums.sum(), nums.std(), nums.min(),
        nums.fold(0, Integer::sum, Integer::sum), nums.groupby(x -> x % 2),
        nums.foldby(x -> x % 2, (Integer a, Integer x) -> a + x, 0, Integer::sum),
        nums.zip(nums.map(x -> -x)), nums.repartition(5), nums.mapPartitions(p -> p),
        Bag.range(10, 3).any(x -> x > 8), nums.textFiles(dir.resolve("o-*.txt").toString())));
    for (Lazy<?> c : all) {
      TaskGraph g = c.graph();
      for (Task t : g.tasks().values()) {
        roundTrip(t);
      }
      TaskGraph copy = roundTrip(g);
      assertEquals(g.size(), copy.size());
      Object direct = c.compute(Schedulers.sync());
      Object shipped = c.withGraph(copy).compute(Schedulers.sync());
      assertEquals(String.valueOf(direct), String.valueOf(shipped), c.toString());
    }
    Map<String, Long> freq = new java.util.HashMap<>();
    words.frequencies().compute(Schedulers.sync()).forEach(e -> freq.put(e.getKey(),
        e.getValue()));
    assertEquals(Map.of("x", 1L, "y", 2L, "z", 3L), freq);
  }
}
