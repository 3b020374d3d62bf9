package dev.tessera.graph.core;

import dev.tessera.graph.core.TaskFunction;
import java.util.List;

/** Small serializable task functions for tests. */
final class Ops {
  private Ops() {}

  record Add() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      int s = 0;
      for (Object a : args) {
        s += (Integer) a;
      }
      return s;
    }
  }

  record Inc() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      return (Integer) args[0] + 1;
    }
  }

  record SumList() implements TaskFunction {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      int s = 0;
      for (Object o : (List<Object>) args[0]) {
        s += o instanceof List<?> l ? l.stream().mapToInt(x -> (Integer) x).sum() : (Integer) o;
      }
      return s;
    }
  }

  static final TaskFunction ADD = new Add();
  static final TaskFunction INC = new Inc();
  static final TaskFunction SUM_LIST = new SumList();
}
