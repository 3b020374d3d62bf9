package dev.tessera.bag;

import dev.tessera.graph.Fn1;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/** One field of an element: a map value, a list or array element, or a record component. */
record Pluck(Object key) implements Fn1<Object, Object> {
  private static final long serialVersionUID = 1L;

  @Override
  public Object apply(Object x) throws Exception {
    if (x instanceof Map<?, ?> m) {
      if (!m.containsKey(key)) {
        throw new IllegalArgumentException("pluck: map has no key " + key + " (keys: "
            + m.keySet() + ")");
      }
      return m.get(key);
    }
    if (x instanceof List<?> l && key instanceof Integer i) {
      return l.get(i);
    }
    if (x != null && x.getClass().isArray() && key instanceof Integer i) {
      return Array.get(x, i);
    }
    if (x instanceof Record r && key instanceof String s) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        if (c.getName().equals(s)) {
          c.getAccessor().setAccessible(true);
          return c.getAccessor().invoke(r);
        }
      }
      throw new IllegalArgumentException("pluck: record " + r.getClass().getSimpleName()
          + " has no component '" + s + "'");
    }
    throw new IllegalArgumentException("pluck(" + key + "): cannot pluck from "
        + (x == null ? "null" : x.getClass().getName()) + "; expected a Map, a List or array"
        + " with an int index, or a record with a component name");
  }
}
