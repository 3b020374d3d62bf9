package dev.tessera.frame;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Reads each partition of a file source once when several frames of one computation read it
 * (the two sides of {@code df.select(...).merge(df.filter(...))}): one task per partition
 * loads the union of the columns the frames need, and each frame's row-wise chain then runs
 * over that shared table, a cheap task of its own. Without it every frame would parse the
 * files again, with only its own columns.
 */
final class SharedRead {
  private SharedRead() {}

  /**
   * Returns the frames, those that read the same file source (equal tokens) rewritten over one
   * shared read of it; others unchanged.
   */
  static List<Frame> share(List<Frame> frames) {
    Map<Object, List<Integer>> bySource = new LinkedHashMap<>();
    for (int i = 0; i < frames.size(); i++) {
      Source s = frames.get(i).source();
      if (!(s instanceof Source.Keys) && !(s instanceof Shared)) {
        bySource.computeIfAbsent(s.token(), t -> new ArrayList<>()).add(i);
      }
    }
    List<Frame> out = new ArrayList<>(frames);
    for (List<Integer> group : bySource.values()) {
      if (group.size() < 2) {
        continue;
      }
      Source base = frames.get(group.get(0)).source();
      Set<String> union = new LinkedHashSet<>();
      for (int i : group) {
        Frame f = frames.get(i);
        PartitionOp.pruneChain(f.ops(), base.schema(), new LinkedHashSet<>(f.schema().names()),
            union);
      }
      List<String> ordered = new ArrayList<>();
      for (String c : base.schema().names()) {
        if (union.contains(c)) {
          ordered.add(c);
        }
      }
      Shared shared = read(base, ordered);
      for (int i : group) {
        out.set(i, frames.get(i).withSource(shared));
      }
    }
    return out;
  }

  /**
   * Returns one task per partition that reads the common file source of {@code frames} once
   * (the union of their columns), runs each frame's chain and then its step, and returns the
   * list of the steps' results, one per frame; null when the frames do not all read the same
   * file source. The shuffle of a merge over one {@code readCsv} cuts both sides in one task:
   * nothing but the pieces outlives it.
   */
  static Frame.Stage fused(String prefix, List<Frame> frames, List<Source.Then> thens) {
    Source base = frames.get(0).source();
    if (base instanceof Source.Keys || base instanceof Shared) {
      return null;
    }
    for (Frame f : frames) {
      if (!f.source().token().equals(base.token())) {
        return null;
      }
    }
    Set<String> union = new LinkedHashSet<>();
    List<List<PartitionOp>> chains = new ArrayList<>();
    for (Frame f : frames) {
      chains.add(List.copyOf(f.chainFor(new LinkedHashSet<>(f.schema().names()), union)));
    }
    Source.Loader loader = base.loader(union);
    String name = Tokens.name(prefix, base.token(), List.copyOf(union), chains, thens);
    Fused fn = new Fused(loader, chains, List.copyOf(thens));
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < base.npartitions(); i++) {
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(fn, base.arg(i)));
      keys.add(k);
    }
    return new Frame.Stage(TaskGraph.of(Layer.of(name, prefix, tasks), base.graph()), keys);
  }

  /** Loads a partition once, then runs each frame's chain and step on it. */
  record Fused(Source.Loader loader, List<List<PartitionOp>> chains, List<Source.Then> thens)
      implements dev.tessera.graph.core.TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Table t = loader.load(args[0]);
      List<Object> out = new ArrayList<>(chains.size());
      for (int k = 0; k < chains.size(); k++) {
        Table x = t;
        for (PartitionOp op : chains.get(k)) {
          x = op.apply(x);
        }
        out.add(thens.get(k).apply(x));
      }
      return out;
    }
  }

  /** One task per partition of {@code base} that loads {@code columns}. */
  static Shared read(Source base, List<String> columns) {
    Source.Loader loader = base.loader(new LinkedHashSet<>(columns));
    String name = Tokens.name("read-shared", base.token(), columns);
    Source.PartitionTask fn = new Source.PartitionTask(loader,
        List.of(new PartitionOp.Select(columns)), new Source.Identity());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < base.npartitions(); i++) {
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(fn, base.arg(i)));
      keys.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "read-shared", tasks), base.graph());
    return new Shared(base.schema(), g, keys, List.copyOf(columns));
  }

  /**
   * The partitions of a shared read: tables with {@code columns} of the file source's
   * {@code schema}; the frames over it keep that schema, so their chains stay valid.
   */
  record Shared(Schema schema, TaskGraph graph, List<Key> keys, List<String> columns)
      implements Source {
    @Override
    public int npartitions() {
      return keys.size();
    }

    @Override
    public Object arg(int i) {
      return keys.get(i);
    }

    @Override
    public Loader loader(Set<String> needed) {
      if (!columns.containsAll(needed)) { // a frame built over this source needs only these
        throw new IllegalStateException("a shared read of " + columns + " cannot give "
            + needed);
      }
      return new Source.KeyLoader(null);
    }

    @Override
    public Object token() {
      return keys;
    }
  }
}
