package dev.tessera.frame;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.FnN;
import dev.tessera.graph.Key;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.TaskGraph;
import java.util.List;

/**
 * A lazy value made of some keys of a graph and a function that assembles their results;
 * turned into a public {@link Delayed} with {@link #delayed}.
 */
record Result<T>(TaskGraph graph, List<Key> outputKeys, Fn1<List<Object>, T> assembler)
    implements Lazy<T> {
  @Override
  public Lazy<T> withGraph(TaskGraph g) {
    return new Result<>(g, outputKeys, assembler);
  }

  /** Returns the value as a {@link Delayed}: one more (tiny) task that passes it on. */
  Delayed<T> delayed() {
    return Delayed.apply(new First<T>(), this);
  }

  /** Passes on its only argument. */
  record First<T>() implements FnN<T> {
    @Override
    @SuppressWarnings("unchecked")
    public T apply(Object[] args) {
      return (T) args[0];
    }
  }
}
