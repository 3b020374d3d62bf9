package dev.tessera.graph;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.List;

/** Task functions the graph core needs itself, and the names of user functions. */
final class Functions {
  private Functions() {}

  /** Returns its only argument: constants and aliases. */
  static final TaskFunction IDENTITY = new Identity();

  private static final class Identity implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      return args[0];
    }

    private Object readResolve() {
      return IDENTITY;
    }

    @Override
    public String toString() {
      return "identity";
    }
  }

  /** Returns its arguments as a list: {@link Delayed#list}. */
  record ToList() implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      return args[0];
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  record Call1(Fn1 fn) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args[0]);
    }

    @Override
    public String toString() {
      return describe(fn);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  record Call2(Fn2 fn) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args[0], args[1]);
    }

    @Override
    public String toString() {
      return describe(fn);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  record Call3(Fn3 fn) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args[0], args[1], args[2]);
    }

    @Override
    public String toString() {
      return describe(fn);
    }
  }

  /** Assembles the results of a collection's keys into the value its compute() returns. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  record Assemble(Fn1 assembler) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return assembler.apply((List<Object>) args[0]);
    }
  }

  /**
   * Returns a short human name for a function: the method name of a method reference, "lambda"
   * for a lambda, the simple class name otherwise.
   */
  static String describe(Object fn) {
    if (fn instanceof TaskFunction && !(fn instanceof Serializable)) {
      return fn.getClass().getSimpleName();
    }
    SerializedLambda sl = serializedLambda(fn);
    if (sl != null) {
      String m = sl.getImplMethodName();
      return m.startsWith("lambda$") ? "lambda" : m;
    }
    if (fn instanceof Call1 c) {
      return describe(c.fn());
    }
    if (fn instanceof Call2 c) {
      return describe(c.fn());
    }
    if (fn instanceof Call3 c) {
      return describe(c.fn());
    }
    String s = fn.getClass().getSimpleName();
    return s.isEmpty() ? "function" : lowerFirst(s);
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Returns the serialized form of a serializable lambda or method reference, else null. */
  static SerializedLambda serializedLambda(Object fn) {
    Method m = WRITE_REPLACE.get(fn.getClass());
    if (m == null) {
      return null;
    }
    try {
      Object r = m.invoke(fn);
      return r instanceof SerializedLambda sl ? sl : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  // Looking the method up is slower than calling it; lambda classes are few, calls are many.
  private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> c) {
      if (!c.isSynthetic() || !Serializable.class.isAssignableFrom(c)) {
        return null;
      }
      try {
        Method m = c.getDeclaredMethod("writeReplace");
        m.setAccessible(true);
        return m;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };
}
