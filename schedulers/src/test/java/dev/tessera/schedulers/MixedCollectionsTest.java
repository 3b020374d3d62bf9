package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Graphs;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Collections of different kinds, each with its own optimization, computed together while
 * sharing tasks: every result right, every shared task run once.
 */
class MixedCollectionsTest {
  /** A view of one key whose optimization fuses chains (as bags and frames do). */
  record Fused(TaskGraph graph, Key key) implements Lazy<Integer> {
    @Override
    public List<Key> outputKeys() {
      return List.of(key);
    }

    @Override
    public Fn1<List<Object>, Integer> assembler() {
      return values -> (Integer) values.get(0);
    }

    @Override
    public Lazy<Integer> withGraph(TaskGraph g) {
      return new Fused(g, key);
    }

    @Override
    public TaskGraph optimize(TaskGraph g, List<Key> keys) {
      return Graphs.fuse(g, keys);
    }
  }

  /** Another kind, inlining every non-constant task it may (as an array might). */
  record Inlined(TaskGraph graph, Key key) implements Lazy<Integer> {
    @Override
    public List<Key> outputKeys() {
      return List.of(key);
    }

    @Override
    public Fn1<List<Object>, Integer> assembler() {
      return values -> (Integer) values.get(0);
    }

    @Override
    public Lazy<Integer> withGraph(TaskGraph g) {
      return new Inlined(g, key);
    }

    @Override
    public TaskGraph optimize(TaskGraph g, List<Key> keys) {
      return Graphs.inline(g, keys, t -> !t.isConstant());
    }
  }

  @Test
  void differentOptimizationsOverSharedTasks() {
    Delayed<Integer> a = Delayed.call(Work::inc, Delayed.value(1));     // 2
    Delayed<Integer> b = Delayed.call(Work::inc, a);                    // 3
    Delayed<Integer> c = Delayed.call(Work::inc, b);                    // 4
    Delayed<Integer> d = Delayed.call(Work::add, b, Delayed.value(10)); // 13
    Delayed<Integer> e = Delayed.call(Work::inc, c);                    // 5
    List<Lazy<?>> all = List.of(new Fused(c.graph(), c.key()), d,
        new Inlined(e.graph(), e.key()), new Fused(b.graph(), b.key()), a);
    for (var s : List.of(Schedulers.sync(), Schedulers.shared())) {
      Recorder r = new Recorder();
      assertEquals(List.of(4, 13, 5, 3, 2), Tessera.compute(all, s, r));
      r.runs.values().forEach(n -> assertEquals(1, n.get()));
    }
  }
}
