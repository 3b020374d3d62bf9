package dev.tessera.frame;

import dev.tessera.frame.ParquetTypes.Col;
import dev.tessera.graph.GraphException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import tech.tablesaw.api.ColumnType;

/**
 * What {@code readParquet} does before anything runs: finds the files, reads every footer
 * (the columns must agree), rules out row groups by their statistics, and groups the rest
 * into splits.
 */
final class ParquetScan {
  private ParquetScan() {}

  static ParquetSource scan(String pattern, ParquetOptions o) {
    List<Path> files = files(pattern);
    Schema schema = null;
    Schema all = null; // the selected columns and those the filters read
    Set<String> filterCols = new LinkedHashSet<>();
    for (List<ParquetFilter> and : o.filters()) {
      for (ParquetFilter f : and) {
        filterCols.add(f.column());
      }
    }
    List<ParquetSplit> splits = new ArrayList<>();
    for (Path p : files) {
      String file = p.toString();
      ParquetMetadata footer;
      try (ParquetFileReader r = ParquetRead.open(file)) {
        footer = r.getFooter();
      } catch (IOException | RuntimeException e) {
        throw new GraphException("readParquet: " + file + " is not a readable Parquet file: "
            + e.getMessage());
      }
      MessageType ms = footer.getFileMetaData().getSchema();
      List<String> names = o.columns();
      if (names == null) {
        names = new ArrayList<>();
        for (Type t : ms.getFields()) {
          names.add(t.getName());
        }
      }
      Set<String> wanted = new LinkedHashSet<>(names);
      wanted.addAll(filterCols);
      Map<String, ColumnType> types = new LinkedHashMap<>();
      for (String n : wanted) {
        if (!ms.containsField(n)) {
          throw new GraphException("readParquet: " + file + " has no column '" + n
              + "'; its columns are " + ms.getFields().stream().map(Type::getName).toList());
        }
        try {
          types.put(n, ParquetTypes.col(ms.getType(n), file).type());
        } catch (FrameException e) {
          throw new GraphException("readParquet: " + e.getMessage());
        }
      }
      Schema fs = Schema.of(types);
      if (all == null) {
        all = fs;
        schema = fs.select(names);
        if (!o.filters().isEmpty()) {
          ParquetFilter.expr(o.filters()).type(all); // wrong types fail now
        }
      } else if (!all.equals(fs)) {
        throw new GraphException("readParquet(" + pattern + "): " + file + " has columns "
            + fs + " but " + files.get(0) + " has " + all + "; every file must have the same"
            + " columns and types (or read them separately and concat)");
      }
      splits.addAll(splits(p, footer, o));
    }
    if (splits.isEmpty()) { // every row group ruled out: one empty partition
      Path p = files.get(0);
      splits.add(new ParquetSplit(p.toString(), List.of(), 0, size(p), modified(p)));
    }
    return new ParquetSource(splits, schema, o.filters(), new ArrayList<>(filterCols));
  }

  /** Groups the row groups of one file that the filters do not rule out. */
  static List<ParquetSplit> splits(Path p, ParquetMetadata footer, ParquetOptions o) {
    String file = p.toString();
    long size = size(p);
    long mtime = modified(p);
    List<ParquetSplit> out = new ArrayList<>();
    List<BlockMetaData> groups = footer.getBlocks();
    List<Integer> cur = new ArrayList<>();
    long rows = 0;
    long bytes = 0;
    for (int g = 0; g < groups.size(); g++) {
      BlockMetaData b = groups.get(g);
      if (b.getRowCount() == 0 || !o.filters().isEmpty() && ruledOut(b, o.filters())) {
        continue;
      }
      cur.add(g);
      rows += b.getRowCount();
      bytes += b.getTotalByteSize();
      if (o.blocksize() < 0 || o.blocksize() > 0 && bytes >= o.blocksize()) {
        out.add(new ParquetSplit(file, cur, rows, size, mtime));
        cur = new ArrayList<>();
        rows = 0;
        bytes = 0;
      }
    }
    if (!cur.isEmpty()) {
      out.add(new ParquetSplit(file, cur, rows, size, mtime));
    }
    return out; // an empty file adds no partition (the scan keeps at least one)
  }

  /** Returns whether statistics show that no row of the group passes the filters. */
  static boolean ruledOut(BlockMetaData b, List<List<ParquetFilter>> dnf) {
    Map<String, ColumnChunkMetaData> chunks = new LinkedHashMap<>();
    for (ColumnChunkMetaData c : b.getColumns()) {
      chunks.put(c.getPath().toDotString(), c);
    }
    for (List<ParquetFilter> and : dnf) {
      boolean out = false;
      for (ParquetFilter f : and) {
        ColumnChunkMetaData c = chunks.get(f.column());
        if (c != null && ruledOut(f, c, b.getRowCount())) {
          out = true;
          break;
        }
      }
      if (!out) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether a column chunk's statistics show that no value passes {@code f}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static boolean ruledOut(ParquetFilter f, ColumnChunkMetaData c, long rows) {
    Statistics s = c.getStatistics();
    if (s == null || s.isEmpty()) {
      return false;
    }
    if (s.isNumNullsSet() && s.getNumNulls() == rows && rows > 0) {
      return true; // every value missing: every comparison is false
    }
    if (!s.hasNonNullValue()) {
      return false;
    }
    List<?> values = f.value() instanceof List<?> l ? l : List.of(f.value());
    switch (f.op()) {
      case "==":
      case "in": {
        for (Object v : values) {
          Integer lo = cmp(s.genericGetMin(), v, s);
          Integer hi = cmp(s.genericGetMax(), v, s);
          if (lo == null || hi == null || lo <= 0 && hi >= 0) {
            return false; // v may be in [min, max]
          }
        }
        return true;
      }
      case "!=":
      case "not in": {
        // ruled out only when every value is one of the excluded ones
        Integer same = cmp(s.genericGetMin(), s.genericGetMax(), s);
        if (same == null || same != 0) {
          return false;
        }
        for (Object v : values) {
          Integer e = cmp(s.genericGetMin(), v, s);
          if (e != null && e == 0) {
            return true;
          }
        }
        return false;
      }
      case "<": {
        Integer lo = cmp(s.genericGetMin(), f.value(), s);
        return lo != null && lo >= 0;
      }
      case "<=": {
        Integer lo = cmp(s.genericGetMin(), f.value(), s);
        return lo != null && lo > 0;
      }
      case ">": {
        Integer hi = cmp(s.genericGetMax(), f.value(), s);
        return hi != null && hi <= 0;
      }
      case ">=": {
        Integer hi = cmp(s.genericGetMax(), f.value(), s);
        return hi != null && hi < 0;
      }
      default:
        return false;
    }
  }

  /**
   * Compares a statistics value (min or max, in its physical type) with a filter value, or
   * returns null when they cannot be compared exactly (other types, NaN, a long too large
   * for a double): the row group is then read.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Integer cmp(Object stat, Object v, Statistics s) {
    if (stat instanceof Binary b && v instanceof Binary w) {
      return Integer.signum(s.comparator().compare(b, w));
    }
    if (stat instanceof Binary b) {
      if (!(v instanceof String str)
          || s.type().getLogicalTypeAnnotation() instanceof
              org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
        return null;
      }
      return Integer.signum(s.comparator().compare(b, Binary.fromString(str)));
    }
    if (stat instanceof Boolean x && v instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    org.apache.parquet.schema.LogicalTypeAnnotation a = s.type().getLogicalTypeAnnotation();
    if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
      if (stat instanceof Integer d && v instanceof LocalDate ld) {
        return Long.compare(d, ld.toEpochDay());
      }
      return null;
    }
    if (a != null && !(a instanceof
        org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation i
        && i.isSigned())) {
      return null; // unsigned, decimal, time, timestamp: rows are still filtered
    }
    if (!(stat instanceof Number x) || !(v instanceof Number y)) {
      return null;
    }
    if ((x instanceof Integer || x instanceof Long) && (y instanceof Integer || y instanceof Long
        || y instanceof Short || y instanceof Byte)) {
      return Long.compare(x.longValue(), y.longValue());
    }
    double dx = x.doubleValue();
    double dy = y.doubleValue();
    if (Double.isNaN(dx) || Double.isNaN(dy)) {
      return null;
    }
    boolean exact = (!(x instanceof Long) || Math.abs(x.longValue()) <= (1L << 53))
        && (!(y instanceof Long) || Math.abs(y.longValue()) <= (1L << 53));
    int r = Double.compare(dx, dy);
    if (dx == 0 && dy == 0) {
      r = 0; // -0.0 == 0.0
    }
    return r == 0 && !exact ? null : r;
  }

  static List<Path> files(String pattern) {
    List<Path> found;
    try {
      found = CsvScan.files(pattern);
    } catch (GraphException e) {
      throw new GraphException(e.getMessage().replace("readCsv", "readParquet"));
    }
    if (Files.isDirectory(Path.of(pattern))) {
      // a dataset directory may hold other files (Spark's _SUCCESS is already left out)
      List<Path> pq = new ArrayList<>();
      for (Path p : found) {
        String n = p.getFileName().toString();
        if (n.endsWith(".parquet") || n.endsWith(".parq") || n.endsWith(".pq")) {
          pq.add(p);
        }
      }
      if (!pq.isEmpty()) {
        return pq;
      }
    }
    return found;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new GraphException("readParquet: cannot read the size of " + p + ": " + e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new GraphException("readParquet: cannot read " + p + ": " + e);
    }
  }
}
