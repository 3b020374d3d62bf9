package dev.tessera.frame;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokenizable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Where a frame's partitions come from, before its row-wise operations: CSV splits read inside
 * the tasks, or the results of other tasks (in-memory tables, delayed partitions, shuffles).
 */
interface Source extends Tokenizable {
  /** Returns the number of partitions. */
  int npartitions();

  /** Returns the meta of the partitions this source loads. */
  Schema schema();

  /** Returns the graph that produces the keys among {@link #arg(int)}s (may be empty). */
  TaskGraph graph();

  /** Returns the task argument of partition {@code i}: a literal or a key. */
  Object arg(int i);

  /** Returns the loader that turns an argument into the partition, with at least {@code columns}. */
  Loader loader(Set<String> columns);

  /** Turns the (resolved) argument of a partition task into the partition. */
  interface Loader extends Serializable {
    Table load(Object arg) throws Exception;
  }

  /** CSV splits: each task reads its own bytes. */
  record Csv(List<CsvSplit> splits, CsvFormat format, Schema schema, String why)
      implements Source {
    @Override
    public int npartitions() {
      return splits.size();
    }

    @Override
    public TaskGraph graph() {
      return TaskGraph.empty();
    }

    @Override
    public Object arg(int i) {
      return splits.get(i);
    }

    @Override
    public Loader loader(Set<String> columns) {
      boolean[] wanted = new boolean[schema.size()];
      for (int i = 0; i < wanted.length; i++) {
        wanted[i] = columns.contains(schema.names().get(i));
      }
      return new CsvLoader(format, schema, wanted, why);
    }

    @Override
    public Object token() {
      return List.of("csv", splits, format.header, format.missing, (int) format.separator,
          schema.names(), schema.typeNames());
    }
  }

  /** Reads one CSV split. */
  record CsvLoader(CsvFormat format, Schema schema, boolean[] wanted, String why)
      implements Loader {
    @Override
    public Table load(Object arg) {
      return CsvReader.read((CsvSplit) arg, format, schema, wanted, why);
    }
  }

  /** Partitions that are the results of keys in a graph. */
  record Keys(TaskGraph graph, List<Key> keys, Schema schema, boolean check) implements Source {
    @Override
    public int npartitions() {
      return keys.size();
    }

    @Override
    public Object arg(int i) {
      return keys.get(i);
    }

    @Override
    public Loader loader(Set<String> columns) {
      return new KeyLoader(check ? schema : null);
    }

    @Override
    public Object token() {
      return keys;
    }
  }

  /** Passes a computed partition on, checking it against the meta when asked. */
  record KeyLoader(Schema check) implements Loader {
    @Override
    public Table load(Object arg) {
      if (!(arg instanceof Table t)) {
        throw new FrameException("a partition must be a tech.tablesaw.api.Table, got "
            + (arg == null ? "null" : arg.getClass().getName()));
      }
      if (check != null) {
        check.check(t, "a partition");
      }
      return t;
    }
  }

  /** Runs a partition's loader, its row-wise operations, then a final step. */
  record PartitionTask(Loader loader, List<PartitionOp> ops, Then then) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Table t = loader.load(args[0]);
      for (PartitionOp op : ops) {
        t = op.apply(t);
      }
      return then instanceof With w ? w.apply(t, args[1]) : then.apply(t);
    }
  }

  /** A last step that also takes the result of another task (a shuffle's boundaries). */
  interface With extends Then {
    Object apply(Table t, Object input) throws Exception;

    @Override
    default Object apply(Table t) {
      throw new IllegalStateException(getClass().getSimpleName() + " needs its input");
    }
  }

  /** The last step of a partition task: the identity, or a reduction's first step. */
  interface Then extends Serializable {
    Object apply(Table t) throws Exception;
  }

  /** Returns the partition itself. */
  record Identity() implements Then {
    @Override
    public Object apply(Table t) {
      return t;
    }
  }

  static List<Object> args(Source s) {
    List<Object> out = new ArrayList<>(s.npartitions());
    for (int i = 0; i < s.npartitions(); i++) {
      out.add(s.arg(i));
    }
    return out;
  }
}
