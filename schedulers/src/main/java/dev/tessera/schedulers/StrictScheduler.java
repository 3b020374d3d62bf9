package dev.tessera.schedulers;

import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs plans on another scheduler with every check a worker process or a cluster would make,
 * so that the bugs that otherwise show only there show on threads, at once, with the task's
 * key: like Apache Beam's DirectRunner. Off by default; {@link Schedulers#strict(Scheduler)}.
 *
 * <p>Each task (not constants and aliases) is serialized as a worker process would receive
 * it, and its inputs and result go through the codecs. It runs twice, each time on a fresh
 * decoded copy of the task and of its inputs; the next tasks receive a decoded copy of the
 * result. The first task whose function is not serializable, whose inputs or result do not
 * encode, that changes an input, or whose two runs give different results (neither the same
 * bytes nor {@code equals}) fails with a {@link StrictModeException} saying which and what to
 * do. Each task costs two runs and a round trip through the codecs: for finding bugs, not for
 * speed.
 */
final class StrictScheduler implements Scheduler {
  private final Scheduler inner;
  private final Codecs codecs = new Codecs(List.of());

  StrictScheduler(Scheduler inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    return inner.get(strict(plan), callback);
  }

  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    return inner.persist(strict(plan), callback);
  }

  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    return inner.persist(strict(plan), callback, options);
  }

  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    // backups are the inner scheduler's to keep (or reject); without them, as submit always runs
    return options.backupCount() == 0 ? submit(plan, callback)
        : inner.submit(strict(plan), callback, options);
  }

  @Override
  public String name() {
    return "strict(" + inner.name() + ")";
  }

  /** The same plan, each task's function wrapped in the checks. */
  private ExecutionPlan strict(ExecutionPlan plan) {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      Task t = plan.task(i);
      // held results (persisted data, futures) stay where they are: nothing to check
      tasks.put(plan.key(i), t.isConstant() || t.isAlias() || RemoteValue.of(t) != null ? t
          : Task.of(new Checked(plan.key(i), t, codecs), t.args().toArray()));
    }
    return ExecutionPlan.of(TaskGraph.fromTasks(tasks), plan.outputs());
  }

  /** A task's function with the checks around it; runs in the inner scheduler's JVM. */
  private static final class Checked implements TaskFunction {
    private static final long serialVersionUID = 1L;
    private final Key key;
    private final transient Task task;
    private final transient Codecs codecs;

    Checked(Key key, Task task, Codecs codecs) {
      this.key = key;
      this.task = task;
      this.codecs = codecs;
    }

    @Override
    public Object apply(Object[] args) throws Exception {
      TaskFunction first = decodedFunction();
      TaskFunction second = decodedFunction();
      byte[][] before = new byte[args.length][];
      for (int i = 0; i < args.length; i++) {
        before[i] = encode(args[i], "its input #" + i);
      }
      Object[] in1 = decode(before);
      Object r1 = first.apply(in1);
      for (int i = 0; i < args.length; i++) {
        if (!Arrays.equals(before[i], encode(in1[i], "its input #" + i))) {
          throw new StrictModeException("task " + key + " modifies its input #" + i + " ("
              + className(args[i]) + "): on threads the change reaches every other task that"
              + " reads the same value, on worker processes it does not; change a copy instead");
        }
      }
      Object r2 = second.apply(decode(before));
      byte[] e1 = encode(r1, "its result");
      byte[] e2 = encode(r2, "its result");
      if (!Arrays.equals(e1, e2) && !Objects.deepEquals(r1, r2)) {
        throw new StrictModeException("task " + key + " is not deterministic: two runs on the"
            + " same inputs gave different results (" + brief(r1) + " and " + brief(r2) + ");"
            + " a task may run more than once (a lost worker, a recomputed result), so"
            + " seed random numbers from the task's inputs and do not read clocks or shared"
            + " state");
      }
      return codecs.decode(e1);
    }

    /** A fresh copy of the function, as a worker process would receive it. */
    private TaskFunction decodedFunction() {
      try {
        return codecs.decodeTask(codecs.encodeTask(task)).function();
      } catch (IOException | RuntimeException e) {
        throw new StrictModeException("task " + key + " cannot be sent to a worker process:"
            + " its function or an argument is not serializable (" + e + "); make the"
            + " function a static method reference or a lambda that captures only"
            + " serializable values", e);
      }
    }

    private byte[] encode(Object value, String what) {
      try {
        return codecs.encode(value);
      } catch (IOException | RuntimeException e) {
        throw new StrictModeException("task " + key + ": " + what + " (" + className(value)
            + ") does not go through the codecs (" + e + "), so it cannot move between"
            + " processes; give its type a Codec or make it Serializable", e);
      }
    }

    private Object[] decode(byte[][] bytes) throws IOException {
      Object[] out = new Object[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        out[i] = codecs.decode(bytes[i]);
      }
      return out;
    }

    private static String className(Object v) {
      return v == null ? "null" : v.getClass().getName();
    }

    private static String brief(Object v) {
      String s = String.valueOf(v);
      return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
  }
}
