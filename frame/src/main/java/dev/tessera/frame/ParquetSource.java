package dev.tessera.frame;

import dev.tessera.graph.core.TaskGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Parquet splits: each task opens its file and reads only the column chunks of the columns
 * the graph needs (and those the filters read), in its row groups.
 *
 * @param splits the partitions
 * @param schema the frame's columns
 * @param filters the filters, in disjunctive normal form (empty for none)
 * @param filterColumns the columns the filters read, which may be outside {@code schema}
 */
record ParquetSource(List<ParquetSplit> splits, Schema schema,
    List<List<ParquetFilter>> filters, List<String> filterColumns) implements Source {
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
    Set<String> read = new LinkedHashSet<>();
    for (String c : schema.names()) { // in the frame's order
      if (columns.contains(c)) {
        read.add(c);
      }
    }
    read.addAll(filterColumns);
    return new ParquetLoader(new ArrayList<>(read), List.copyOf(columns), filters);
  }

  @Override
  public Object token() {
    return List.of("parquet", splits, schema.names(), schema.typeNames(),
        filters.toString());
  }

  /** Reads one split's columns, then keeps the rows the filters select. */
  record ParquetLoader(List<String> read, List<String> keep, List<List<ParquetFilter>> filters)
      implements Loader {
    @Override
    public Table load(Object arg) throws Exception {
      Table t = ParquetRead.read((ParquetSplit) arg, read);
      if (filters.isEmpty()) {
        return t;
      }
      t = t.where(ParquetFilter.expr(filters).select(t));
      // columns read only for the filters leave, so no later operation sees them
      List<String> out = new ArrayList<>();
      for (String c : read) {
        if (keep.contains(c)) {
          out.add(c);
        }
      }
      return out.size() == read.size() ? t : Tables.select(t, out);
    }
  }

}
