package dev.tessera.idioms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.mpi.Mpi;
import dev.tessera.idioms.mpi.Op;
import dev.tessera.idioms.mpi.Spmd;
import dev.tessera.idioms.views.AsyncResult;
import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.idioms.views.EngineFn;
import dev.tessera.idioms.views.EngineView;
import dev.tessera.idioms.views.LoadBalancedView;
import dev.tessera.idioms.views.ParallelFunction;
import dev.tessera.idioms.views.RemoteFunction;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The examples' NullArgumentsTest for the views and MPI entry points: every public method
 * refuses a null reference argument at once, naming the parameter, except where null means
 * something (an argument passed on to the user's function).
 */
class NullArgumentsIdiomsTest {
  /** Values handed on to the user's function, where null is a value like any other. */
  static final Set<String> NULL_OK = Set.of("DirectView.apply(arg)", "DirectView.apply(a)",
      "DirectView.apply(b)", "DirectView.applySync(arg)", "DirectView.applySync(a)",
      "DirectView.applySync(b)", "EngineView.apply(arg)", "EngineView.apply(a)",
      "EngineView.apply(b)", "EngineView.applySync(arg)", "EngineView.applySync(a)",
      "EngineView.applySync(b)", "LoadBalancedView.apply(arg)",
      "LoadBalancedView.applySync(arg)", "RemoteFunction.call(arg)",
      "RemoteFunction.callAsync(arg)");

  private static ThreadedScheduler threads;

  @BeforeAll
  static void start() {
    threads = Schedulers.threads(2);
  }

  @AfterAll
  static void stop() {
    threads.close();
  }

  static Map<Class<?>, Object> samples() {
    Map<Class<?>, Object> m = new LinkedHashMap<>();
    m.put(String.class, "x");
    m.put(Object.class, 1);
    m.put(Scheduler.class, threads);
    m.put(Duration.class, Duration.ofSeconds(5));
    m.put(Map.class, Map.of("x", 1));
    m.put(List.class, List.of(1));
    m.put(INDArray.class, Nd4j.ones(2, 2));
    m.put(EngineFn.class, (EngineFn<Object>) ns -> 1);
    m.put(Fn1.class, (Fn1<Object, Object>) x -> x);
    m.put(Fn2.class, (Fn2<Object, Object, Object>) (x, y) -> x);
    m.put(Spmd.class, (Spmd<Object>) comm -> 1);
    m.put(Op.class, Op.sumInt());
    m.put(AsyncResult[].class, new AsyncResult<?>[0]);
    return m;
  }

  static List<String> check(Class<?> owner, Object instance) throws Exception {
    Map<Class<?>, Object> s = samples();
    List<String> problems = new ArrayList<>();
    for (Method m : owner.getMethods()) {
      boolean isStatic = Modifier.isStatic(m.getModifiers());
      if (m.getDeclaringClass() != owner || m.isSynthetic() || isStatic != (instance == null)) {
        continue;
      }
      Parameter[] ps = m.getParameters();
      for (int i = 0; i < ps.length; i++) {
        String where = owner.getSimpleName() + "." + m.getName() + "(" + ps[i].getName() + ")";
        if (ps[i].getType().isPrimitive() || NULL_OK.contains(where)) {
          continue;
        }
        Object[] args = new Object[ps.length];
        for (int j = 0; j < ps.length; j++) {
          Class<?> t = ps[j].getType();
          if (j == i) {
            continue;
          }
          if (t == int.class) {
            args[j] = 1;
          } else if (s.containsKey(t)) {
            args[j] = s.get(t);
          } else {
            throw new AssertionError(where + ": no sample of " + t.getName());
          }
        }
        try {
          m.invoke(instance, args);
          problems.add(where + ": accepted null");
        } catch (InvocationTargetException e) {
          Throwable c = e.getCause();
          boolean named = c.getMessage() != null && c.getMessage().contains(ps[i].getName());
          if (!(c instanceof NullPointerException || c instanceof IllegalArgumentException)
              || !named) {
            problems.add(where + ": threw " + c);
          }
        }
      }
    }
    return problems;
  }

  @Test
  void viewsAndMpiRefuseNullsNamingTheParameter() throws Exception {
    Client rc = Client.of(threads);
    DirectView dview = rc.view();
    List<String> p = new ArrayList<>(check(Client.class, null));
    p.addAll(check(Client.class, rc));
    p.addAll(check(DirectView.class, dview));
    p.addAll(check(EngineView.class, rc.view(0)));
    p.addAll(check(LoadBalancedView.class, rc.loadBalancedView()));
    p.addAll(check(ParallelFunction.class, dview.parallel(xs -> xs)));
    p.addAll(check(RemoteFunction.class, dview.remote(x -> x)));
    p.addAll(check(AsyncResult.class, dview.apply(ns -> 1)));
    p.addAll(check(Mpi.class, null));
    assertTrue(p.isEmpty(), String.join("\n", p));
  }
}
