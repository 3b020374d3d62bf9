package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.TaskGraph;
import guru.nidi.graphviz.model.MutableGraph;
import guru.nidi.graphviz.parse.Parser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class GraphRenderTest {
  private static final Path OUT = Path.of("target", "render-test");

  @BeforeAll
  static void forceV8() {
    // the machine and CI have no system dot; force V8 anyway, so this holds where dot exists
    assertEquals("v8", Engines.use(Engines.Choice.V8));
  }

  static int inc(int x) {
    return x + 1;
  }

  static Delayed<Integer> delayedSum(int n) {
    List<Delayed<Integer>> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(Delayed.call(GraphRenderTest::inc, Delayed.value(i)));
    }
    return Delayed.call(l -> l.stream().mapToInt(x -> x).sum(), Delayed.list(items));
  }

  /** Every text node of an SVG: labels and titles, entities resolved. */
  static Set<String> svgTexts(Path svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(svg.toFile());
    assertEquals("svg", doc.getDocumentElement().getNodeName());
    Set<String> texts = new HashSet<>();
    for (String tag : List.of("text", "title")) {
      NodeList nodes = doc.getElementsByTagName(tag);
      for (int i = 0; i < nodes.getLength(); i++) {
        texts.add(nodes.item(i).getTextContent().trim());
      }
    }
    return texts;
  }

  @Test
  void svgParsesAndHasEveryKeysLabel() throws Exception {
    for (Lazy<?> c : List.of(Blocks.of(4, 2), delayedSum(5), Blocks.of(1, 1))) {
      Path svg = Diagnostics.render(c, OUT.resolve("tasks.svg"));
      Set<String> texts = svgTexts(svg);
      Map<Key, String> labels = GraphRenderer.labels(c.graph());
      assertEquals(c.graph().size(), labels.size());
      for (Map.Entry<Key, String> e : labels.entrySet()) {
        assertTrue(texts.contains(e.getValue()), "label " + e.getValue() + " missing");
        assertTrue(texts.contains(e.getKey().toString()), "key " + e.getKey() + " missing");
      }
    }
  }

  @Test
  void singleValuesRenderToo() throws Exception {
    Delayed<Integer> one = Delayed.value(3);
    Path svg = Diagnostics.render(one, OUT.resolve("one.svg"), GraphOptions.defaults()
        .colorByOrder().optimized());
    Set<String> texts = svgTexts(svg);
    assertEquals(1, one.graph().size());
    for (Key k : one.graph().tasks().keySet()) {
      assertTrue(texts.contains(k.toString()), texts.toString());
    }
  }

  @Test
  void labelsNumberNamesThatShareAPrefix() {
    Map<Key, String> labels = GraphRenderer.labels(delayedSum(3).graph());
    Set<String> values = new HashSet<>(labels.values());
    assertEquals(Set.of("inc #0", "inc #1", "inc #2", "list", "lambda"), values,
        labels.toString());
  }

  @Test
  void layerViewHasEveryLayerName() throws Exception {
    Blocks b = Blocks.of(6, 2);
    Path svg = Diagnostics.render(b, OUT.resolve("layers.svg"),
        GraphOptions.defaults().view(GraphOptions.View.LAYERS).leftToRight());
    Set<String> texts = svgTexts(svg);
    for (Layer l : b.graph().layers()) {
      assertTrue(texts.contains(l.name()), "layer " + l.name() + " missing: " + texts);
      assertTrue(texts.contains(l.operation()), l.operation());
    }
    assertTrue(texts.contains("6 tasks"));
    assertFalse(texts.contains(b.data().get(0).toString()), "no task nodes in the layer view");
  }

  @Test
  void layerViewIsUsedAboveTheNodeLimit() throws IOException {
    Blocks b = Blocks.of(30, 1); // 61 tasks
    String small = Diagnostics.dot(b, GraphOptions.defaults().nodeLimit(61));
    String big = Diagnostics.dot(b, GraphOptions.defaults().nodeLimit(60));
    assertEquals(61, new Parser().read(small).nodes().size());
    MutableGraph layers = new Parser().read(big);
    assertEquals(3, layers.nodes().size());
    assertEquals(61, new Parser().read(Diagnostics.dot(b,
        GraphOptions.defaults().nodeLimit(1).view(GraphOptions.View.TASKS))).nodes().size());
  }

  @Test
  void dotIsValidAndHasEveryEdge() throws IOException {
    Blocks b = Blocks.of(5, 2);
    Path file = Diagnostics.render(b, OUT.resolve("graph.dot"), GraphOptions.defaults()
        .leftToRight().colorByOrder());
    String dot = Files.readString(file);
    assertTrue(dot.contains("\"rankdir\"=\"LR\""), dot);
    MutableGraph g = new Parser().read(dot);
    assertEquals(11 + 1, g.nodes().size()); // the tasks and the colour legend
    int edges = g.nodes().stream().mapToInt(n -> n.links().size()).sum();
    assertEquals(5 + 5, edges); // data -> double, double -> sum
    assertTrue(Diagnostics.dot(b, GraphOptions.defaults()).contains("\"rankdir\"=\"TB\""));
  }

  @Test
  void pngDecodesWithTheRequestedWidth() throws IOException {
    Blocks b = Blocks.of(3, 2);
    Path png = Diagnostics.render(b, OUT.resolve("graph.png"), GraphOptions.defaults()
        .width(400));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(400, img.getWidth());
    assertTrue(img.getHeight() > 50 && img.getHeight() < 2000, "height " + img.getHeight());
    // a natural-size PNG has the SVG's size (points at 72 dpi are pixels)
    Path natural = Diagnostics.render(b, OUT.resolve("natural.png"));
    BufferedImage img2 = ImageIO.read(natural.toFile());
    String svg = Files.readString(Diagnostics.render(b, OUT.resolve("natural.svg")));
    int w = Integer.parseInt(svg.replaceAll("(?s).*?<svg width=\"(\\d+)px\".*", "$1"));
    assertEquals(w, img2.getWidth(), 2.0);
  }

  @Test
  void colorByOrderPaintsNodesByPriority() {
    Blocks b = Blocks.of(4, 1);
    String plain = Diagnostics.dot(b, GraphOptions.defaults());
    String ordered = Diagnostics.dot(b, GraphOptions.defaults().colorByOrder());
    assertNotEquals(plain, ordered);
    Set<String> fills = new HashSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"fillcolor\"=\"(#[0-9a-f]{6})\"")
        .matcher(ordered);
    while (m.find()) {
      fills.add(m.group(1));
    }
    assertEquals(9, fills.size(), "one colour per position in the order: " + fills);
  }

  @Test
  void optimizedViewShowsWhatRuns() throws IOException {
    // a collection whose graph holds a task its output does not need
    Blocks b = Blocks.of(3, 1);
    Key spare = Key.of("spare-0123456789abcdef");
    TaskGraph extra = TaskGraph.of(Layer.of(spare.name(), "spare",
        Map.of(spare, dev.tessera.graph.core.Task.constant(1))), b.graph());
    Blocks withSpare = new Blocks(extra, b.out(), b.data(), b.doubled());
    assertEquals(8, new Parser().read(Diagnostics.dot(withSpare, GraphOptions.defaults()))
        .nodes().size());
    assertEquals(7, new Parser().read(Diagnostics.dot(withSpare,
        GraphOptions.defaults().optimized())).nodes().size());
    assertTrue(Diagnostics.dot(withSpare, GraphOptions.defaults().colorByOrder())
        .contains("#d9d9d9"), "the unneeded task is grey");
  }

  @Test
  void unknownExtensionIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Diagnostics.render(Blocks.of(1, 1), OUT.resolve("graph.jpg")));
    assertTrue(e.getMessage().contains("unknown extension .jpg"), e.getMessage());
    assertTrue(e.getMessage().contains(".svg, .png, .dot"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Diagnostics.render(Blocks.of(1, 1), OUT.resolve("graph")));
    assertTrue(e.getMessage().contains("no extension"), e.getMessage());
  }

  @Test
  void unwritablePathIsAClearError() throws IOException {
    Files.createDirectories(OUT);
    Path file = OUT.resolve("a-file");
    Files.writeString(file, "x");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Diagnostics.render(Blocks.of(1, 1), file.resolve("graph.svg")));
    assertTrue(e.getMessage().contains("cannot write " + file.resolve("graph.svg")),
        e.getMessage());
    Files.createDirectories(OUT.resolve("folder.svg"));
    e = assertThrows(UncheckedIOException.class,
        () -> Diagnostics.render(Blocks.of(1, 1), OUT.resolve("folder.svg")));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void engineChoiceFollowsThePath() {
    assertEquals(Engines.dotOnPath() ? "dot" : "v8", Engines.use(Engines.Choice.AUTO));
    assertEquals("v8", Engines.use(Engines.Choice.V8));
  }

  @Test
  void theV8LibraryIsUnpackedUnderTheTempDirectory() throws IOException {
    Diagnostics.render(Blocks.of(1, 1), OUT.resolve("v8.svg"));
    Path dir = Path.of(System.getProperty("java.io.tmpdir"),
        "tessera-graphviz-" + System.getProperty("user.name"));
    try (var files = Files.list(dir)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().contains("j2v8")),
          "no J2V8 library in " + dir);
    }
  }
}
