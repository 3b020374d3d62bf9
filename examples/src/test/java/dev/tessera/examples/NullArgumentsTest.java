package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.array.Index;
import dev.tessera.bag.Bag;
import dev.tessera.frame.Agg;
import dev.tessera.frame.CsvOptions;
import dev.tessera.frame.Expr;
import dev.tessera.frame.Frame;
import dev.tessera.frame.GroupBy;
import dev.tessera.frame.JoinType;
import dev.tessera.frame.Schema;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.Schedulers;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every public method of the entry classes, called with {@code null} for one reference
 * argument at a time (the others valid): it must fail at once, with a
 * {@code NullPointerException} or {@code IllegalArgumentException} whose message names the
 * parameter, never accept the null and fail later inside a task, and never throw a bare NPE.
 * Methods whose null argument means something (documented) are listed in {@link #NULL_OK}.
 */
class NullArgumentsTest {
  /** Documented meanings of null: "all axes", a null value, a null initial accumulator. */
  static final Set<String> NULL_OK = Set.of(
      "Delayed.value(value)", "Delayed.apply(args)", "Bag.fold(initial)",
      "Array.reduce(axes)", "Array.sum(axes)", "Array.prod(axes)", "Array.min(axes)",
      "Array.max(axes)", "Array.mean(axes)", "Array.var(axes)", "Array.std(axes)",
      "Array.any(axes)", "Array.all(axes)", "Array.argmin(axes)", "Array.argmax(axes)",
      "Tessera.setDefaultScheduler(scheduler)", "Index.slice(start)", "Index.slice(stop)",
      "Agg.equals(o)", "Schema.equals(o)", "Expr.equals(o)", "Chunks.equals(o)",
      "CsvOptions.equals(o)", "Array.histogram(weights)", "Array.bincount(weights)",
      "ParquetFilter.equals(o)");

  /** Null elements that mean something: literal arguments, values of a bag. */
  static final Set<String> NULL_ELEMENT_OK = Set.of("Delayed.apply(args)",
      "Bag.fromCollection(items)", "Bag.fromSequence(items)", "Bag.fromCollectionBySize(items)",
      "Expr.lit(value)");

  static Path tmp() throws Exception {
    Path d = Path.of(System.getProperty("java.io.tmpdir"), "null-args");
    Files.createDirectories(d);
    return d;
  }

  /** Samples that other tests of this package add for their own types (live objects). */
  static final Map<Class<?>, Object> MORE_SAMPLES = new java.util.concurrent.ConcurrentHashMap<>();

  static Map<Class<?>, Object> samples() throws Exception {
    Path d = tmp();
    Path csv = d.resolve("s.csv");
    Files.writeString(csv, "name,x\na,1.5\nb,2.5\n");
    Files.writeString(d.resolve("lines.txt"), "a b\nc\n");
    Map<Class<?>, Object> m = new LinkedHashMap<>();
    m.put(String.class, "x");
    m.put(Object.class, 1L);
    m.put(Path.class, d.resolve("out-" + System.nanoTime()));
    m.put(Path[].class, new Path[] {d.resolve("lines.txt")});
    m.put(long[].class, new long[] {2, 2});
    m.put(int[].class, new int[] {0});
    m.put(double[].class, new double[] {1, 2});
    m.put(Chunks.class, Chunks.of(1, 1));
    m.put(dev.tessera.array.Boundary.class, dev.tessera.array.Boundary.none());
    m.put(DType.class, DType.FLOAT64);
    m.put(Index.class, Index.all());
    m.put(Index[].class, new Index[] {Index.all(), Index.all()});
    m.put(INDArray.class, Nd4j.ones(2, 2));
    m.put(Array.class, Array.ones(new long[] {2, 2}, Chunks.of(1, 1), DType.FLOAT64));
    m.put(Array[].class, new Array[] {Array.ones(new long[] {2, 2}, Chunks.of(1, 1), DType.FLOAT64)});
    Table t = Table.create("t", StringColumn.create("name", "a", "b"),
        DoubleColumn.create("x", 1.5, 2.5));
    m.put(Table.class, t);
    m.put(Frame.class, Frame.fromTable(t, 1));
    m.put(Frame[].class, new Frame[] {Frame.fromTable(t, 1)});
    m.put(Schema.class, Schema.of(t));
    m.put(CsvOptions.class, CsvOptions.defaults());
    m.put(dev.tessera.frame.ParquetOptions.class, dev.tessera.frame.ParquetOptions.defaults());
    m.put(dev.tessera.frame.ParquetFilter.class, dev.tessera.frame.ParquetFilter.of("x", ">", 1));
    m.put(dev.tessera.frame.ParquetFilter[].class,
        new dev.tessera.frame.ParquetFilter[] {dev.tessera.frame.ParquetFilter.of("x", ">", 1)});
    m.put(dev.tessera.frame.ParquetCodec.class, dev.tessera.frame.ParquetCodec.ZSTD);
    m.put(ColumnType.class, ColumnType.DOUBLE);
    m.put(Expr.class, Expr.col("x").gt(0));
    m.put(Agg.class, Agg.sum("x"));
    m.put(Agg[].class, new Agg[] {Agg.sum("x")});
    m.put(JoinType.class, JoinType.INNER);
    m.put(String[].class, new String[] {"x"});
    m.put(Bag.class, Bag.fromCollection(List.of(1L, 2L), 1));
    m.put(Bag[].class, new Bag<?>[] {Bag.fromCollection(List.of(1L, 2L), 1)});
    m.put(Delayed.class, Delayed.value(1L));
    m.put(Delayed[].class, new Delayed<?>[] {Delayed.value(1L)});
    m.put(Lazy.class, Delayed.value(1L));
    m.put(Lazy[].class, new Lazy<?>[] {Delayed.value(1L)});
    m.put(Scheduler.class, Schedulers.sync());
    m.put(dev.tessera.graph.PersistOptions.class, dev.tessera.graph.PersistOptions.none());
    m.put(SchedulerCallback.class, new SchedulerCallback() {});
    m.put(Fn1.class, (Fn1<Object, Object>) x -> x);
    m.put(Fn2.class, (Fn2<Object, Object, Object>) (x, y) -> x);
    m.put(Fn3.class, (Fn3<Object, Object, Object, Object>) (x, y, z) -> x);
    m.put(FnN.class, (FnN<Object>) xs -> xs.length);
    m.put(Comparator.class, (Comparator<Object> & Serializable) (x, y) -> 0);
    m.put(Charset.class, StandardCharsets.UTF_8);
    m.put(TaskGraph.class, TaskGraph.empty());
    m.put(dev.tessera.graph.core.Key.class, dev.tessera.graph.core.Key.of("x"));
    m.put(Object[].class, new Object[] {1L});
    m.put(SchedulerCallback[].class, new SchedulerCallback[0]);
    m.put(dev.tessera.graph.core.GraphDrawer.Options.class, new dev.tessera.graph.core.GraphDrawer.Options() {});
    m.put(dev.tessera.array.Boundary.class, dev.tessera.array.Boundary.reflect());
    m.put(dev.tessera.array.BlockFunction.class, (dev.tessera.array.BlockFunction) xs -> xs[0]);
    m.put(dev.tessera.array.BlockSupplier.class,
        (dev.tessera.array.BlockSupplier) info -> Nd4j.ones(1, 1));
    m.putAll(MORE_SAMPLES);
    return m;
  }

  /** Lists are made per parameter: of the element type the method's name suggests. */
  static Object listFor(Class<?> owner, Method m, Map<Class<?>, Object> s) {
    String n = m.getName();
    if (owner == Frame.class && n.equals("fromDelayed")) {
      return List.of(Delayed.value(s.get(Table.class)));
    }
    if (owner == Bag.class && (n.equals("fromPartitions"))) {
      return List.of(List.of(1L));
    }
    if (owner == Bag.class && n.equals("fromDelayed")) {
      return List.of(Delayed.value(List.of(1L)));
    }
    if (owner == Delayed.class || owner == Tessera.class || n.equals("fromDelayed")) {
      return List.of(Delayed.value(1L));
    }
    if (owner == Array.class && (n.equals("concatenate") || n.equals("stack")
        || n.equals("compute"))) {
      return List.of(s.get(Array.class));
    }
    if (owner == Frame.class || owner == GroupBy.class || owner == Schema.class) {
      return List.of("x");
    }
    return List.of(1L);
  }

  static List<String> check(Class<?> owner, Object instance) throws Exception {
    Map<Class<?>, Object> s = samples();
    List<String> problems = new ArrayList<>();
    for (Method m : owner.getMethods()) {
      boolean isStatic = Modifier.isStatic(m.getModifiers());
      if (m.getDeclaringClass() != owner && m.getDeclaringClass() != Lazy.class
          || m.isSynthetic() || m.isBridge() || isStatic != (instance == null)) {
        continue;
      }
      Parameter[] ps = m.getParameters();
      for (int i = 0; i < ps.length; i++) {
        if (ps[i].getType().isPrimitive()) {
          continue;
        }
        String where = owner.getSimpleName() + "." + m.getName() + "(" + ps[i].getName() + ")";
        if (NULL_OK.contains(where)) {
          continue;
        }
        Object[] args = new Object[ps.length];
        boolean ok = true;
        for (int j = 0; j < ps.length; j++) {
          Class<?> t = ps[j].getType();
          if (j == i) {
            continue;
          }
          if (t == int.class) {
            args[j] = 1;
          } else if (t == long.class) {
            args[j] = 2L;
          } else if (t == double.class) {
            args[j] = 1.0;
          } else if (t == boolean.class) {
            args[j] = false;
          } else if (List.class.isAssignableFrom(t) || t == Collection.class
              || t == Iterable.class) {
            args[j] = listFor(owner, m, s);
          } else if (s.containsKey(t)) {
            args[j] = s.get(t);
          } else {
            problems.add(where + ": no sample of " + t.getName() + " (add one to the test)");
            ok = false;
          }
        }
        if (!ok) {
          continue;
        }
        Object target = Modifier.isStatic(m.getModifiers()) ? null : instance;
        problems.addAll(call(m, target, args, where, ps[i].getName()));
        // a null element of an array or list argument: refused too
        Class<?> t = ps[i].getType();
        if (NULL_ELEMENT_OK.contains(where)) {
          continue;
        }
        if (t.isArray() && !t.getComponentType().isPrimitive()) {
          args[i] = java.lang.reflect.Array.newInstance(t.getComponentType(), 1);
          problems.addAll(call(m, target, args, where + "[0]", ps[i].getName()));
        } else if (t == List.class || t == Collection.class) {
          args[i] = java.util.Collections.singletonList(null);
          problems.addAll(call(m, target, args, where + "[0]", ps[i].getName()));
        }
      }
    }
    return problems;
  }

  static List<String> call(Method m, Object target, Object[] args, String where, String name)
      throws Exception {
    try {
      Object r = m.invoke(target, args);
      if (r instanceof AutoCloseable c) {
        c.close();
      }
      return List.of(where + ": accepted null (returned " + r + ")");
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      boolean named = c.getMessage() != null && c.getMessage().contains(name);
      if (!(c instanceof NullPointerException || c instanceof IllegalArgumentException)
          || !named) {
        return List.of(where + ": threw " + c + " (at " + (c.getStackTrace().length > 0
            ? c.getStackTrace()[0] : "?") + ")");
      }
      return List.of();
    }
  }

  static void assertNone(List<String> problems) {
    assertTrue(problems.isEmpty(), problems.size() + " methods do not refuse null at once,"
        + " naming the parameter:\n  " + String.join("\n  ", problems));
  }

  @Test
  void delayedAndTessera() throws Exception {
    List<String> p = new ArrayList<>(check(Delayed.class, null));
    p.addAll(check(Delayed.class, Delayed.value(1L)));
    p.addAll(check(Tessera.class, null));
    assertNone(p);
  }

  @Test
  void array() throws Exception {
    try (var scope = Tessera.useScheduler(Schedulers.sync())) {
      List<String> p = new ArrayList<>(check(Array.class, null));
      p.addAll(check(Array.class, Array.ones(new long[] {2, 2}, Chunks.of(1, 1), DType.FLOAT64)));
      assertNone(p);
    }
  }

  @Test
  void frame() throws Exception {
    try (var scope = Tessera.useScheduler(Schedulers.sync())) {
      Table t = Table.create("t", StringColumn.create("name", "a", "b"),
          DoubleColumn.create("x", 1.5, 2.5));
      List<String> p = new ArrayList<>(check(Frame.class, null));
      p.addAll(check(Frame.class, Frame.fromTable(t, 1)));
      p.addAll(check(GroupBy.class, Frame.fromTable(t, 1).groupby("name")));
      assertNone(p);
    }
  }

  @Test
  void valueTypes() throws Exception {
    List<String> p = new ArrayList<>();
    for (Class<?> c : List.of(Chunks.class, Index.class, CsvOptions.class, Agg.class,
        Expr.class, Schema.class, dev.tessera.frame.ParquetOptions.class,
        dev.tessera.frame.ParquetFilter.class)) {
      p.addAll(check(c, null));
    }
    p.addAll(check(CsvOptions.class, CsvOptions.defaults()));
    p.addAll(check(dev.tessera.frame.ParquetOptions.class,
        dev.tessera.frame.ParquetOptions.defaults()));
    p.addAll(check(dev.tessera.frame.ParquetFilter.class,
        dev.tessera.frame.ParquetFilter.of("x", ">", 1)));
    p.addAll(check(Agg.class, Agg.sum("x")));
    p.addAll(check(Expr.class, Expr.col("x")));
    p.addAll(check(Schema.class, Schema.of(Table.create("t", DoubleColumn.create("x")))));
    assertNone(p);
  }

  @Test
  void bag() throws Exception {
    try (var scope = Tessera.useScheduler(Schedulers.sync())) {
      List<String> p = new ArrayList<>(check(Bag.class, null));
      p.addAll(check(Bag.class, Bag.fromCollection(List.of(1L, 2L), 1)));
      p.addAll(check(dev.tessera.bag.BagShuffleMemory.class, null));
      assertNone(p);
    }
  }
}
