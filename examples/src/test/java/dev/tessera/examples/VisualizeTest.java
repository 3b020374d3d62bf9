package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.bag.Bag;
import dev.tessera.diagnostics.GraphOptions;
import dev.tessera.frame.Frame;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Lazy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/** {@code x.visualize(path)} on every kind of collection, as Dask users type it. */
class VisualizeTest {
  private static final Path OUT = Path.of("target", "visualize-test");

  @Test
  void everyCollectionDrawsItself() throws Exception {
    Array a = Array.ones(new long[] {6, 4}, Chunks.of(3, 2), DType.FLOAT64).add(1).sum(0);
    Frame f = Frame.fromTable(Table.create("t", DoubleColumn.create("x", 1, 2, 3, 4)), 2)
        .select("x");
    Bag<Long> b = Bag.range(10, 3).map(x -> x * 2);
    Delayed<Integer> d = Delayed.call(Integer::sum, Delayed.value(1), Delayed.value(2));
    for (Lazy<?> x : List.<Lazy<?>>of(a, f, b, d)) {
      String name = x.getClass().getSimpleName().toLowerCase();
      Path dot = x.visualize(OUT.resolve(name + ".dot"));
      String text = Files.readString(dot);
      assertTrue(text.startsWith("digraph"), text);
      Path ordered = x.visualize(OUT.resolve(name + "-ordered.dot"),
          GraphOptions.defaults().colorByOrder().leftToRight());
      assertTrue(Files.readString(ordered).contains("\"rankdir\"=\"LR\""));
      assertTrue(Files.readString(ordered).contains("runs first"));
    }
    // the layer view shows what each array looks like, as Dask's high-level graph does
    String layers = Files.readString(Array.ones(new long[] {6, 4}, Chunks.of(4, 3), DType.FLOAT32)
        .mul(2).visualize(OUT.resolve("layers.dot"),
            GraphOptions.defaults().view(GraphOptions.View.LAYERS)));
    assertTrue(layers.contains("shape (6, 4)") && layers.contains("chunksize (4, 3)")
        && layers.contains("dtype float32") && layers.contains("4 tasks"), layers);
    Path svg = a.visualize(OUT.resolve("array.svg"));
    assertEquals(svg, OUT.resolve("array.svg"));
    assertTrue(Files.readString(svg).contains("<svg"));
  }
}
