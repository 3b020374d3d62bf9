package dev.tessera.schedulers;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact form of the common task: a function and arguments that are keys, (nested) lists
 * and plain values ({@code Integer}, {@code Long}, {@code Double}, {@code String},
 * {@code byte[]}, {@code double[]}, values with a codec). Java serialization of a whole task
 * writes every class descriptor and, for a method reference, a {@code SerializedLambda} that the
 * worker resolves by reflection: most of the per-task cost of tiny tasks. Here the function is
 * serialized once and its bytes reused while the caller keeps sending the same stateless
 * function (a record of method references, as {@code Delayed.call} makes), and a worker decodes
 * each distinct function once. Other tasks keep the plain Java form.
 *
 * <pre>
 * 0x01 fnLength:int fn:bytes args:int (KEY name:UTF rank:int index:int* | LIST n:int arg* | VALUE codecValue)*
 * </pre>
 */
final class TaskCodec {
  /** The first byte of the compact form (Java serialization starts with 0xAC). */
  static final byte COMPACT = 0x01;
  private static final byte KEY = 1;
  private static final byte LIST = 2;
  private static final byte VALUE = 3;
  private static final int CACHED = 256;

  /** Whether a function's class has no instance state, so that equal means same bytes. */
  private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers())) {
            return false;
          }
        }
      }
      return true;
    }
  };

  /**
   * A record class's component accessors, made accessible (records of the graph module are
   * package-private), or null for a class that is not a record or cannot be read.
   */
  private static final ClassValue<java.lang.reflect.Method[]> ACCESSORS = new ClassValue<>() {
    @Override
    protected java.lang.reflect.Method[] computeValue(Class<?> c) {
      if (!c.isRecord()) {
        return null;
      }
      try {
        RecordComponent[] rcs = c.getRecordComponents();
        java.lang.reflect.Method[] out = new java.lang.reflect.Method[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
          out[i] = rcs[i].getAccessor();
          out[i].setAccessible(true);
        }
        return out;
      } catch (RuntimeException e) {
        return null;
      }
    }
  };

  private final Codecs codecs;
  /** Caller side: encoded stateless functions, by equality (records compare components). */
  private final Map<TaskFunction, byte[]> sent = lru();
  /** Worker side: decoded functions, by their bytes. */
  private final Map<ByteBuffer, TaskFunction> received = lru();

  TaskCodec(Codecs codecs) {
    this.codecs = codecs;
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> e) {
        return size() > CACHED;
      }
    };
  }

  /** {@return how many stateless functions' bytes the caller side keeps (for tests)} */
  int cachedFunctions() {
    synchronized (sent) {
      return sent.size();
    }
  }

  /** {@return the compact form of the task, or null if it needs Java serialization} */
  byte[] encode(Task task) throws IOException {
    List<Object> args = task.args();
    int k = args.size();
    for (int i = 0; i < k; i++) { // indexed: the list is a wrapper, its iterator costs more
      if (!plain(args.get(i), 0)) {
        return null;
      }
    }
    byte[] fn = functionBytes(task.function());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(fn.length + 16 + 8 * args.size());
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(COMPACT);
    out.writeInt(fn.length);
    out.write(fn);
    out.writeInt(k);
    for (int i = 0; i < k; i++) {
      writeArg(args.get(i), out);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private boolean plain(Object a, int depth) {
    if (a == null || a instanceof Integer || a instanceof Long || a instanceof Double
        || a instanceof byte[] || a instanceof double[]) {
      return true;
    }
    if (a instanceof String s) {
      return s.length() < 16_000;
    }
    if (a instanceof Key k) {
      return k.name().length() < 16_000;
    }
    if (a instanceof List<?> l) {
      if (depth > 8) {
        return false;
      }
      for (Object o : l) {
        if (!plain(o, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return codecs.hasCodec(a);
  }

  private byte[] functionBytes(TaskFunction fn) throws IOException {
    // looked up before the (reflective) stateless check: only stateless functions are put in,
    // and a function equal to a stateless one has equal components, which for classes without
    // instance state means the same objects (a method reference, a non-capturing lambda)
    synchronized (sent) {
      byte[] b = sent.get(fn);
      if (b != null) {
        return b;
      }
    }
    if (!cacheable(fn)) {
      return codecs.javaBytes(fn);
    }
    byte[] b = codecs.javaBytes(fn);
    synchronized (sent) {
      sent.put(fn, b);
    }
    return b;
  }

  /**
   * Whether equal functions always serialize the same: no instance state, or a record whose
   * components have none (a method reference or a non-capturing lambda). A lambda that captures
   * a mutable object is serialized anew every time, as the plain form would.
   */
  private static boolean cacheable(TaskFunction fn) {
    Class<?> c = fn.getClass();
    if (STATELESS.get(c)) {
      return true;
    }
    java.lang.reflect.Method[] accessors = ACCESSORS.get(c);
    if (accessors == null) {
      return false;
    }
    try {
      for (java.lang.reflect.Method m : accessors) {
        Object v = m.invoke(fn);
        if (v != null && !STATELESS.get(v.getClass())) {
          return false;
        }
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private void writeArg(Object a, DataOutputStream out) throws IOException {
    if (a instanceof Key k) {
      out.writeByte(KEY);
      out.writeUTF(k.name());
      int[] ix = k.indices();
      out.writeInt(ix.length);
      for (int i : ix) {
        out.writeInt(i);
      }
    } else if (a instanceof List<?> l) {
      out.writeByte(LIST);
      out.writeInt(l.size());
      for (Object o : l) {
        writeArg(o, out);
      }
    } else {
      out.writeByte(VALUE);
      codecs.write(a, out);
    }
  }

  /** Reads the compact form (its first byte is {@link #COMPACT}). */
  Task decode(byte[] data) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    in.readByte();
    byte[] fn = new byte[in.readInt()];
    in.readFully(fn);
    ByteBuffer k = ByteBuffer.wrap(fn);
    TaskFunction f;
    synchronized (received) {
      f = received.get(k);
    }
    if (f == null) {
      f = (TaskFunction) codecs.javaObject(fn);
      synchronized (received) {
        received.put(k, f);
      }
    }
    Object[] args = new Object[in.readInt()];
    for (int i = 0; i < args.length; i++) {
      args[i] = readArg(in);
    }
    return Task.of(f, args);
  }

  private Object readArg(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case KEY: {
        String name = in.readUTF();
        int[] ix = new int[in.readInt()];
        for (int i = 0; i < ix.length; i++) {
          ix[i] = in.readInt();
        }
        return Key.of(name, ix);
      }
      case LIST: {
        int n = in.readInt();
        List<Object> l = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(readArg(in));
        }
        return l;
      }
      case VALUE:
        return codecs.read(in);
      default:
        throw new IOException("corrupt task: unknown argument tag " + tag);
    }
  }
}
