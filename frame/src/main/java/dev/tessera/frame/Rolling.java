package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Moving-window statistics over rows in frame order, like pandas' {@code rolling(window)}:
 * {@code f.rolling(3).mean("x", "y")} replaces x and y by the mean of each row and the two
 * before it. A window that is not full (the first {@code window - 1} rows) or that holds a
 * missing value gives a missing value (pandas' default {@code min_periods = window}); for
 * {@code count} only the not-full windows are missing and the value is the number of present
 * values.
 *
 * <p>Windows cross partition boundaries as in Dask's {@code map_overlap}: each partition
 * borrows the last {@code window - 1} rows before it. A chain of small tasks carries those
 * rows from partition to partition (so partitions shorter than the window, or empty, are
 * handled), and one task per partition computes its rows with the borrowed ones in front.
 * No task holds more than one partition plus {@code 2 (window - 1)} rows.
 */
public final class Rolling {
  private final Frame frame;
  private final int window;

  Rolling(Frame frame, int window) {
    if (window < 1) {
      throw new GraphException("rolling: the window must be >= 1 row, got " + window);
    }
    this.frame = frame;
    this.window = window;
  }

  /**
   * Returns the frame with each column replaced by its moving sum.
   *
   * @param columns numeric columns
   * @return the frame
   */
  public Frame sum(String... columns) {
    return apply("sum", columns);
  }

  /**
   * Returns the frame with each column replaced by its moving mean.
   *
   * @param columns numeric columns
   * @return the frame
   */
  public Frame mean(String... columns) {
    return apply("mean", columns);
  }

  /**
   * Returns the frame with each column replaced by its moving minimum.
   *
   * @param columns numeric columns
   * @return the frame
   */
  public Frame min(String... columns) {
    return apply("min", columns);
  }

  /**
   * Returns the frame with each column replaced by its moving maximum.
   *
   * @param columns numeric columns
   * @return the frame
   */
  public Frame max(String... columns) {
    return apply("max", columns);
  }

  /**
   * Returns the frame with each column replaced by its moving sample standard deviation
   * ({@code ddof = 1}; missing for a window of one row).
   *
   * @param columns numeric columns
   * @return the frame
   */
  public Frame std(String... columns) {
    return apply("std", columns);
  }

  /**
   * Returns the frame with each column replaced by the number of present values in its
   * window.
   *
   * @param columns numeric columns
   * @return the frame
   */
  public Frame count(String... columns) {
    return apply("count", columns);
  }

  private Frame apply(String stat, String[] cols) {
    List<String> columns = List.of(cols);
    if (columns.isEmpty()) {
      throw new GraphException("rolling(" + window + ")." + stat + ": give at least one"
          + " column");
    }
    Schema in = frame.schema();
    in.require("rolling", columns);
    Schema out = in;
    for (String c : columns) {
      if (!Exprs.isNumeric(in.type(c))) {
        throw new GraphException("rolling(" + window + ")." + stat + ": column '" + c
            + "' is " + in.type(c).name() + ", not a number");
      }
      out = out.with(c, ColumnType.DOUBLE);
    }
    List<Key> parts = frame.outputKeys();
    String name = Tokens.name("rolling-" + stat, parts, window, columns);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    Key carry = null; // the last window - 1 rows before partition i (of the needed columns)
    for (int i = 0; i < parts.size(); i++) {
      Key k = Key.of(name, i);
      tasks.put(k, carry == null ? Task.of(new Window(stat, window, columns), parts.get(i))
          : Task.of(new Window(stat, window, columns), parts.get(i), carry));
      keys.add(k);
      if (i + 1 < parts.size() && window > 1) {
        Key next = Key.of(name + "-carry", i);
        tasks.put(next, carry == null ? Task.of(new Carry(window - 1, columns), parts.get(i))
            : Task.of(new Carry(window - 1, columns), parts.get(i), carry));
        carry = next;
      }
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "rolling-" + stat, tasks), frame.graph());
    boolean keep = frame.index().isPresent() && !columns.contains(frame.index().get());
    return Frame.fromKeysDivided(g, keys, out, "rolling-" + stat,
        keep ? frame.lazyDivisions() : null, keep ? frame.index().get() : null, false);
  }

  /** The values of the needed columns as doubles (NaN for missing), one array per column. */
  static double[][] values(Table t, List<String> columns) {
    double[][] v = new double[columns.size()][];
    for (int j = 0; j < v.length; j++) {
      Column<?> c = t.column(columns.get(j));
      double[] x = new double[t.rowCount()];
      for (int i = 0; i < x.length; i++) {
        x[i] = c.isMissing(i) ? Double.NaN : c instanceof tech.tablesaw.api.LongColumn l
            ? l.getLong(i) : ((NumericColumn<?>) c).getDouble(i);
      }
      v[j] = x;
    }
    return v;
  }

  /** The borrowed rows carried forward: the last {@code rows} values before a partition. */
  record Carry(int rows, List<String> columns) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      double[][] part = values((Table) args[0], columns);
      double[][] before = args.length > 1 ? (double[][]) args[1] : new double[columns.size()][0];
      double[][] out = new double[columns.size()][];
      for (int j = 0; j < out.length; j++) {
        double[] all = concat(before[j], part[j]);
        out[j] = java.util.Arrays.copyOfRange(all, Math.max(0, all.length - rows), all.length);
      }
      return out;
    }
  }

  static double[] concat(double[] a, double[] b) {
    double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** One partition's rows, computed with the borrowed rows in front. */
  record Window(String stat, int window, List<String> columns) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      double[][] part = values(t, columns);
      double[][] before = args.length > 1 ? (double[][]) args[1] : new double[columns.size()][0];
      Table out = Table.create(t.name());
      for (Column<?> c : t.columns()) {
        int j = columns.indexOf(c.name());
        if (j < 0) {
          out.addColumns(c);
          continue;
        }
        double[] all = concat(before[j], part[j]);
        double[] r = compute(stat, window, all);
        double[] mine = java.util.Arrays.copyOfRange(r, before[j].length, r.length);
        out.addColumns(DoubleColumn.create(c.name(), mine));
      }
      return out;
    }
  }

  /**
   * The statistic of every full window of {@code x} (NaN where the window is not full): sums
   * and counts slide, the standard deviation slides its moments about the first present
   * value (so large offsets do not cancel), minimum and maximum keep monotonic queues.
   */
  static double[] compute(String stat, int w, double[] x) {
    int n = x.length;
    double[] r = new double[n];
    java.util.Arrays.fill(r, Double.NaN);
    double shift = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        shift = v;
        break;
      }
    }
    double s = 0;
    double s2 = 0;
    int present = 0;
    ArrayDeque<Integer> q = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      double v = x[i];
      if (!Double.isNaN(v)) {
        present++;
        s += v - shift;
        s2 += (v - shift) * (v - shift);
        if (stat.equals("min") || stat.equals("max")) {
          while (!q.isEmpty() && (stat.equals("min") ? x[q.peekLast()] >= v
              : x[q.peekLast()] <= v)) {
            q.pollLast();
          }
          q.addLast(i);
        }
      }
      if (i >= w) {
        double old = x[i - w];
        if (!Double.isNaN(old)) {
          present--;
          s -= old - shift;
          s2 -= (old - shift) * (old - shift);
        }
      }
      while (!q.isEmpty() && q.peekFirst() <= i - w) {
        q.pollFirst();
      }
      if (i < w - 1) {
        continue;
      }
      if (stat.equals("count")) {
        r[i] = present;
        continue;
      }
      if (present < w) {
        continue; // a missing value in the window
      }
      switch (stat) {
        case "sum" -> r[i] = s + w * shift;
        case "mean" -> r[i] = s / w + shift;
        case "std" -> r[i] = w < 2 ? Double.NaN
            : Math.sqrt(Math.max(0, (s2 - s * s / w) / (w - 1)));
        case "min", "max" -> r[i] = x[q.peekFirst()];
        default -> throw new IllegalArgumentException(stat);
      }
    }
    return r;
  }
}
