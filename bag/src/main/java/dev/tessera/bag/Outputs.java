package dev.tessera.bag;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Graphs;
import dev.tessera.graph.Key;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.TaskGraph;
import java.util.List;

/**
 * Some keys of a graph as a lazy value: the scalar result of a reduction (wrapped into a
 * {@link dev.tessera.graph.Delayed}), or a few partitions of a bag for {@code take}.
 */
final class Outputs implements Lazy<Object> {
  private final TaskGraph graph;
  private final List<Key> keys;
  private final Fn1<List<Object>, Object> assembler;

  Outputs(TaskGraph graph, List<Key> keys, Fn1<List<Object>, Object> assembler) {
    this.graph = graph;
    this.keys = List.copyOf(keys);
    this.assembler = assembler;
  }

  @Override
  public TaskGraph graph() {
    return graph;
  }

  @Override
  public List<Key> outputKeys() {
    return keys;
  }

  @Override
  public Fn1<List<Object>, Object> assembler() {
    return assembler;
  }

  @Override
  public Outputs withGraph(TaskGraph g) {
    return new Outputs(g, keys, assembler);
  }

  @Override
  public TaskGraph optimize(TaskGraph g, List<Key> outputs) {
    return Graphs.fuse(g, outputs);
  }
}
