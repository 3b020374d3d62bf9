package dev.tessera.frame;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.GraphException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * {@code pivotTable(index, columns, values, agg)} as pandas' {@code pivot_table}: a groupby on
 * (index, columns) aggregates {@code values} as a tree reduction (only partial aggregates
 * travel), then one small task spreads the groups into one column per distinct value of
 * {@code columns}. Those distinct values are computed when the frame is built (Dask needs
 * them as known categories for the same reason: the meta must be known before anything runs).
 */
final class Pivot {
  private Pivot() {}

  static Frame pivot(Frame f, String index, String columns, String values, String agg) {
    f.schema().require("pivotTable", List.of(index, columns, values));
    if (index.equals(columns)) {
      throw new GraphException("pivotTable: index and columns are both '" + index + "'");
    }
    Agg a = switch (agg) {
      case "sum" -> Agg.sum(values);
      case "mean" -> Agg.mean(values);
      case "count" -> Agg.count(values);
      case "min" -> Agg.min(values);
      case "max" -> Agg.max(values);
      case "std" -> Agg.std(values);
      case "var" -> Agg.var(values);
      case "first" -> Agg.first(values);
      case "last" -> Agg.last(values);
      case "nunique" -> Agg.nunique(values);
      default -> throw new GraphException("pivotTable: agg '" + agg + "' is not one of sum,"
          + " mean, count, min, max, std, var, first, last, nunique");
    };
    Frame grouped = f.groupby(index, columns).agg(a.as("__value"));
    Table distinct = f.select(columns).dropDuplicates(columns).compute();
    List<Object> keys = new ArrayList<>();
    Column<?> dc = distinct.column(columns);
    for (int i = 0; i < dc.size(); i++) {
      if (!dc.isMissing(i)) {
        keys.add(dc.get(i));
      }
    }
    keys.sort((x, y) -> Locate.cmp(x, y));
    ColumnType vt = grouped.schema().type("__value");
    Map<String, ColumnType> m = new LinkedHashMap<>();
    m.put(index, f.schema().type(index));
    List<String> names = new ArrayList<>();
    for (Object k : keys) {
      String n = String.valueOf(k);
      if (m.containsKey(n)) {
        throw new GraphException("pivotTable: the value " + n + " of '" + columns + "' would"
            + " name a column like the index '" + index + "'; rename the index first");
      }
      m.put(n, vt);
      names.add(n);
    }
    Schema meta = Schema.of(m);
    return grouped.mapPartitions(new Spread(index, columns, names, meta), meta);
  }

  /** Spreads (index, column value, aggregate) rows into one row per index value. */
  record Spread(String index, String columns, List<String> names, Schema meta)
      implements Fn1<Table, Table> {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Table apply(Table g) {
      Table out = meta.emptyTable();
      Map<Object, Integer> rowOf = new HashMap<>();
      Column idx = g.column(index);
      Column col = g.column(columns);
      Column val = g.column("__value");
      List<Object> order = new ArrayList<>();
      for (int i = 0; i < g.rowCount(); i++) {
        Object k = idx.get(i);
        if (!rowOf.containsKey(k)) {
          rowOf.put(k, order.size());
          order.add(k);
        }
      }
      order.sort((x, y) -> Locate.cmp(x, y));
      for (int r = 0; r < order.size(); r++) {
        rowOf.put(order.get(r), r);
      }
      Object[][] cells = new Object[names.size()][order.size()];
      for (int i = 0; i < g.rowCount(); i++) {
        int c = names.indexOf(String.valueOf(col.get(i)));
        if (c >= 0 && !val.isMissing(i)) {
          cells[c][rowOf.get(idx.get(i))] = val.get(i);
        }
      }
      Column oi = out.column(0);
      for (Object k : order) {
        oi.appendObj(k);
      }
      for (int c = 0; c < names.size(); c++) {
        Column oc = out.column(c + 1);
        for (Object v : cells[c]) {
          if (v == null) {
            oc.appendMissing();
          } else {
            oc.appendObj(v);
          }
        }
      }
      return out;
    }
  }
}
