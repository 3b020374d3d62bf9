package dev.tessera.diagnostics;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small blocked collection for the tests: {@code n} blocks of {@code size} doubles
 * ("data"), each doubled ("double"), then summed ("sum"); optionally one block fails. Three
 * layers, like an array pipeline.
 */
record Blocks(TaskGraph graph, Key out, List<Key> data, List<Key> doubled) implements Lazy<Double> {
  record Fill(int block, int size) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      double[] x = new double[size];
      for (int i = 0; i < size; i++) {
        x[i] = block * size + i;
      }
      return x;
    }
  }

  record Twice(int failAt, long sleepMillis) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      double[] x = ((double[]) args[0]).clone();
      if ((int) x[0] == failAt) {
        throw new ArithmeticException("block starting at " + failAt + " is bad");
      }
      for (int i = 0; i < x.length; i++) {
        x[i] *= 2;
      }
      return x;
    }
  }

  record Sum() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      double s = 0;
      for (Object o : (List<?>) args[0]) {
        for (double v : (double[]) o) {
          s += v;
        }
      }
      return s;
    }
  }

  static Blocks of(int n, int size) {
    return of(n, size, -1, 0);
  }

  /** Blocks whose "double" task fails on the block whose first value is {@code failAt}. */
  static Blocks of(int n, int size, int failAt, long sleepMillis) {
    String dataName = Tokens.name("data", n, size);
    String twiceName = Tokens.name("double", dataName, failAt, sleepMillis);
    String sumName = Tokens.name("sum", twiceName);
    Map<Key, Task> data = new LinkedHashMap<>();
    Map<Key, Task> twice = new LinkedHashMap<>();
    List<Key> dataKeys = new ArrayList<>();
    List<Key> twiceKeys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Key d = Key.of(dataName, i);
      Key t = Key.of(twiceName, i);
      data.put(d, Task.of(new Fill(i, size)));
      twice.put(t, Task.of(new Twice(failAt, sleepMillis), d));
      dataKeys.add(d);
      twiceKeys.add(t);
    }
    Key out = Key.of(sumName);
    TaskGraph g0 = TaskGraph.of(Layer.of(dataName, "data", data));
    TaskGraph g1 = TaskGraph.of(Layer.of(twiceName, "double", twice), g0);
    TaskGraph g2 = TaskGraph.of(Layer.of(sumName, "sum",
        Map.of(out, Task.of(new Sum(), List.copyOf(twiceKeys)))), g1);
    return new Blocks(g2, out, dataKeys, twiceKeys);
  }

  /** The expected result: the direct computation. */
  static double expected(int n, int size) {
    double s = 0;
    for (int i = 0; i < n * size; i++) {
      s += 2.0 * i;
    }
    return s;
  }

  @Override
  public List<Key> outputKeys() {
    return List.of(out);
  }

  @Override
  public Fn1<List<Object>, Double> assembler() {
    return l -> (Double) l.get(0);
  }

  @Override
  public Lazy<Double> withGraph(TaskGraph g) {
    return new Blocks(g, out, data, doubled);
  }
}
