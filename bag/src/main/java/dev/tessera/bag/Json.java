package dev.tessera.bag;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import dev.tessera.graph.Fn1;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines with Gson: one value per line, read as plain Java values (objects as
 * {@code LinkedHashMap<String, Object>} in field order, arrays as lists, whole numbers that
 * fit as {@code Long}, other numbers as {@code Double}, strings, booleans, {@code null}) and
 * written back from the same kinds (plus any other number, records and maps by their
 * {@code toString} keys, dates and other objects as their strings).
 */
public final class Json {
  private Json() {}

  /**
   * Parses one line of JSON (strictly: no comments, no unquoted names, exactly one value).
   *
   * @param line the text
   * @return the value
   * @throws IllegalArgumentException naming the problem and the start of the line
   */
  public static Object parse(String line) {
    java.util.Objects.requireNonNull(line, "line");
    try {
      JsonReader r = new JsonReader(new StringReader(line));
      r.setStrictness(Strictness.STRICT);
      JsonElement e = JsonParser.parseReader(r);
      if (r.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
        throw new JsonParseException("more than one JSON value on the line");
      }
      return value(e);
    } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
      String start = line.length() > 60 ? line.substring(0, 60) + "..." : line;
      throw new IllegalArgumentException("not one JSON value per line ("
          + e.getMessage() + "): " + start, e);
    }
  }

  static Object value(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
        m.put(f.getKey(), value(f.getValue()));
      }
      return m;
    }
    if (e.isJsonArray()) {
      List<Object> l = new ArrayList<>();
      for (JsonElement x : e.getAsJsonArray()) {
        l.add(value(x));
      }
      return l;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isString()) {
      return p.getAsString();
    }
    String n = p.getAsString();
    if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
      try {
        return Long.parseLong(n);
      } catch (NumberFormatException big) {
        return new BigDecimal(n).doubleValue(); // past the range of a long
      }
    }
    return Double.parseDouble(n);
  }

  /**
   * Writes a value as one line of JSON.
   *
   * @param v a map, list, array, record, number, string, boolean or null (other objects are
   *     written as their string)
   * @return the JSON text, without a line break
   */
  public static String format(Object v) {
    return tree(v).toString();
  }

  static JsonElement tree(Object v) {
    if (v == null) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject();
      for (Map.Entry<?, ?> f : m.entrySet()) {
        o.add(String.valueOf(f.getKey()), tree(f.getValue()));
      }
      return o;
    }
    if (v instanceof Iterable<?> it) {
      JsonArray a = new JsonArray();
      for (Object x : it) {
        a.add(tree(x));
      }
      return a;
    }
    if (v instanceof Object[] arr) {
      return tree(java.util.Arrays.asList(arr));
    }
    if (v instanceof double[] d) {
      JsonArray a = new JsonArray();
      for (double x : d) {
        a.add(number(x));
      }
      return a;
    }
    if (v instanceof long[] d) {
      JsonArray a = new JsonArray();
      for (long x : d) {
        a.add(x);
      }
      return a;
    }
    if (v instanceof Record r) {
      JsonObject o = new JsonObject();
      for (java.lang.reflect.RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          o.add(c.getName(), tree(c.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException("cannot read " + c.getName() + " of " + r, e);
        }
      }
      return o;
    }
    if (v instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (v instanceof Double d) {
      return number(d);
    }
    if (v instanceof Float f) {
      return number(f.doubleValue());
    }
    if (v instanceof Number n) {
      return new JsonPrimitive(n);
    }
    return new JsonPrimitive(v.toString());
  }

  /** NaN and infinities have no JSON number: they are written as null, as pandas does. */
  private static JsonElement number(double d) {
    return Double.isFinite(d) ? new JsonPrimitive(d) : JsonNull.INSTANCE;
  }

  /** Parses each line: the map function of {@link Bag#readJson}. */
  record Parse() implements Fn1<String, Object> {
    @Override
    public Object apply(String line) {
      return Json.parse(line);
    }
  }

  /** Formats each element: the map function of {@link Bag#toJson}. */
  record Format() implements Fn1<Object, String> {
    @Override
    public String apply(Object v) {
      return Json.format(v);
    }
  }

  /** Keeps lines that are not blank. */
  record NotBlank() implements Fn1<String, Boolean> {
    @Override
    public Boolean apply(String line) {
      return !line.isBlank();
    }
  }
}
