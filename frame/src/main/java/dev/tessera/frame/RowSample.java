package dev.tessera.frame;

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

/**
 * The sample a sort's boundaries come from, when the frame is a CSV read (with at most column
 * selections after it): each task draws rows at random and parses only those
 * ({@link CsvReader#drawRows}), instead of parsing the sorted column of every row. On W12 the
 * full pass was a quarter of the run. The divisions still come from the full pass
 * ({@link Shuffle.Sample}), which runs only when they are asked for.
 */
final class RowSample {
  private RowSample() {}

  /** The drawing tasks of {@code f}'s partitions, or null when {@code f} is not a CSV read. */
  static Frame.Stage stage(Frame f, String column, int size) {
    if (!(f.source() instanceof Source.Csv csv)
        || !f.ops().stream().allMatch(op -> op instanceof PartitionOp.Select)) {
      return null;
    }
    boolean[] wanted = new boolean[csv.schema().size()];
    wanted[csv.schema().names().indexOf(column)] = true;
    String name = Tokens.name("sort-draw", f.token(), column, size);
    Draw draw = new Draw(csv.format(), csv.schema(), wanted, csv.why(), column, size);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    for (int i = 0; i < csv.npartitions(); i++) {
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(draw, csv.arg(i)));
      out.add(k);
    }
    return new Frame.Stage(TaskGraph.of(Layer.of(name, "sort-draw", tasks), csv.graph()), out);
  }

  /**
   * Draws {@code size} rows of one split: their present values, sorted, stand for the split's
   * estimated number of present values. A split that cannot be drawn from is sampled whole.
   */
  record Draw(CsvFormat format, Schema schema, boolean[] wanted, String why, String column,
      int size) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      CsvSplit split = (CsvSplit) args[0];
      Shuffle.Sample sample = new Shuffle.Sample(column, size);
      CsvReader.Drawn d = CsvReader.drawRows(split, format, schema, wanted, why, size);
      if (d == null || d.whole()) {
        return sample.apply(d == null ? CsvReader.read(split, format, schema, wanted, why)
            : d.rows());
      }
      Shuffle.SampleResult s = (Shuffle.SampleResult) sample.apply(d.rows());
      int drawn = d.rows().rowCount();
      long present = drawn == 0 ? 0 : Math.round(d.splitRows() * (double) s.count() / drawn);
      return new Shuffle.SampleResult(s.values(), present, s.min(), s.max());
    }
  }
}
