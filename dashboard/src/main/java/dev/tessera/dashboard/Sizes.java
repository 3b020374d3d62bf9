package dev.tessera.dashboard;

import java.lang.reflect.Method;
import java.util.function.ToLongFunction;

/**
 * The size in bytes of a task's result, when it is cheap to know: primitive arrays, strings
 * and ND4J arrays (found by name, so this module does not depend on ND4J); -1 otherwise.
 * Called on the hot path, so it never walks object graphs.
 */
final class Sizes {
  private Sizes() {}

  private static final ClassValue<ToLongFunction<Object>> BY_CLASS = new ClassValue<>() {
    @Override
    protected ToLongFunction<Object> computeValue(Class<?> type) {
      return sizer(type);
    }
  };

  static long of(Object result) {
    if (result == null) {
      return -1;
    }
    return BY_CLASS.get(result.getClass()).applyAsLong(result);
  }

  private static ToLongFunction<Object> sizer(Class<?> type) {
    if (type == byte[].class) {
      return o -> ((byte[]) o).length;
    } else if (type == double[].class) {
      return o -> 8L * ((double[]) o).length;
    } else if (type == long[].class) {
      return o -> 8L * ((long[]) o).length;
    } else if (type == int[].class) {
      return o -> 4L * ((int[]) o).length;
    } else if (type == float[].class) {
      return o -> 4L * ((float[]) o).length;
    } else if (type == String.class) {
      return o -> 2L * ((String) o).length();
    } else if (type == Integer.class || type == Float.class) {
      return o -> 4;
    } else if (type == Long.class || type == Double.class) {
      return o -> 8;
    }
    ToLongFunction<Object> nd = nd4j(type);
    return nd != null ? nd : o -> -1;
  }

  /** An INDArray's {@code length() * data().getElementSize()}, by reflection. */
  private static ToLongFunction<Object> nd4j(Class<?> type) {
    Class<?> api = find(type, "org.nd4j.linalg.api.ndarray.INDArray");
    if (api == null) {
      return null;
    }
    try {
      Method length = api.getMethod("length");
      Method data = api.getMethod("data");
      Method element = data.getReturnType().getMethod("getElementSize");
      return o -> {
        try {
          long n = (long) length.invoke(o);
          Object buffer = data.invoke(o);
          return buffer == null ? -1 : n * ((Number) element.invoke(buffer)).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
          return -1;
        }
      };
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Class<?> find(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().equals(name)) {
          return i;
        }
        Class<?> deeper = find(i, name);
        if (deeper != null) {
          return deeper;
        }
      }
    }
    return null;
  }
}
