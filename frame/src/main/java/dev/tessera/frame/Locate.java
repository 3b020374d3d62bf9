package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Row selection by index value ({@code loc}) and by position ({@code iloc}). {@code loc}
 * reads only the partitions whose divisions can hold the keys; {@code iloc} counts the rows
 * of every partition now (one pass over the needed column) and then reads only the
 * partitions that hold the positions.
 */
final class Locate {
  private Locate() {}

  static Frame loc(Frame f, Object lo, Object hi) {
    String index = f.index().orElseThrow(() -> new GraphException("loc: the frame has no"
        + " index; call setIndex(column) first (or filter(Expr) on the column)"));
    if (lo == null || hi == null) {
      throw new GraphException("loc: the bounds must not be null");
    }
    Expr cond = Expr.col(index).ge(lo).and(Expr.col(index).le(hi));
    cond.type(f.schema()); // a key of the wrong type fails now
    List<Object> d = f.divisions().orElse(null);
    Frame filtered = f.filter(cond);
    List<Key> keys = filtered.outputKeys();
    List<Key> kept = new ArrayList<>();
    List<Object> divs = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (d == null || cmp(d.get(i), hi) <= 0 && cmp(lo, d.get(i + 1)) <= 0) {
        if (kept.isEmpty() && d != null) {
          divs.add(d.get(i));
        }
        kept.add(keys.get(i));
        if (d != null) {
          divs.add(d.get(i + 1));
        }
      }
    }
    if (kept.isEmpty()) { // no partition can hold the keys: one empty partition
      return f.head0();
    }
    return Frame.fromKeys(filtered.graph(), kept, f.schema(), "loc", d == null ? null : divs,
        d == null ? null : index, false);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int cmp(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return ((Comparable) a).compareTo(b);
  }

  static Frame iloc(Frame f, long start, long stop) {
    if (start < 0 || stop < start) {
      throw new GraphException("iloc: need 0 <= start <= stop, got [" + start + ", " + stop
          + ")");
    }
    Frame.Stage counts = f.stage("iloc-count", Set.of(), new Frame.RowCount());
    List<Object> n = Lazy.<List<Object>>of(counts.graph(), counts.keys(), xs -> xs)
        .compute();
    List<Key> parts = f.outputKeys();
    String name = Tokens.name("iloc", parts, start, stop);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < parts.size(); i++) {
      long len = (Long) n.get(i);
      long from = Math.max(start, offset);
      long to = Math.min(stop, offset + len);
      if (from < to) {
        Key k = Key.of(name, keys.size());
        tasks.put(k, Task.of(new Slice((int) (from - offset), (int) (to - offset)),
            parts.get(i)));
        keys.add(k);
      }
      offset += len;
    }
    if (keys.isEmpty()) {
      return f.head0();
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "iloc", tasks), f.graph());
    return Frame.fromKeys(g, keys, f.schema(), "iloc", null, null, false);
  }

  /** Rows [from, to) of a partition. */
  record Slice(int from, int to) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return Tables.slice((Table) args[0], from, to);
    }
  }
}
