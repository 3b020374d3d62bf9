package dev.tessera.graph.core;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.tessera.graph.Lazy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deterministic tokens: a 128-bit hash, as 32 hex digits, of an operation and its inputs.
 *
 * <p>The same values give the same token in every JVM, so the same expression built twice gets
 * the same keys and shared work is computed once. Understood exactly: {@code null}, strings,
 * boxed primitives, enums, keys, lists, sets and maps (order-insensitive for the latter two),
 * arrays, {@link Tokenizable} objects, collections ({@link Lazy}, by their keys), and
 * serializable lambdas and method references (by their implementation method and captured
 * values). Any other {@link Serializable} value is hashed by its Java serialization. A value
 * that is neither gets a random token: it is never mistaken for another, but two equal
 * expressions containing it are not merged.
 *
 * <pre>{@code
 * String name = "inc-" + Tokens.of(fn, 1);
 * }</pre>
 */
public final class Tokens {
  private Tokens() {}

  /**
   * Returns the token of the given values, in order.
   *
   * @param values the operation and its inputs
   * @return 32 lowercase hex digits
   */
  public static String of(Object... values) {
    Hasher h = Hashing.murmur3_128().newHasher();
    for (Object v : values) {
      put(h, v, 0);
    }
    return h.hash().toString();
  }

  /**
   * Returns {@code prefix-token}, the conventional name of a collection or task.
   *
   * @param prefix the operation's name, such as {@code "sum"}
   * @param values the operation and its inputs
   * @return the name
   */
  public static String name(String prefix, Object... values) {
    return prefix + "-" + of(values);
  }

  private static void put(Hasher h, Object v, int depth) {
    if (depth > 64) {
      // deeper than any reasonable literal: fall back to identity
      h.putString(UUID.randomUUID().toString(), StandardCharsets.UTF_8);
      return;
    }
    if (v == null) {
      h.putByte((byte) 0);
    } else if (v instanceof String s) {
      h.putByte((byte) 1).putInt(s.length()).putString(s, StandardCharsets.UTF_8);
    } else if (v instanceof Integer i) {
      h.putByte((byte) 2).putInt(i);
    } else if (v instanceof Long l) {
      h.putByte((byte) 3).putLong(l);
    } else if (v instanceof Double d) {
      h.putByte((byte) 4).putDouble(d);
    } else if (v instanceof Float f) {
      h.putByte((byte) 5).putFloat(f);
    } else if (v instanceof Boolean b) {
      h.putByte((byte) 6).putBoolean(b);
    } else if (v instanceof Short || v instanceof Byte || v instanceof Character) {
      h.putByte((byte) 7).putString(v.getClass().getName() + v, StandardCharsets.UTF_8);
    } else if (v instanceof Key k) {
      putKey(h, k, null);
    } else if (v instanceof Enum<?> e) {
      h.putByte((byte) 9).putString(e.getDeclaringClass().getName() + "." + e.name(),
          StandardCharsets.UTF_8);
    } else if (v instanceof Tokenizable t) {
      h.putByte((byte) 10).putString(v.getClass().getName(), StandardCharsets.UTF_8);
      put(h, t.token(), depth + 1);
    } else if (v instanceof Lazy<?> lazy) {
      h.putByte((byte) 11).putString(v.getClass().getName(), StandardCharsets.UTF_8);
      // a collection has one key per block, mostly under one name: hash the name once per run
      // of equal names and the block indices as ints (no string per key: W1c tokenizes 40,000)
      String last = null;
      for (Key k : lazy.outputKeys()) {
        putKey(h, k, last);
        last = k.name();
      }
    } else if (v instanceof List<?> l) {
      h.putByte((byte) 12).putInt(l.size());
      for (Object o : l) {
        put(h, o, depth + 1);
      }
    } else if (v instanceof Collection<?> c) {
      putUnordered(h, (byte) 13, c, depth);
    } else if (v instanceof Map<?, ?> m) {
      List<Object> entries = new ArrayList<>(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        entries.add(List.of(of(e.getKey()), of(e.getValue())));
      }
      putUnordered(h, (byte) 14, entries, depth);
    } else if (v.getClass().isArray()) {
      int n = Array.getLength(v);
      h.putByte((byte) 15).putString(v.getClass().getName(), StandardCharsets.UTF_8).putInt(n);
      for (int i = 0; i < n; i++) {
        put(h, Array.get(v, i), depth + 1);
      }
    } else if (v instanceof Task.Quoted q) {
      h.putByte((byte) 16);
      put(h, q.value, depth + 1);
    } else {
      putFunctionOrObject(h, v, depth);
    }
  }

  /** A key: its name (or a marker when it equals {@code previousName}), rank and indices. */
  private static void putKey(Hasher h, Key k, String previousName) {
    String name = k.name();
    if (name.equals(previousName)) {
      h.putByte((byte) 17);
    } else {
      h.putByte((byte) 8).putInt(name.length()).putString(name, StandardCharsets.UTF_8);
    }
    h.putInt(k.rank());
    for (int a = 0; a < k.rank(); a++) {
      h.putInt(k.index(a));
    }
  }

  private static void putUnordered(Hasher h, byte tag, Collection<?> c, int depth) {
    List<String> parts = new ArrayList<>(c.size());
    for (Object o : c) {
      parts.add(of(o));
    }
    parts.sort(null);
    h.putByte(tag).putInt(parts.size());
    for (String p : parts) {
      h.putString(p, StandardCharsets.UTF_8);
    }
  }

  private static void putFunctionOrObject(Hasher h, Object v, int depth) {
    SerializedLambda sl = Functions.serializedLambda(v);
    if (sl != null) {
      h.putByte((byte) 20)
          .putString(sl.getImplClass(), StandardCharsets.UTF_8)
          .putString(sl.getImplMethodName(), StandardCharsets.UTF_8)
          .putString(sl.getImplMethodSignature(), StandardCharsets.UTF_8)
          .putInt(sl.getImplMethodKind())
          .putString(sl.getFunctionalInterfaceClass(), StandardCharsets.UTF_8)
          .putInt(sl.getCapturedArgCount());
      for (int i = 0; i < sl.getCapturedArgCount(); i++) {
        put(h, sl.getCapturedArg(i), depth + 1);
      }
      return;
    }
    if (v instanceof Record r && v instanceof Serializable) {
      // records (like the task-function adapters) are hashed by their components
      h.putByte((byte) 21).putString(r.getClass().getName(), StandardCharsets.UTF_8);
      for (var c : r.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          put(h, c.getAccessor().invoke(r), depth + 1);
        } catch (ReflectiveOperationException | RuntimeException e) {
          h.putString(UUID.randomUUID().toString(), StandardCharsets.UTF_8);
        }
      }
      return;
    }
    if (v instanceof Serializable) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(v);
        }
        h.putByte((byte) 22).putBytes(bytes.toByteArray());
        return;
      } catch (NotSerializableException e) {
        // falls through to a random token
      } catch (IOException e) {
        // same
      }
    }
    h.putByte((byte) 23).putString(UUID.randomUUID().toString(), StandardCharsets.UTF_8);
  }
}
