package dev.tessera.graph;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskGraph;
import java.util.List;

/** What {@link Lazy#of} returns: keys of a graph and their assembler. */
record KeyedLazy<R>(TaskGraph graph, List<Key> outputKeys, Fn1<List<Object>, R> assembler)
    implements Lazy<R> {
  @Override
  public Lazy<R> withGraph(TaskGraph g) {
    return new KeyedLazy<>(g, outputKeys, assembler);
  }
}
