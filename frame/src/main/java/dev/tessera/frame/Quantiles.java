package dev.tessera.frame;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Exact quantiles through a sort, with pandas' default linear interpolation: the column alone
 * is sorted ({@link Frame#sortValues}: a sample now, then a range shuffle), one task per
 * sorted partition counts its present values, a chain of small tasks gives each partition the
 * rank of its first value, one task per partition picks the values at the ranks it holds, and
 * one last task interpolates. No task holds more than one sorted partition.
 */
final class Quantiles {
  private Quantiles() {}

  static Delayed<List<Double>> quantile(Frame f, String column, double[] qs) {
    f.schema().require("quantile", List.of(column));
    if (!Exprs.isNumeric(f.schema().type(column))) {
      throw new GraphException("quantile: column '" + column + "' is "
          + f.schema().type(column).name() + ", not a number");
    }
    if (qs.length == 0) {
      throw new GraphException("quantile: give at least one q");
    }
    for (double q : qs) {
      if (!(q >= 0 && q <= 1)) {
        throw new GraphException("quantile: q must be in [0, 1], got " + q);
      }
    }
    Frame sorted = f.select(column).sortValues(column);
    Frame.Stage counts = sorted.stage("quantile-count", List.of(column), new Present(column));
    List<Key> parts = sorted.outputKeys();
    String name = Tokens.name("quantile", parts, column, qs);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> offsets = new ArrayList<>();
    Key prev = null;
    for (int i = 0; i < parts.size(); i++) {
      Key k = Key.of(name + "-offset", i);
      tasks.put(k, prev == null ? Task.of(new ZeroLong())
          : Task.of(new AddLongs(), prev, counts.keys().get(i - 1)));
      offsets.add(k);
      prev = k;
    }
    Key total = Key.of(name + "-total", 0);
    tasks.put(total, Task.of(new AddLongs(), prev, counts.keys().get(parts.size() - 1)));
    List<Object> finalArgs = new ArrayList<>();
    finalArgs.add(total);
    for (int i = 0; i < parts.size(); i++) {
      Key k = Key.of(name + "-pick", i);
      tasks.put(k, Task.of(new Pick(column, qs), parts.get(i), offsets.get(i), total));
      finalArgs.add(k);
    }
    Key result = Key.of(name, 0);
    tasks.put(result, Task.of(new Interpolate(qs), finalArgs.toArray()));
    TaskGraph g = TaskGraph.of(Layer.of(name, "quantile", tasks), sorted.graph(),
        counts.graph());
    return Delayed.fromKey(result, g);
  }


  record ZeroLong() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return 0L;
    }
  }

  record AddLongs() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return (Long) args[0] + (Long) args[1];
    }
  }

  /** The number of present values of a sorted partition (they come first). */
  record Present(String column) implements Source.Then {
    @Override
    public Object apply(Table t) {
      Column<?> c = t.column(column);
      long n = 0;
      for (int i = 0; i < t.rowCount(); i++) {
        n += c.isMissing(i) ? 0 : 1;
      }
      return n;
    }
  }

  /** The ranks {@code floor} and {@code ceil} of {@code q (n - 1)} that fall in a partition. */
  record Pick(String column, double[] qs) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      long offset = (Long) args[1];
      long n = (Long) args[2];
      NumericColumn<?> c = (NumericColumn<?>) t.column(column);
      long present = 0;
      for (int i = 0; i < t.rowCount(); i++) {
        present += c.isMissing(i) ? 0 : 1;
      }
      Map<Long, Double> out = new HashMap<>();
      for (double q : qs) {
        double p = q * (n - 1);
        for (long r : new long[] {(long) Math.floor(p), (long) Math.ceil(p)}) {
          if (n > 0 && r >= offset && r < offset + present) {
            out.put(r, c.getDouble((int) (r - offset)));
          }
        }
      }
      return out;
    }
  }

  /** Interpolates between the picked values, as pandas' {@code interpolation="linear"}. */
  record Interpolate(double[] qs) implements TaskFunction {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      long n = (Long) args[0];
      Map<Long, Double> v = new HashMap<>();
      for (int i = 1; i < args.length; i++) {
        v.putAll((Map<Long, Double>) args[i]);
      }
      List<Double> out = new ArrayList<>();
      for (double q : qs) {
        if (n == 0) {
          out.add(Double.NaN);
          continue;
        }
        double p = q * (n - 1);
        long lo = (long) Math.floor(p);
        long hi = (long) Math.ceil(p);
        double a = v.get(lo);
        double b = v.get(hi);
        out.add(lo == hi ? a : a + (b - a) * (p - lo));
      }
      return out;
    }
  }
}
