package dev.tessera.dashboard;

import dev.tessera.diagnostics.Diagnostics;
import dev.tessera.diagnostics.GraphOptions;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph page's picture: the diagnostics renderer's layer view of a computation, one node
 * per {@link Progress.Group} (a layer, or one operation when there are many layers), as SVG.
 * Each node's {@code <title>} is its group's name, which the page matches with the progress
 * it receives to colour the node by state. Rendered once per computation, on the request
 * thread that asks first, and cached.
 */
final class GraphView {
  private static final int CACHED = 4;

  private final Path tmp;
  private final Map<Long, String> cache = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> e) {
      return size() > CACHED;
    }
  };

  GraphView(Path tmp) {
    this.tmp = tmp;
  }

  /** Returns the SVG of computation {@code id}'s groups. */
  String svg(long id, ExecutionPlan plan, List<Progress.Group> groups) {
    synchronized (cache) {
      String s = cache.get(id);
      if (s != null) {
        return s;
      }
    }
    String svg = render(tmp, plan, groups);
    synchronized (cache) {
      cache.put(id, svg);
    }
    return svg;
  }

  // graphviz-java's JavaScript engine is one per JVM: draw one graph at a time
  private static synchronized String render(Path tmp, ExecutionPlan plan,
      List<Progress.Group> groups) {
    List<TaskGraph> parts = new ArrayList<>();
    for (Progress.Group g : groups) {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int i : g.tasks()) {
        tasks.put(plan.key(i), plan.task(i));
      }
      parts.add(TaskGraph.of(Layer.of(g.name(), g.label(), tasks)));
    }
    TaskGraph graph = TaskGraph.merge(parts);
    Path file = null;
    try {
      Files.createDirectories(tmp);
      file = Files.createTempFile(tmp, "graph", ".svg");
      Diagnostics.render(new Plain(graph, plan.outputs()), file,
          GraphOptions.defaults().view(GraphOptions.View.LAYERS).leftToRight());
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the graph in " + tmp + ": " + e, e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temp file left behind
        }
      }
    }
  }

  /** A graph and its outputs as a collection, so the diagnostics renderer can draw it. */
  private record Plain(TaskGraph graph, List<Key> outputKeys) implements Lazy<List<Object>> {
    @Override
    public Fn1<List<Object>, List<Object>> assembler() {
      return values -> values;
    }

    @Override
    public Lazy<List<Object>> withGraph(TaskGraph g) {
      return new Plain(g, outputKeys);
    }
  }
}
