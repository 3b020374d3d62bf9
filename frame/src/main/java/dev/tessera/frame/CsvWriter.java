package dev.tessera.frame;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Writes partitions as CSV that {@link Frame#readCsv} and pandas' {@code read_csv} read back
 * unchanged: a header, numbers in full precision ({@code Double.toString}; infinities as
 * {@code inf} and {@code -inf}, as pandas writes them), ISO dates, missing values as empty
 * fields ({@code ""} in a frame of one column, as pandas writes them, since readers skip
 * empty lines), fields quoted when they hold the separator, a quote or a line break.
 */
final class CsvWriter {
  private CsvWriter() {}

  static void write(Table t, Writer w, boolean header) throws IOException {
    if (header) {
      List<String> names = t.columnNames();
      for (int j = 0; j < names.size(); j++) {
        if (j > 0) {
          w.write(',');
        }
        w.write(quote(names.get(j)));
      }
      w.write('\n');
    }
    List<Column<?>> cols = t.columns();
    StringBuilder sb = new StringBuilder(256);
    for (int i = 0; i < t.rowCount(); i++) {
      sb.setLength(0);
      for (int j = 0; j < cols.size(); j++) {
        if (j > 0) {
          sb.append(',');
        }
        Column<?> c = cols.get(j);
        if (!c.isMissing(i)) {
          sb.append(text(c.get(i)));
        } else if (cols.size() == 1) {
          sb.append("\"\""); // as pandas: an empty line would be skipped, losing the row
        }
      }
      sb.append('\n');
      w.append(sb);
    }
  }

  /** A present value as pandas writes it: {@code inf} and {@code -inf} for infinities. */
  static String text(Object v) {
    if (v instanceof String s) {
      return quote(s);
    }
    if (v instanceof Double d && d.isInfinite() || v instanceof Float f && f.isInfinite()) {
      return ((Number) v).doubleValue() > 0 ? "inf" : "-inf";
    }
    return String.valueOf(v);
  }

  static String quote(String s) {
    if (s.isEmpty()) {
      return "\"\"";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        return '"' + s.replace("\"", "\"\"") + '"';
      }
    }
    return s;
  }

  /** Writes one partition to its own file; returns the path. */
  record WritePart(String path) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws IOException {
      Path p = Path.of(path);
      try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
        write((Table) args[0], w, true);
      }
      return path;
    }
  }

  /**
   * Appends one partition to a single file, after the previous partition's write (its key is
   * the second argument: it orders the writes); the first writes the header.
   */
  record AppendPart(String path, boolean first) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws IOException {
      Path p = Path.of(path);
      StandardOpenOption mode = first ? StandardOpenOption.TRUNCATE_EXISTING
          : StandardOpenOption.APPEND;
      try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(p,
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode), StandardCharsets.UTF_8),
          1 << 16)) {
        write((Table) args[0], w, first);
      }
      return path;
    }
  }

  static List<String> toCsv(Frame f, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("toCsv: cannot create " + dir, e);
    }
    List<Key> in = f.outputKeys();
    String name = Tokens.name("to-csv", in, dir.toAbsolutePath().toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Key k = Key.of(name, i);
      String file = dir.resolve(String.format("part-%05d.csv", i)).toString();
      tasks.put(k, Task.of(new WritePart(file), in.get(i)));
      out.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "to-csv", tasks), f.graph());
    return Lazy.of(g, out, CsvWriter::strings).compute();
  }

  static String toCsvFile(Frame f, Path file) {
    String path = file.toAbsolutePath().toString();
    List<Key> in = f.outputKeys();
    String name = Tokens.name("to-csv-file", in, path);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    Key prev = null;
    for (int i = 0; i < in.size(); i++) {
      Key k = Key.of(name, i);
      // each append waits for the previous one: the file is written in partition order
      tasks.put(k, prev == null ? Task.of(new AppendPart(path, true), in.get(i))
          : Task.of(new AppendPart(path, false), in.get(i), prev));
      prev = k;
    }
    try {
      Files.deleteIfExists(file);
      Files.createFile(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("toCsvFile: cannot create " + file, e);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "to-csv-file", tasks), f.graph());
    Lazy.of(g, List.of(prev), xs -> xs.get(0)).compute();
    return path;
  }

  private static List<String> strings(List<Object> xs) {
    List<String> out = new ArrayList<>();
    for (Object x : xs) {
      out.add((String) x);
    }
    return out;
  }
}
