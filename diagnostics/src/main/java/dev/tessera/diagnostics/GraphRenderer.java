package dev.tessera.diagnostics;

import static guru.nidi.graphviz.model.Factory.mutGraph;
import static guru.nidi.graphviz.model.Factory.mutNode;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import guru.nidi.graphviz.attribute.Attributes;
import guru.nidi.graphviz.attribute.Color;
import guru.nidi.graphviz.attribute.Font;
import guru.nidi.graphviz.attribute.Label;
import guru.nidi.graphviz.attribute.Rank;
import guru.nidi.graphviz.attribute.Shape;
import guru.nidi.graphviz.attribute.Style;
import guru.nidi.graphviz.model.MutableGraph;
import guru.nidi.graphviz.model.MutableNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a collection's task graph into a graphviz-java graph: one node per task (labelled
 * with its prefix and block index) or one node per layer, edges from each dependency to the
 * task that uses it.
 */
final class GraphRenderer {
  private GraphRenderer() {}

  /**
   * What was drawn: the graphviz graph, whether it is the layer view, the number of tasks, and
   * why the layer view was drawn instead of the task view asked for (or null).
   */
  record Drawing(MutableGraph graph, boolean layers, int tasks, String note) {}

  /** Draws for DOT text: no limit on the task view. */
  static Drawing draw(Lazy<?> collection, GraphOptions options) {
    return draw(collection, options, false);
  }

  /**
   * Draws {@code collection}; for a {@code picture} (SVG, PNG) above the render limit, the
   * layer view with a note saying so, and the drawing scaled to {@link GraphOptions#MAX_SIZE}.
   */
  static Drawing draw(Lazy<?> collection, GraphOptions options, boolean picture) {
    List<Key> outputs = collection.outputKeys();
    TaskGraph graph = collection.graph();
    ExecutionPlan plan = null;
    if (options.isOptimized()) {
      graph = collection.optimize(graph, outputs);
      plan = ExecutionPlan.of(graph, outputs);
      graph = culled(graph, plan);
    } else if (options.isColorByOrder()) {
      plan = ExecutionPlan.of(graph, outputs);
    }
    boolean layers = switch (options.getView()) {
      case LAYERS -> true;
      case TASKS -> false;
      case AUTO -> graph.size() > options.getNodeLimit();
    };
    String note = null;
    if (picture && !layers && graph.size() > options.getRenderLimit()) {
      layers = true;
      note = String.format(java.util.Locale.ROOT, "%,d tasks, drawn as %d layers: a picture of"
          + " one node per task takes minutes above %,d tasks (GraphOptions.renderLimit); a"
          + " .dot file has every task", graph.size(), graph.layers().size(),
          options.getRenderLimit());
    }
    Map<Key, Integer> order = new HashMap<>();
    if (options.isColorByOrder()) {
      for (int i = 0; i < plan.size(); i++) {
        order.put(plan.key(i), plan.priority(i));
      }
    }
    int count = plan == null ? graph.size() : plan.size();
    MutableGraph g = mutGraph("tessera").setDirected(true);
    g.graphAttrs().add(Rank.dir(options.isLeftToRight() ? Rank.RankDir.LEFT_TO_RIGHT
        : Rank.RankDir.TOP_TO_BOTTOM));
    g.nodeAttrs().add(Font.name("Helvetica,Arial,sans-serif"), Font.size(11));
    if (picture) {
      double inches = GraphOptions.MAX_SIZE / 72.0; // Graphviz shrinks a bigger drawing to fit
      g.graphAttrs().add(Attributes.attr("size", inches + "," + inches));
    }
    if (note != null) {
      g.graphAttrs().add(Label.of(note), Attributes.attr("labelloc", "t"),
          Font.name("Helvetica,Arial,sans-serif"));
    }
    if (layers) {
      drawLayers(g, graph, order, count, options.isColorByOrder());
    } else {
      drawTasks(g, graph, order, count, options.isColorByOrder());
    }
    if (options.isColorByOrder()) {
      g.add(legend());
    }
    return new Drawing(g, layers, graph.size(), note);
  }

  /** The key of {@link GraphOptions#colorByOrder()}: a row of the colours, first to last. */
  private static MutableNode legend() {
    StringBuilder html = new StringBuilder("<table border=\"0\" cellspacing=\"0\""
        + " cellpadding=\"3\"><tr><td>runs first</td>");
    for (int i = 0; i <= 4; i++) {
      int[] c = color(i / 4.0);
      html.append(String.format("<td bgcolor=\"#%02x%02x%02x\" width=\"18\"> </td>",
          c[0], c[1], c[2]));
    }
    html.append("<td>runs last</td><td width=\"12\"></td><td bgcolor=\"#d9d9d9\" width=\"18\">"
        + " </td><td>not needed</td></tr></table>");
    return mutNode("legend").add(Label.html(html.toString()), Shape.PLAIN_TEXT,
        Attributes.attr("tooltip", "colour: when each task runs (the static priority of the"
            + " execution plan)"));
  }

  /** The plan's tasks, for the optimized view: what actually runs. */
  private static Map<Key, Task> planTasks(ExecutionPlan plan) {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      tasks.put(plan.key(i), plan.task(i));
    }
    return tasks;
  }

  /** The graph restricted to the plan's tasks, keeping the layers they were in. */
  private static TaskGraph culled(TaskGraph graph, ExecutionPlan plan) {
    Map<Key, Task> keep = planTasks(plan);
    List<TaskGraph> parts = new ArrayList<>();
    for (Layer l : graph.layers()) {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      l.tasks().forEach((k, t) -> {
        if (keep.containsKey(k)) {
          tasks.put(k, t);
        }
      });
      if (!tasks.isEmpty()) {
        parts.add(TaskGraph.of(l.withTasks(tasks)));
      }
    }
    return TaskGraph.merge(parts);
  }

  private static void drawTasks(MutableGraph g, TaskGraph graph, Map<Key, Integer> order,
      int count, boolean color) {
    Map<Key, String> labels = labels(graph);
    Map<Key, MutableNode> nodes = new HashMap<>();
    for (Map.Entry<Key, String> e : labels.entrySet()) {
      Key k = e.getKey();
      MutableNode n = mutNode(k.toString()).add(Label.of(e.getValue()), Shape.BOX,
          Style.combine(Style.ROUNDED, Style.FILLED), Attributes.attr("tooltip", k.toString()));
      paint(n, color ? order.get(k) : null, count, color);
      nodes.put(k, n);
      g.add(n);
    }
    for (Map.Entry<Key, Task> e : graph.tasks().entrySet()) {
      Task t = e.getValue();
      MutableNode to = nodes.get(e.getKey());
      for (int i = 0; i < t.dependencyCount(); i++) {
        MutableNode from = nodes.get(t.dependency(i));
        if (from != null) {
          from.addLink(to);
        }
      }
    }
  }

  private static void drawLayers(MutableGraph g, TaskGraph graph, Map<Key, Integer> order,
      int count, boolean color) {
    Map<String, MutableNode> nodes = new HashMap<>();
    for (Layer l : graph.layers()) {
      Integer first = null;
      for (Key k : l.tasks().keySet()) {
        Integer p = order.get(k);
        if (p != null && (first == null || p < first)) {
          first = p;
        }
      }
      int n = l.tasks().size();
      List<String> lines = new ArrayList<>();
      lines.add(l.operation());
      lines.add(n + (n == 1 ? " task" : " tasks"));
      l.info().forEach((k, v) -> lines.add(k + " " + v)); // shape, chunk size, dtype
      MutableNode node = mutNode(l.name()).add(
          Label.lines(lines.toArray(new String[0])), Shape.BOX,
          Style.combine(Style.FILLED), Attributes.attr("tooltip", l.name()));
      paint(node, color ? first : null, count, color);
      nodes.put(l.name(), node);
      g.add(node);
    }
    for (Map.Entry<String, Set<String>> e : graph.layerDependencies().entrySet()) {
      MutableNode to = nodes.get(e.getKey());
      for (String dep : e.getValue()) {
        MutableNode from = nodes.get(dep);
        if (from != null && to != null) {
          from.addLink(to);
        }
      }
    }
  }

  /**
   * Returns each task's label: its prefix, a number when several names share the prefix
   * (like Dask's {@code inc-#1}, numbered in the order the layers were made, not by the
   * names' hashes), and its block index.
   */
  static Map<Key, String> labels(TaskGraph graph) {
    Map<String, Map<String, Integer>> names = new HashMap<>();
    Map<Key, String> labels = new TreeMap<>();
    for (Layer l : graph.layers()) { // dependencies first: the order they were made
      for (Key k : l.tasks().keySet()) {
        Map<String, Integer> same = names.computeIfAbsent(k.prefix(), p -> new HashMap<>());
        same.putIfAbsent(k.name(), same.size());
      }
    }
    for (Key k : graph.tasks().keySet()) {
      Map<String, Integer> same = names.get(k.prefix());
      StringBuilder sb = new StringBuilder(k.prefix());
      if (same.size() > 1) {
        sb.append(" #").append(same.get(k.name()));
      }
      if (k.rank() > 0) {
        sb.append(" (");
        for (int a = 0; a < k.rank(); a++) {
          sb.append(a == 0 ? "" : ", ").append(k.index(a));
        }
        sb.append(')');
      }
      labels.put(k, sb.toString());
    }
    return labels;
  }

  /** Fills with a colour from dark purple (first) through green to yellow (last), like viridis. */
  private static void paint(MutableNode node, Integer priority, int count, boolean byOrder) {
    if (!byOrder) {
      node.add(Color.rgb("dbe9f6").fill());
      return;
    }
    if (priority == null) {
      node.add(Color.rgb("d9d9d9").fill()); // not needed by the outputs: never runs
      return;
    }
    double f = count <= 1 ? 0 : (double) priority / (count - 1);
    int[] c = color(f);
    node.add(Color.rgb(c[0], c[1], c[2]).fill());
    if (f < 0.55) {
      node.add(Color.WHITE.font()); // dark fills need light text
    }
  }

  /** The viridis-like colour of {@code f} in [0, 1], as red, green, blue. */
  private static int[] color(double f) {
    int[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    double x = f * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(x));
    double t = x - i;
    int[] c = new int[3];
    for (int j = 0; j < 3; j++) {
      c[j] = (int) Math.round(stops[i][j] + t * (stops[i + 1][j] - stops[i][j]));
    }
    return c;
  }
}
