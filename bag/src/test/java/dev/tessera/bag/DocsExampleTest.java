package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snippets of docs/bag.md and of Bag's javadoc, run as written (paths aside). */
class DocsExampleTest {
  @Test
  void readmeSnippet() throws Exception {
    Path logs = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "logs");
    Files.writeString(logs.resolve("a.txt"), "GET /a  200\nGET /b 404\n");
    Files.writeString(logs.resolve("b.txt"), "POST /a 201\nGET /a 200");
    List<Map.Entry<String, Long>> top = Bag.readText(logs + "/*.txt")
        .flatMap(line -> Arrays.asList(line.split("\\s+")))
        .filter(w -> !w.isEmpty())
        .frequencies()
        .topk(2, Map.Entry::getValue)
        .compute();
    assertEquals(java.util.Set.of("GET", "/a"), java.util.Set.of(top.get(0).getKey(),
        top.get(1).getKey()));
    assertEquals(3L, top.get(0).getValue());
    assertEquals(3L, top.get(1).getValue());
    // the javadoc's form: topk by a key function
    List<Map.Entry<String, Long>> top1 = Bag.readText(logs + "/*.txt")
        .flatMap(line -> Arrays.asList(line.split("\\s+")))
        .frequencies()
        .topk(1, Map.Entry::getValue)
        .compute();
    assertEquals(3L, top1.get(0).getValue());

    Bag<Long> xs = Bag.range(1_000_000, 8);
    double sd = xs.map(x -> x * 0.5).std().compute();
    assertEquals(Math.sqrt((1_000_000.0 * 1_000_000.0 - 1) / 12) * 0.5, sd, 1e-6);
    List<Long> firstFive = xs.filter(x -> x % 7 == 0).take(5);
    assertEquals(List.of(0L, 7L, 14L, 21L, 28L), firstFive);
  }
}
