package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * {@code nlargest} / {@code nsmallest} as a tree reduction: each partition keeps its own
 * {@code n} best rows, and combine tasks merge up to 8 such tables at a time, keeping
 * {@code n}, so no task holds more than 8 n rows. Rows whose value is missing are left out;
 * ties keep the earlier row (pandas' {@code keep="first"}), because tables are merged in
 * partition order and sorted stably.
 */
final class TopRows {
  private TopRows() {}

  static final int SPLIT_EVERY = 8;

  static Frame top(Frame f, int n, String column, boolean largest) {
    if (n < 0) {
      throw new GraphException((largest ? "nlargest" : "nsmallest") + ": n must be >= 0, got "
          + n);
    }
    f.schema().require(largest ? "nlargest" : "nsmallest", List.of(column));
    String what = largest ? "nlargest" : "nsmallest";
    Best best = new Best(n, column, largest);
    Frame.Stage st = f.stage(what + "-part", f.schema().names(), best);
    List<Key> level = st.keys();
    String name = Tokens.name(what, level, n, column, largest);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int depth = 0;
    do {
      List<Key> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += SPLIT_EVERY) {
        Key k = Key.of(name, depth, i / SPLIT_EVERY);
        tasks.put(k, Task.of(new Merge(best), level.subList(i, Math.min(level.size(),
            i + SPLIT_EVERY)).toArray()));
        next.add(k);
      }
      level = next;
      depth++;
    } while (level.size() > 1);
    TaskGraph g = TaskGraph.of(Layer.of(name, what, tasks), st.graph());
    return Frame.fromKeys(g, level, f.schema(), what, null, null, false);
  }

  /** Keeps a table's n best rows, best first, ties in row order. */
  record Best(int n, String column, boolean largest) implements Source.Then {
    @Override
    public Object apply(Table t) {
      Column<?> c = t.column(column);
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < t.rowCount(); i++) {
        if (!c.isMissing(i)) {
          rows.add(i);
        }
      }
      @SuppressWarnings({"unchecked", "rawtypes"})
      Comparator<Integer> byValue = (a, b) -> ((Comparable) c.get(a)).compareTo(c.get(b));
      rows.sort(largest ? byValue.reversed() : byValue); // List.sort is stable
      int[] keep = new int[Math.min(n, rows.size())];
      for (int i = 0; i < keep.length; i++) {
        keep[i] = rows.get(i);
      }
      return keep.length == 0 ? t.emptyCopy() : t.rows(keep);
    }
  }

  /** Concatenates partial results in order and keeps the n best rows. */
  record Merge(Best best) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table all = ((Table) args[0]).copy();
      for (int i = 1; i < args.length; i++) {
        all.append((Table) args[i]);
      }
      return best.apply(all);
    }
  }
}
