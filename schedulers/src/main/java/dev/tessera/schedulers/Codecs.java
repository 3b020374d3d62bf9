package dev.tessera.schedulers;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * How values and tasks travel between processes. A value goes with the first codec whose type
 * fits: the registered ones (ND4J, Tablesaw and users' own, found with the service loader or
 * named in {@link ProcessOptions}), then built-ins for common types, then Kryo, and Java
 * serialization only when Kryo fails. Tasks go with Java serialization (their parts are
 * {@link Serializable} by contract), but any value inside a task that a registered codec
 * handles is written with that codec, so an ND4J block or a Tablesaw table embedded in a task
 * travels in its compact form.
 */
final class Codecs implements dev.tessera.schedulers.engine.Encoding {
  private static final byte NULL = 0;
  private static final byte CODEC = 1;
  private static final byte KRYO = 2;
  private static final byte JAVA = 3;
  private static final byte INT = 4;
  private static final byte LONG = 5;
  private static final byte DOUBLE = 6;
  private static final byte STRING = 7;
  private static final byte BYTES = 8;
  private static final byte DOUBLES = 9;
  private static final byte LIST = 10;
  private static final byte SET = 11;
  private static final byte MAP = 12;
  private static final byte ENTRY = 13;

  private final List<Codec<?>> codecs;
  private final Map<String, Codec<?>> byId = new HashMap<>();
  private final ThreadLocal<Kryo> kryo = ThreadLocal.withInitial(Codecs::newKryo);
  /** The compact form of common tasks. */
  private final TaskCodec tasks = new TaskCodec(this);

  /** Codecs from the service loader plus the named classes (created with no arguments). */
  Codecs(List<String> extraCodecClasses) {
    List<Codec<?>> list = new ArrayList<>();
    for (String name : extraCodecClasses) {
      list.add(instantiate(name));
    }
    for (Codec<?> c : ServiceLoader.load(Codec.class)) {
      list.add(c);
    }
    for (Codec<?> c : list) {
      byId.putIfAbsent(c.id(), c);
    }
    this.codecs = List.copyOf(list);
  }

  private static Codec<?> instantiate(String className) {
    try {
      return (Codec<?>) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("codec " + className + " cannot be created: it needs a"
          + " public no-argument constructor and must implement Codec (" + e + ")", e);
    }
  }

  private static Kryo newKryo() {
    Kryo k = new Kryo();
    k.setRegistrationRequired(false);
    k.setReferences(true);
    // Kryo's field serializer skips transient fields and ignores writeObject/readResolve: a
    // class that defines its own Java serialization would arrive empty or broken. Such
    // classes (also when nested in others) go through Java serialization instead.
    k.setDefaultSerializer(new SerializerFactory.BaseSerializerFactory<Serializer<?>>() {
      @Override
      @SuppressWarnings("rawtypes") // Kryo's signature
      public Serializer<?> newSerializer(Kryo kryo, Class type) {
        return OWN_SERIALIZATION.get(type) ? new JavaSerializer() : new FieldSerializer<>(kryo,
            type);
      }
    });
    k.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    k.setClassLoader(CallerClasses.withNoted(Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader() : Codecs.class.getClassLoader()));
    return k;
  }

  /** Whether a class (or a superclass) customizes its Java serialization. */
  private static final ClassValue<Boolean> OWN_SERIALIZATION = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      if (java.io.Externalizable.class.isAssignableFrom(type)) {
        return true;
      }
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (String m : new String[] {"writeObject", "readObject", "writeReplace",
            "readResolve"}) {
          for (java.lang.reflect.Method method : c.getDeclaredMethods()) {
            if (method.getName().equals(m) && Serializable.class.isAssignableFrom(type)) {
              return true;
            }
          }
        }
      }
      return false;
    }
  };

  TaskCodec tasks() {
    return tasks;
  }

  /** {@return whether a registered codec writes {@code value}} */
  boolean hasCodec(Object value) {
    return codecFor(value) != null;
  }

  @SuppressWarnings("unchecked")
  Codec<Object> codecFor(Object value) {
    if (value == null) {
      return null;
    }
    Codec<?> c = byClass.get(value.getClass());
    return c == NONE ? null : (Codec<Object>) c;
  }

  /**
   * The first registered codec for each class ({@link #NONE} if none): looked up once per
   * class, not by testing every codec for every value (a tenth of a tiny task's encoding).
   */
  private final ClassValue<Codec<?>> byClass = new ClassValue<>() {
    @Override
    protected Codec<?> computeValue(Class<?> type) {
      for (Codec<?> c : codecs) {
        if (c.type().isAssignableFrom(type)) {
          return c;
        }
      }
      return NONE;
    }
  };

  /** Stands for "no codec" in {@link #byClass}. */
  private static final Codec<?> NONE = new Codec<Object>() {
    @Override
    public String id() {
      return "none";
    }

    @Override
    public Class<Object> type() {
      return Object.class;
    }

    @Override
    public void write(Object value, DataOutputStream out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object read(DataInputStream in) {
      throw new UnsupportedOperationException();
    }
  };

  /**
   * Returns an estimate of the value's size in bytes, for data locality and for choosing how
   * an input travels (see {@link InputPeers}): a collection's is estimated from up to
   * {@link #SAMPLED} of its elements (a shuffle's list of pieces is as large as its pieces).
   */
  long sizeOf(Object value) {
    return sizeOf(value, 2);
  }

  /** Elements of a collection whose sizes are added up (the rest extrapolated). */
  private static final int SAMPLED = 32;

  private long sizeOf(Object value, int depth) {
    if (value == null) {
      return 0;
    }
    Codec<Object> c = codecFor(value);
    if (c != null) {
      long s = c.sizeOf(value);
      if (s >= 0) {
        return s;
      }
    }
    Class<?> element = value.getClass().getComponentType();
    if (element != null && element.isPrimitive()) {
      // a long[] counted as 64 bytes was never pulled, nor copied worker to worker
      int width = element == long.class || element == double.class ? 8
          : element == int.class || element == float.class ? 4
          : element == short.class || element == char.class ? 2 : 1;
      return (long) width * java.lang.reflect.Array.getLength(value);
    }
    if (value instanceof String s) {
      return 2L * s.length();
    }
    if (value instanceof java.util.Collection<?> col) {
      int n = col.size();
      if (depth == 0 || n == 0) {
        return 16L * n + 16;
      }
      long sum = 0;
      int seen = 0;
      if (col instanceof java.util.List<?> list && col instanceof java.util.RandomAccess) {
        int step = Math.max(1, n / SAMPLED);
        for (int i = 0; i < n && seen < SAMPLED; i += step, seen++) {
          sum += Math.max(16, sizeOf(list.get(i), depth - 1));
        }
      } else {
        for (Object o : col) {
          if (seen++ == SAMPLED) {
            seen--;
            break;
          }
          sum += Math.max(16, sizeOf(o, depth - 1));
        }
      }
      return 16 + (seen == 0 ? 0 : sum * n / seen);
    }
    return 64;
  }

  /** Encodes a value. */
  @Override
  public byte[] encode(Object value) throws IOException {
    if (value != null) {
      CallerClasses.note(value.getClass()); // Kryo writes only its name
      CallerClasses.note(Thread.currentThread().getContextClassLoader());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    write(value, out);
    out.flush();
    return bytes.toByteArray();
  }

  /** Decodes what {@link #encode} wrote. */
  @Override
  public Object decode(byte[] data) throws IOException {
    // the commonest small results, read in place: a stream per value cost more than the value
    if (data.length == 5 && data[0] == INT) {
      return java.nio.ByteBuffer.wrap(data, 1, 4).getInt();
    }
    if (data.length == 9 && data[0] == LONG) {
      return java.nio.ByteBuffer.wrap(data, 1, 8).getLong();
    }
    if (data.length == 9 && data[0] == DOUBLE) {
      return java.nio.ByteBuffer.wrap(data, 1, 8).getDouble();
    }
    return read(new DataInputStream(new ByteArrayInputStream(data)));
  }

  void write(Object value, DataOutputStream out) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
      return;
    }
    Codec<Object> c = codecFor(value);
    if (c != null) {
      out.writeByte(CODEC);
      out.writeUTF(c.id());
      c.write(value, out);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof String s && s.length() < 16_000) {
      out.writeByte(STRING);
      out.writeUTF(s);
    } else if (value instanceof byte[] b) {
      out.writeByte(BYTES);
      out.writeInt(b.length);
      out.write(b);
    } else if (value instanceof double[] d) {
      out.writeByte(DOUBLES);
      out.writeInt(d.length);
      writeDoubles(d, out);
    } else if (value instanceof java.util.List<?> l) {
      // JDK collections are written element by element: Kryo cannot rebuild the unmodifiable
      // and immutable ones, and this way every element gets its own best codec
      out.writeByte(LIST);
      out.writeInt(l.size());
      for (Object o : l) {
        write(o, out);
      }
    } else if (value instanceof java.util.Set<?> set) {
      out.writeByte(SET);
      out.writeInt(set.size());
      for (Object o : set) {
        write(o, out);
      }
    } else if (value instanceof Map.Entry<?, ?> e) {
      out.writeByte(ENTRY);
      write(e.getKey(), out);
      write(e.getValue(), out);
    } else if (value instanceof Map<?, ?> m) {
      out.writeByte(MAP);
      out.writeInt(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        write(e.getKey(), out);
        write(e.getValue(), out);
      }
    } else {
      writeGeneral(value, out);
    }
  }

  private void writeGeneral(Object value, DataOutputStream out) throws IOException {
    byte[] viaKryo = null;
    try {
      Output o = new Output(256, -1);
      kryo.get().writeClassAndObject(o, value);
      viaKryo = o.toBytes();
    } catch (RuntimeException | LinkageError e) {
      // Kryo cannot take every class (some JDK internals, some lambdas): Java serialization can
    }
    if (viaKryo != null) {
      out.writeByte(KRYO);
      out.writeInt(viaKryo.length);
      out.write(viaKryo);
      return;
    }
    if (!(value instanceof Serializable)) {
      throw new NotSerializableException(value.getClass().getName());
    }
    byte[] java = javaBytes(value);
    out.writeByte(JAVA);
    out.writeInt(java.length);
    out.write(java);
  }

  /**
   * Writes doubles as {@code writeDouble} would (big-endian), through a buffer of 64 K values
   * at a time: one call per double costs a synchronized write each (~10x slower for 1 M).
   */
  private static void writeDoubles(double[] d, DataOutputStream out) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * Math.min(d.length, 1 << 16));
    for (int lo = 0; lo < d.length; lo += 1 << 16) {
      int n = Math.min(d.length - lo, 1 << 16);
      buf.clear();
      buf.asDoubleBuffer().put(d, lo, n);
      out.write(buf.array(), 0, 8 * n);
    }
  }

  /** Reads what {@link #writeDoubles} wrote. */
  private static void readDoubles(double[] d, DataInputStream in) throws IOException {
    byte[] b = new byte[8 * Math.min(d.length, 1 << 16)];
    for (int lo = 0; lo < d.length; lo += 1 << 16) {
      int n = Math.min(d.length - lo, 1 << 16);
      in.readFully(b, 0, 8 * n);
      java.nio.ByteBuffer.wrap(b, 0, 8 * n).asDoubleBuffer().get(d, lo, n);
    }
  }

  Object read(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case CODEC: {
        String id = in.readUTF();
        Codec<?> c = byId.get(id);
        if (c == null) {
          throw new IOException("no codec '" + id + "' in this process: register it with"
              + " ProcessOptions.codec(...) or in META-INF/services/dev.tessera.graph.spi.Codec");
        }
        return c.read(in);
      }
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case DOUBLE:
        return in.readDouble();
      case STRING:
        return in.readUTF();
      case BYTES: {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
      }
      case DOUBLES: {
        double[] d = new double[in.readInt()];
        readDoubles(d, in);
        return d;
      }
      case LIST: {
        int size = in.readInt();
        List<Object> l = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          l.add(read(in));
        }
        return l;
      }
      case SET: {
        int size = in.readInt();
        java.util.Set<Object> set = new java.util.LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
          set.add(read(in));
        }
        return set;
      }
      case MAP: {
        int size = in.readInt();
        Map<Object, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          Object k = read(in);
          m.put(k, read(in));
        }
        return m;
      }
      case ENTRY: {
        Object k = read(in);
        return new java.util.AbstractMap.SimpleImmutableEntry<>(k, read(in));
      }
      case KRYO: {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return kryo.get().readClassAndObject(new Input(b));
      }
      case JAVA: {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return javaObject(b);
      }
      default:
        throw new IOException("corrupt value: unknown tag " + tag);
    }
  }

  /**
   * Serializes a task: in the compact form of {@link TaskCodec} when its arguments allow,
   * else with Java serialization, where values a codec handles are written with that codec.
   */
  @Override
  public byte[] encodeTask(Task task) throws IOException {
    byte[] compact = tasks.encode(task);
    return compact != null ? compact : javaBytes(task);
  }

  /** Reads a task written by {@link #encodeTask}. */
  Task decodeTask(byte[] data) throws IOException {
    return data.length > 0 && data[0] == TaskCodec.COMPACT ? tasks.decode(data)
        : (Task) javaObject(data);
  }

  /** Serializes a function for an engine call the way tasks are (see {@link WorkerEngine}). */
  byte[] encodeJava(Object value) throws IOException {
    return javaBytes(value);
  }

  /** Reads what {@link #encodeJava} wrote. */
  Object decodeJava(byte[] data) throws IOException {
    return javaObject(data);
  }

  byte[] javaBytes(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new CodecObjectOutput(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  Object javaObject(byte[] data) throws IOException {
    try (ObjectInputStream in = new CodecObjectInput(new ByteArrayInputStream(data))) {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("class " + e.getMessage() + " is not on this process's class path",
          e);
    }
  }

  /** A value written by a codec, standing in for it inside Java serialization. */
  private static final class Boxed implements Serializable {
    private static final long serialVersionUID = 1L;
    final byte[] bytes;

    Boxed(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  private final class CodecObjectOutput extends ObjectOutputStream {
    CodecObjectOutput(OutputStream out) throws IOException {
      super(out);
      enableReplaceObject(!codecs.isEmpty());
    }

    @Override
    protected void annotateClass(Class<?> cl) {
      CallerClasses.note(cl); // a worker may ask for it if it is not on the class path
    }

    @Override
    protected Object replaceObject(Object obj) throws IOException {
      if (obj != null && !(obj instanceof Boxed) && codecFor(obj) != null) {
        return new Boxed(encode(obj));
      }
      return obj;
    }
  }

  private final class CodecObjectInput extends ObjectInputStream {
    CodecObjectInput(InputStream in) throws IOException {
      super(in);
      enableResolveObject(true);
    }

    @Override
    protected Object resolveObject(Object obj) throws IOException {
      return obj instanceof Boxed b ? decode(b.bytes) : obj;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      if (cl != null) {
        try {
          return Class.forName(desc.getName(), false, cl);
        } catch (ClassNotFoundException e) {
          // fall back to the default below
        }
      }
      try {
        return super.resolveClass(desc);
      } catch (ClassNotFoundException e) {
        return CallerClasses.load(desc.getName()); // a class of this JVM's memory only
      }
    }
  }

}
