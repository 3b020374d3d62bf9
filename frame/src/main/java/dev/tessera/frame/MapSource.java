package dev.tessera.frame;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * The partitions of {@link Frame#fromMap}: partition {@code i} is {@code fn(items[i])}, made
 * inside each task that loads it, as a file source reads its split. So a partition is never a
 * result that the engine holds from one stage to the next: a sort's sample and its split
 * each make it again, which is what lets generated data larger than memory be shuffled.
 *
 * @param fn makes one partition from its item
 * @param items one per partition, literals of the tasks
 * @param schema the partitions' meta; every partition is checked against it
 */
record MapSource(Fn1<Object, Table> fn, List<Object> items, Schema schema) implements Source {
  @Override
  public int npartitions() {
    return items.size();
  }

  @Override
  public TaskGraph graph() {
    return TaskGraph.empty();
  }

  @Override
  public Object arg(int i) {
    return Task.quote(items.get(i)); // an item that is a key or a list stays a literal
  }

  @Override
  public Loader loader(Set<String> columns) {
    return new MapLoader(fn, schema); // the function makes every column: the chain selects
  }

  @Override
  public Object token() {
    return List.of("from-map", fn, items, schema.names(), schema.typeNames());
  }

  /** Makes one partition and checks it against the meta. */
  record MapLoader(Fn1<Object, Table> fn, Schema schema) implements Loader {
    @Override
    public Table load(Object item) throws Exception {
      Object t = fn.apply(item);
      if (!(t instanceof Table table)) {
        throw new FrameException("fromMap: the function must return a tech.tablesaw.api.Table,"
            + " got " + (t == null ? "null" : t.getClass().getName()) + " for item " + item);
      }
      schema.check(table, "fromMap's partition of item " + item);
      return table;
    }
  }
}
