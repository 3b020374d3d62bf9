package dev.tessera.frame;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskFunction;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Turns one bag partition into a table of the given meta ({@link Frame#fromBag}). An element
 * is a {@link Map} (by column name), a record (by component name), a {@link List} or an array
 * (by position), or, for a one-column meta, the value itself. Values are converted to the
 * column's type: numbers between numeric types (a fraction into an integer column is an
 * error), strings parsed, dates from ISO text; {@code null} is a missing value.
 */
record BagRows(Schema meta, Key partition) implements TaskFunction {
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object apply(Object[] args) {
    List<?> elements = (List<?>) args[0];
    Table t = meta.emptyTable();
    int columns = meta.size();
    for (int e = 0; e < elements.size(); e++) {
      Object element = elements.get(e);
      for (int c = 0; c < columns; c++) {
        Object raw = field(element, c, e);
        Column col = t.column(c);
        if (raw == null) {
          col.appendMissing();
          continue;
        }
        try {
          col.appendObj(convert(raw, meta.type(c)));
        } catch (RuntimeException ex) {
          throw new FrameException("bag partition " + partition + ", element " + e
              + ": column '" + meta.names().get(c) + "' of type " + meta.type(c).name()
              + " cannot take " + describe(raw) + ": " + ex.getMessage(), ex);
        }
      }
    }
    return t;
  }

  private Object field(Object element, int c, int e) {
    String name = meta.names().get(c);
    if (element instanceof Map<?, ?> m) {
      if (!m.containsKey(name)) {
        throw new FrameException("bag partition " + partition + ", element " + e
            + " has no field '" + name + "' (fields: " + m.keySet() + ")");
      }
      return m.get(name);
    }
    if (element instanceof Record r) {
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        if (rc.getName().equals(name)) {
          try {
            rc.getAccessor().setAccessible(true);
            return rc.getAccessor().invoke(r);
          } catch (ReflectiveOperationException ex) {
            throw new FrameException("bag partition " + partition + ", element " + e
                + ": cannot read field '" + name + "': " + ex, ex);
          }
        }
      }
      throw new FrameException("bag partition " + partition + ", element " + e + " ("
          + r.getClass().getSimpleName() + ") has no component '" + name + "'");
    }
    if (element instanceof List<?> l) {
      return positional(l.size(), e, () -> l.get(c));
    }
    if (element instanceof Object[] a) {
      return positional(a.length, e, () -> a[c]);
    }
    if (meta.size() == 1) {
      return element;
    }
    throw new FrameException("bag partition " + partition + ", element " + e + " is "
        + describe(element) + "; for " + meta.size() + " columns give maps, records, lists"
        + " or arrays");
  }

  private Object positional(int size, int e, java.util.function.Supplier<Object> get) {
    if (size != meta.size()) {
      throw new FrameException("bag partition " + partition + ", element " + e + " has "
          + size + " fields, the meta " + meta.size() + " " + meta.names());
    }
    return get.get();
  }

  private static String describe(Object v) {
    String s = String.valueOf(v);
    return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "' ("
        + v.getClass().getSimpleName() + ")";
  }

  static Object convert(Object v, ColumnType type) {
    String t = type.name();
    switch (t) {
      case "DOUBLE":
        return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
      case "FLOAT":
        return v instanceof Number n ? n.floatValue() : Float.parseFloat(v.toString());
      case "INTEGER":
        return notMissingMarker(Math.toIntExact(integral(v)), Integer.MIN_VALUE, t, "LONG");
      case "LONG":
        return notMissingMarker(integral(v), Long.MIN_VALUE, t, "STRING");
      case "SHORT":
        long s = integral(v);
        if (s != (short) s) {
          throw new ArithmeticException("out of range for a short");
        }
        return notMissingMarker((short) s, Short.MIN_VALUE, t, "INTEGER");
      case "BOOLEAN":
        if (v instanceof Boolean b) {
          return b;
        }
        String text = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
          return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("not true or false");
      case "STRING":
      case "TEXT":
        return v.toString();
      case "LOCAL_DATE":
        return v instanceof LocalDate d ? d : LocalDate.parse(v.toString());
      case "LOCAL_DATE_TIME":
        LocalDateTime dt = v instanceof LocalDateTime d ? d : LocalDateTime.parse(v.toString());
        if (CsvColumns.finerThanMillis(dt)) {
          throw new IllegalArgumentException(dt + " has a part finer than a millisecond, which"
              + " Tablesaw's LOCAL_DATE_TIME (milliseconds) would silently drop; use STRING");
        }
        return dt;
      case "LOCAL_TIME":
        return v instanceof LocalTime d ? d : LocalTime.parse(v.toString());
      case "INSTANT":
        return v instanceof Instant d ? d : Instant.parse(v.toString());
      default:
        return v;
    }
  }

  /** Refuses Tablesaw's missing-value marker of a type: it would silently become missing. */
  private static <N extends Number> N notMissingMarker(N v, Number marker, String type,
      String wider) {
    if (v.longValue() == marker.longValue()) {
      throw new ArithmeticException(v + " is the value Tablesaw's " + type + " columns use to"
          + " mark missing values, so it would silently become missing; use " + wider);
    }
    return v;
  }

  private static long integral(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new ArithmeticException("not a whole number");
      }
      return (long) d;
    }
    return Long.parseLong(v.toString().trim());
  }
}
