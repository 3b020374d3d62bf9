package dev.tessera.frame;

import dev.tessera.bag.Bag;
import dev.tessera.bag.Json;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.FnN;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Key;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Frames from and to JSON lines and bags: {@link Frame#readJson}, {@link Frame#toJson},
 * {@link Frame#toBag}. JSON is read through {@link Bag#readJson} (Gson, blocks split on line
 * boundaries), so a frame read from JSON has one partition per block.
 */
final class JsonFrames {
  private JsonFrames() {}

  static final int SAMPLE_LINES = 1000;

  static Frame readJson(String pattern, Schema meta, long blocksize) {
    Bag<Object> values = Bag.readJson(List.of(pattern), blocksize);
    return Frame.fromBag(values.map(new Row(meta.names())), meta);
  }

  static Frame readJson(String pattern, long blocksize) {
    List<Path> files;
    try {
      files = CsvScan.files(pattern);
    } catch (GraphException e) {
      throw new GraphException(e.getMessage().replace("readCsv", "readJson"));
    }
    return readJson(pattern, infer(files.get(0)), blocksize);
  }

  /**
   * Infers the columns from the first lines of a file: keys in order of first appearance;
   * whole numbers LONG, other numbers DOUBLE (also when mixed with whole ones), booleans,
   * strings that are all ISO dates LOCAL_DATE, other strings, nested values and columns that
   * are always null STRING.
   */
  static Schema infer(Path file) {
    Map<String, String> kinds = new LinkedHashMap<>();
    try (InputStream raw = Files.newInputStream(file);
        BufferedReader r = new BufferedReader(new InputStreamReader(
            file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw,
            StandardCharsets.UTF_8))) {
      int n = 0;
      int lineNo = 0;
      for (String line = r.readLine(); line != null && n < SAMPLE_LINES; line = r.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        Object v;
        try {
          v = Json.parse(line);
        } catch (IllegalArgumentException e) {
          throw new GraphException("readJson: " + file + ", line " + lineNo + ": "
              + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) {
          throw new GraphException("readJson: " + file + ", line " + lineNo + " is not a JSON"
              + " object; a frame needs one object per line (read other values with"
              + " Bag.readJson)");
        }
        n++;
        for (Map.Entry<?, ?> f : m.entrySet()) {
          String k = (String) f.getKey();
          kinds.put(k, merge(kinds.get(k), kind(f.getValue())));
        }
      }
    } catch (IOException e) {
      throw new GraphException("readJson: cannot read " + file + ": " + e);
    }
    if (kinds.isEmpty()) {
      throw new GraphException("readJson: " + file + " has no JSON object in its first "
          + SAMPLE_LINES + " lines to infer the columns from; give them with"
          + " Frame.readJson(path, Schema.of(...))");
    }
    Map<String, ColumnType> types = new LinkedHashMap<>();
    kinds.forEach((k, v) -> types.put(k, switch (v == null ? "null" : v) {
      case "long" -> ColumnType.LONG;
      case "double" -> ColumnType.DOUBLE;
      case "boolean" -> ColumnType.BOOLEAN;
      case "date" -> ColumnType.LOCAL_DATE;
      default -> ColumnType.STRING;
    }));
    return Schema.of(types);
  }

  private static String kind(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Long) {
      return "long";
    }
    if (v instanceof Double) {
      return "double";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof String s) {
      try {
        LocalDate.parse(s);
        return "date";
      } catch (DateTimeParseException e) {
        return "string";
      }
    }
    return "string"; // nested: kept as JSON text
  }

  private static String merge(String a, String b) {
    if (a == null) {
      return b;
    }
    if (b == null || a.equals(b)) {
      return a;
    }
    if (a.equals("long") && b.equals("double") || a.equals("double") && b.equals("long")) {
      return "double";
    }
    return "string";
  }

  /** One JSON object to the row of the meta's columns (absent keys are missing values). */
  record Row(List<String> names) implements Fn1<Object, List<Object>> {
    @Override
    public List<Object> apply(Object v) {
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("not a JSON object: a frame needs one object per"
            + " line, got " + Json.format(v));
      }
      List<Object> row = new ArrayList<>(names.size());
      for (String n : names) {
        Object x = m.get(n);
        row.add(x instanceof Map || x instanceof List ? Json.format(x) : x);
      }
      return row;
    }
  }

  // ------------------------------------------------------------------------------ toBag

  static Bag<Map<String, Object>> toBag(Frame f) {
    List<Key> keys = f.outputKeys();
    List<Delayed<List<Map<String, Object>>>> parts = new ArrayList<>();
    for (Key k : keys) {
      Frame one = f.withKeys(f.graph(), List.of(k));
      parts.add(Delayed.apply(new Maps(), one));
    }
    return Bag.fromDelayed(parts);
  }

  /** A table's rows as maps from column name to value (null for missing), in order. */
  record Maps() implements FnN<List<Map<String, Object>>> {
    @Override
    public List<Map<String, Object>> apply(Object[] args) {
      Table t = (Table) args[0];
      List<Column<?>> cols = t.columns();
      List<Map<String, Object>> out = new ArrayList<>(t.rowCount());
      for (int i = 0; i < t.rowCount(); i++) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Column<?> c : cols) {
          m.put(c.name(), c.isMissing(i) ? null : c.get(i));
        }
        out.add(m);
      }
      return out;
    }
  }

  static <R extends Record> Bag<R> toBag(Frame f, Class<R> type) {
    java.lang.reflect.RecordComponent[] rc = type.getRecordComponents();
    List<String> names = new ArrayList<>();
    for (java.lang.reflect.RecordComponent c : rc) {
      if (!f.schema().has(c.getName())) {
        throw new GraphException("toBag(" + type.getSimpleName() + "): no column '"
            + c.getName() + "' for its component; the columns are " + f.schema().names());
      }
      names.add(c.getName());
    }
    List<Delayed<List<R>>> parts = new ArrayList<>();
    Frame sel = f.select(names.toArray(new String[0]));
    for (Key k : sel.outputKeys()) {
      parts.add(Delayed.apply(new Records<R>(type), sel.withKeys(sel.graph(), List.of(k))));
    }
    return Bag.fromDelayed(parts);
  }

  /** A table's rows as records whose components are named like its columns. */
  record Records<R extends Record>(Class<R> type) implements FnN<List<R>> {
    @Override
    public List<R> apply(Object[] args) throws Exception {
      Table t = (Table) args[0];
      java.lang.reflect.RecordComponent[] rc = type.getRecordComponents();
      Class<?>[] types = new Class<?>[rc.length];
      for (int j = 0; j < rc.length; j++) {
        types[j] = rc[j].getType();
      }
      java.lang.reflect.Constructor<R> make = type.getDeclaredConstructor(types);
      make.setAccessible(true);
      List<R> out = new ArrayList<>(t.rowCount());
      Object[] values = new Object[rc.length];
      for (int i = 0; i < t.rowCount(); i++) {
        for (int j = 0; j < rc.length; j++) {
          Column<?> c = t.column(j);
          Object v = c.isMissing(i) ? null : c.get(i);
          values[j] = fit(v, types[j], c.name(), i);
        }
        out.add(make.newInstance(values));
      }
      return out;
    }

    private static Object fit(Object v, Class<?> to, String column, int row) {
      if (v == null) {
        if (to.isPrimitive()) {
          if (to == double.class || to == float.class) {
            return to == double.class ? Double.NaN : Float.NaN;
          }
          throw new FrameException("toBag: row " + row + ", column '" + column + "' is"
              + " missing but the record component is " + to + "; use a boxed type");
        }
        return null;
      }
      if (v instanceof Number n) {
        if (to == double.class || to == Double.class) {
          return n.doubleValue();
        }
        if (to == long.class || to == Long.class) {
          return n.longValue();
        }
        if (to == int.class || to == Integer.class) {
          return Math.toIntExact(n.longValue());
        }
        if (to == float.class || to == Float.class) {
          return n.floatValue();
        }
      }
      if (to == String.class) {
        return v.toString();
      }
      return v;
    }
  }

  static List<String> toJson(Frame f, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("toJson: cannot create " + dir, e);
    }
    return toBag(f).toJson(dir.resolve("part-*.jsonl").toString());
  }
}
