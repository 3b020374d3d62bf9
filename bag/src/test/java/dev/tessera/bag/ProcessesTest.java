package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessesAndThreads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bags give the same results on worker processes as on the threaded scheduler. */
class ProcessesTest {
  @RegisterExtension static final ProcessesAndThreads BOTH = new ProcessesAndThreads();

  private static void same(Lazy<?>... collections) {
    BOTH.assertSame(collections);
  }

  static int keyOf(int x) {
    return Math.floorMod(x, 7);
  }

  @Test
  void transformationsAndReductions() {
    for (Bag<Integer> b : Partitionings.of(Partitionings.ints(300, 11))) {
      Bag<Integer> squares = b.map(x -> x * x).filter(x -> x % 3 != 0);
      same(squares, squares.count(), b.sum(), b.min(), b.max(), b.mean(), b.std(),
          b.distinct().count(), b.topk(5, Comparator.naturalOrder()),
          b.any(x -> x > 90), b.all(x -> x > -200));
      same(b.frequencies().topk(3, Map.Entry.comparingByValue()),
          b.foldby(ProcessesTest::keyOf, Integer::sum, 0, Integer::sum),
          b.groupby(ProcessesTest::keyOf).map(e -> Map.entry(e.getKey(), e.getValue().size())));
      same(b.repartition(4), b.zip(b.map(x -> -x)).map(e -> e.getKey() + e.getValue()));
    }
  }

  @Test
  void wordCountOverTextFiles() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bagp");
    List<String> words = Partitionings.words(5000, 5);
    for (int f = 0; f < 3; f++) {
      List<String> lines = new ArrayList<>();
      for (int i = f * 1000; i < (f + 1) * 1000; i += 10) {
        lines.add(String.join(" ", words.subList(i, i + 10)));
      }
      Files.write(dir.resolve("part-" + f + ".txt"), lines, StandardCharsets.UTF_8);
    }
    Bag<String> text = Bag.readText(List.of(dir + "/*.txt"), 2000, StandardCharsets.UTF_8);
    Delayed<List<Map.Entry<String, Long>>> top = text
        .flatMap(line -> List.of(line.split(" ")))
        .frequencies()
        .topk(5, Map.Entry.comparingByValue());
    same(top, text.count());
  }

  /** The scheduler used above is the processes one (a sanity check of the test itself). */
  @Test
  void runsInOtherProcesses() {
    Scheduler s = BOTH.processes();
    List<Long> pids = Bag.range(20, 4).map(i -> ProcessHandle.current().pid()).distinct()
        .compute(s);
    assertEquals(false, pids.contains(ProcessHandle.current().pid()));
  }
}
