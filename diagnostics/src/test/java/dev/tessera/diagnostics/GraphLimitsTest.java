package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.core.Key;
import guru.nidi.graphviz.engine.GraphvizException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pictures that stay readable: size limits, the fallback to layers, failures explained. */
class GraphLimitsTest {
  private static final Path OUT = Path.of("target", "graph-limits-test");

  @BeforeAll
  static void forceV8() {
    assertEquals("v8", Engines.use(Engines.Choice.V8));
  }

  @Test
  void aPictureOfTooManyTasksDrawsLayersAndSaysSo() throws Exception {
    Blocks b = Blocks.of(600, 1); // 1,201 tasks in 3 layers
    GraphOptions tasks = GraphOptions.defaults().view(GraphOptions.View.TASKS);
    GraphRenderer.Drawing d = GraphRenderer.draw(b, tasks, true);
    assertTrue(d.layers());
    assertEquals(3, d.graph().nodes().size());
    assertTrue(d.note().startsWith("1,201 tasks, drawn as 3 layers"), d.note());
    assertTrue(d.note().contains("GraphOptions.renderLimit"), d.note());
    // DOT text keeps every task; a higher limit draws them
    assertNull(GraphRenderer.draw(b, tasks, false).note());
    assertEquals(1201, GraphRenderer.draw(b, tasks, false).graph().nodes().size());
    assertFalse(GraphRenderer.draw(b, tasks.renderLimit(2000), true).layers());
    assertTrue(GraphRenderer.draw(Blocks.of(30, 1), tasks.renderLimit(10), true).layers());
    // the note is in the picture
    Path svg = Diagnostics.render(b, OUT.resolve("fallback.svg"), tasks);
    String text = String.join(" ", GraphRenderTest.svgTexts(svg));
    assertTrue(text.contains("1,201 tasks, drawn as 3 layers"), text);
  }

  @Test
  void picturesAreCappedInSize() {
    String dot = GraphRenderer.draw(Blocks.of(3, 1), GraphOptions.defaults(), true).graph()
        .toString();
    double inches = GraphOptions.MAX_SIZE / 72.0;
    assertTrue(dot.contains("\"size\"=\"" + inches + "," + inches + "\""), dot);
    assertFalse(Diagnostics.dot(Blocks.of(3, 1), GraphOptions.defaults()).contains("size="));
  }

  @Test
  void colouringByOrderDrawsALegend() throws Exception {
    String dot = Diagnostics.dot(Blocks.of(3, 1), GraphOptions.defaults().colorByOrder());
    assertTrue(dot.contains("runs first") && dot.contains("runs last")
        && dot.contains("not needed"), dot);
    assertFalse(Diagnostics.dot(Blocks.of(3, 1), GraphOptions.defaults()).contains("runs first"));
    Path svg = Diagnostics.render(Blocks.of(3, 1), OUT.resolve("legend.svg"),
        GraphOptions.defaults().colorByOrder());
    assertTrue(GraphRenderTest.svgTexts(svg).contains("runs first"));
  }

  @Test
  void numbersFollowTheOrderTheCallsWereMade() {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(Delayed.call(GraphRenderTest::inc, Delayed.value(i)));
    }
    Delayed<Integer> sum = Delayed.call(l -> l.stream().mapToInt(x -> x).sum(),
        Delayed.list(items));
    Map<Key, String> labels = GraphRenderer.labels(sum.graph());
    for (int i = 0; i < items.size(); i++) {
      assertEquals("inc #" + i, labels.get(items.get(i).key()), "call " + i);
    }
  }

  @Test
  void aFailedLayoutSaysWhatWasDrawnAndWhatToTry() {
    GraphRenderer.Drawing d = GraphRenderer.draw(Blocks.of(3, 1),
        GraphOptions.defaults().view(GraphOptions.View.TASKS), true);
    IllegalStateException e = Diagnostics.renderFailed(Path.of("g.svg"), d, 7, "v8",
        GraphOptions.defaults(), new GraphvizException(""));
    String m = e.getMessage();
    assertTrue(m.startsWith("cannot draw g.svg: laying out 7 nodes (one per task of 7 tasks)"
        + " with v8 failed: GraphvizException without a message"), m);
    assertTrue(m.contains("GraphOptions.view(View.LAYERS)") && m.contains("renderLimit")
        && m.contains(".dot"), m);
    String dot = Diagnostics.renderFailed(Path.of("g.png"), d, 7, "dot",
        GraphOptions.defaults().timeout(Duration.ofSeconds(5)),
        new GraphvizException("timeout")).getMessage();
    assertTrue(dot.contains("GraphvizException: timeout") && dot.contains(
        "raise GraphOptions.timeout (now 5 s)"), dot);
  }

  @Test
  void optionsRejectNonsense() {
    assertThrows(IllegalArgumentException.class,
        () -> GraphOptions.defaults().timeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> GraphOptions.defaults().renderLimit(0));
    assertTrue(GraphOptions.defaults().timeout(Duration.ofSeconds(3)).toString()
        .contains("timeout=PT3S"));
  }
}
