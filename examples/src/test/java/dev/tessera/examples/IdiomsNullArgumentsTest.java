package dev.tessera.examples;

import dev.tessera.idioms.joblib.Backend;
import dev.tessera.idioms.joblib.DelayedCall;
import dev.tessera.idioms.joblib.Parallel;
import dev.tessera.idioms.pool.AsyncResult;
import dev.tessera.idioms.pool.Pool;
import dev.tessera.idioms.ray.ActorCreator;
import dev.tessera.idioms.ray.ActorHandle;
import dev.tessera.idioms.ray.Fn0;
import dev.tessera.idioms.ray.ObjectRef;
import dev.tessera.idioms.ray.Ray;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NullArgumentsTest}'s check on the pools, joblib and Ray idioms: every public method
 * refuses a null argument at once, naming it, except the arguments that are the user's values
 * (as Python's None, a null is a value a function may receive).
 */
class IdiomsNullArgumentsTest {
  private static Pool pool;
  private static Ray ray;

  /** Arguments handed to the user's function as they are: null is a value there. */
  static final java.util.Set<String> VALUES = java.util.Set.of(
      "Pool.applyAsync(a)", "Pool.applyAsync(b)", "Pool.applyAsync(c)",
      "Pool.apply(a)", "Pool.apply(b)", "Pool.apply(c)",
      "Parallel.delayed(a)", "Parallel.delayed(b)", "Parallel.delayed(c)",
      "Ray.task(a)", "Ray.task(b)", "Ray.task(c)", "Ray.actor(a)", "Ray.actor(b)",
      "ActorHandle.task(a)", "ActorHandle.task(b)", "Ray.wait(timeout)", "Pool.map(items)[0]",
      "Pool.mapAsync(items)[0]");

  @BeforeAll
  static void start() {
    pool = Pool.threads(1);
    ray = Ray.threads(1);
    NullArgumentsTest.MORE_SAMPLES.put(Duration.class, Duration.ofSeconds(5));
    NullArgumentsTest.MORE_SAMPLES.put(Backend.class, Backend.SEQUENTIAL);
    NullArgumentsTest.MORE_SAMPLES.put(PrintStream.class, System.err);
    NullArgumentsTest.MORE_SAMPLES.put(Consumer.class, (Consumer<Object>) x -> { });
    NullArgumentsTest.MORE_SAMPLES.put(Fn0.class, (Fn0<Object>) () -> 1L);
    NullArgumentsTest.MORE_SAMPLES.put(ObjectRef.class, ray.put(1L));
  }

  @AfterAll
  static void stop() {
    NullArgumentsTest.MORE_SAMPLES.clear();
    ray.close();
    pool.close();
  }

  static List<String> problems(Class<?> owner, Object instance) throws Exception {
    List<String> out = new ArrayList<>();
    for (String p : NullArgumentsTest.check(owner, instance)) {
      if (VALUES.stream().noneMatch(p::startsWith)) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void poolsJoblibAndRayRefuseNulls() throws Exception {
    List<String> p = new ArrayList<>();
    p.addAll(problems(Pool.class, null));
    p.addAll(problems(Pool.class, pool));
    p.addAll(problems(AsyncResult.class, pool.applyAsync((Long x) -> x, 1L)));
    p.addAll(problems(Parallel.class, null));
    p.addAll(problems(Parallel.class, Parallel.of(1)));
    p.addAll(problems(DelayedCall.class, Parallel.delayed((Long x) -> x, 1L)));
    p.addAll(problems(Ray.class, null));
    p.addAll(problems(Ray.class, ray));
    p.addAll(problems(ObjectRef.class, ray.put(2L)));
    ActorCreator<List<Object>> creator = ray.actor(ArrayList::new);
    p.addAll(problems(ActorCreator.class, creator));
    ActorHandle<List<Object>> actor = creator.remote();
    p.addAll(problems(ActorHandle.class, actor));
    actor.kill();
    NullArgumentsTest.assertNone(p);
  }
}
