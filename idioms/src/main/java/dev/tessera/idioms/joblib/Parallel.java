package dev.tessera.idioms.joblib;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.Fn3;
import dev.tessera.graph.FnN;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Tokens;
import dev.tessera.idioms.ResultTimeoutException;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * joblib's {@code Parallel} and {@code delayed}, in Java: runs a list of delayed calls on
 * {@code nJobs} workers and returns their results in the calls' order.
 *
 * <pre>{@code
 * // joblib.Parallel(n_jobs=2)(joblib.delayed(math.sqrt)(i ** 2) for i in range(8))
 * List<Double> roots = Parallel.of(2).run(IntStream.range(0, 8)
 *     .mapToObj(i -> Parallel.delayed(Math::sqrt, (double) (i * i))).toList());
 * }</pre>
 *
 * <p>As in joblib: {@code nJobs = -1} uses every core, {@code -2} all but one (cores + 1 +
 * nJobs, at least 1), {@code 1} runs the calls one after another in the calling thread, and 0
 * is refused. {@link #verbose} prints joblib's progress lines (to stderr below 50, stdout from
 * 50). The first call to fail stops the run: the calls not yet finished are cancelled and
 * {@link #run} throws a {@link TaskFailedException} naming the task key and the call (its
 * index and how it reads, such as {@code sqrt(-1.0)}), with the function's exception as its
 * cause. Every call runs, even equal ones (no merging of equal calls). With a
 * {@link #timeout}, a run that waits longer than it for a result stops the same way with a
 * {@link ResultTimeoutException} (joblib's {@code TimeoutError}).
 *
 * <p>Backends ({@link Backend}): threads by default (Java threads run in parallel; joblib's
 * default is processes because of Python's GIL), worker JVMs ({@link Backend#LOKY}), the
 * calling thread ({@link Backend#SEQUENTIAL}), or any scheduler you keep open yourself
 * ({@link #backend(Scheduler)}), which is how to reuse worker JVMs across many runs. An
 * immutable configuration: each method returns a new one; thread-safe.
 */
public final class Parallel {
  private final int nJobs;
  private final Backend backend;
  private final Scheduler scheduler;
  private final int verbose;
  private final PrintStream out;
  private final int batchSize;
  /** How long a run waits for the next call to finish; null for no limit. */
  private final Duration timeout;

  private Parallel(int nJobs, Backend backend, Scheduler scheduler, int verbose,
      PrintStream out, int batchSize, Duration timeout) {
    this.nJobs = nJobs;
    this.backend = backend;
    this.scheduler = scheduler;
    this.verbose = verbose;
    this.out = out;
    this.batchSize = batchSize;
    this.timeout = timeout;
  }

  /**
   * Returns a configuration for {@code nJobs} workers, on threads, quiet, one call per task.
   *
   * @param nJobs the number of workers; -1 for every core, -2 for all but one, and so on
   * @return the configuration
   * @throws IllegalArgumentException for 0, which means nothing (as in joblib)
   */
  public static Parallel of(int nJobs) {
    if (nJobs == 0) {
      throw new IllegalArgumentException("nJobs == 0 in Parallel has no meaning: use a"
          + " positive number of workers, or -1 for every core");
    }
    return new Parallel(nJobs, Backend.THREADING, null, 0, null, 1, null);
  }

  /**
   * Returns this configuration on a backend.
   *
   * @param backend threads, worker JVMs or the calling thread
   * @return the new configuration
   */
  public Parallel backend(Backend backend) {
    Objects.requireNonNull(backend, "backend");
    return new Parallel(nJobs, backend, null, verbose, out, batchSize, timeout);
  }

  /**
   * Returns this configuration on a scheduler that the caller keeps open (threads, worker
   * JVMs, a cluster): its workers are reused by every run, and closing it is the caller's.
   *
   * @param scheduler the scheduler
   * @return the new configuration
   */
  public Parallel backend(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return new Parallel(nJobs, null, scheduler, verbose, out, batchSize, timeout);
  }

  /**
   * Returns this configuration printing joblib's progress lines: none at 0, about
   * {@code level} lines over a run otherwise, to stderr below 50 and stdout from 50.
   *
   * @param level the verbosity, at least 0
   * @return the new configuration
   */
  public Parallel verbose(int level) {
    return verbose(level, level >= 50 ? System.out : System.err);
  }

  /**
   * Like {@link #verbose(int)}, printing to {@code out}.
   *
   * @param level the verbosity, at least 0
   * @param out where the lines go
   * @return the new configuration
   */
  public Parallel verbose(int level, PrintStream out) {
    Objects.requireNonNull(out, "out");
    if (level < 0) {
      throw new IllegalArgumentException("verbose must be at least 0, got " + level);
    }
    return new Parallel(nJobs, backend, scheduler, level, out, batchSize, timeout);
  }

  /**
   * Returns this configuration sending {@code n} calls per task (joblib's {@code batch_size}):
   * many tiny calls then pay the per-task cost once per batch. The default is 1.
   *
   * @param n at least 1
   * @return the new configuration
   */
  public Parallel batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + n);
    }
    return new Parallel(nJobs, backend, scheduler, verbose, out, n, timeout);
  }

  /**
   * Returns this configuration with joblib's {@code timeout}: a run that waits longer than
   * {@code timeout} for its next call to finish is stopped (the calls not finished are
   * cancelled, as on a failure) and {@link #run} throws the idioms' one timeout exception, a
   * {@link ResultTimeoutException} naming the first unfinished call and the timeout. As in
   * joblib, it does not apply to calls run one after another in the calling thread
   * ({@code nJobs} 1 or {@link Backend#SEQUENTIAL}).
   *
   * @param timeout how long to wait for each result at most
   * @return the new configuration
   */
  public Parallel timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new Parallel(nJobs, backend, scheduler, verbose, out, batchSize, timeout);
  }

  /** {@return the number of workers a run uses: nJobs, with negative values counted from the cores} */
  public int nJobs() {
    if (scheduler != null) {
      return workersOf(scheduler);
    }
    return nJobs > 0 ? nJobs
        : Math.max(1, Runtime.getRuntime().availableProcessors() + 1 + nJobs);
  }

  /**
   * Returns {@code fn(a)}, not called yet: joblib's {@code delayed(fn)(a)}.
   *
   * @param fn the function (serializable, to run on worker JVMs too)
   * @param a its argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the delayed call
   */
  public static <A, R> DelayedCall<R> delayed(Fn1<? super A, ? extends R> fn, A a) {
    Objects.requireNonNull(fn, "fn");
    return DelayedCall.of(fn, a);
  }

  /**
   * Returns {@code fn(a, b)}, not called yet.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <R> the result type
   * @return the delayed call
   */
  public static <A, B, R> DelayedCall<R> delayed(Fn2<? super A, ? super B, ? extends R> fn,
      A a, B b) {
    Objects.requireNonNull(fn, "fn");
    return DelayedCall.of(fn, a, b);
  }

  /**
   * Returns {@code fn(a, b, c)}, not called yet.
   *
   * @param fn the function
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @param <C> the third argument type
   * @param <R> the result type
   * @return the delayed call
   */
  public static <A, B, C, R> DelayedCall<R> delayed(
      Fn3<? super A, ? super B, ? super C, ? extends R> fn, A a, B b, C c) {
    Objects.requireNonNull(fn, "fn");
    return DelayedCall.of(fn, a, b, c);
  }

  /**
   * Runs the calls and returns their results in the calls' order: joblib's
   * {@code Parallel(...)(calls)}. Blocks until all are done or one fails.
   *
   * @param calls the delayed calls
   * @param <R> the result type
   * @return the results, in order
   * @throws TaskFailedException for the first call to fail, naming the task and the call
   * @throws ResultTimeoutException if a {@link #timeout} ran out, naming the call
   */
  public <R> List<R> run(Iterable<? extends DelayedCall<? extends R>> calls) {
    Objects.requireNonNull(calls, "calls");
    List<DelayedCall<? extends R>> list = new ArrayList<>();
    calls.forEach(list::add);
    Checks.noNulls(list, "calls");
    long t0 = System.nanoTime();
    int workers = nJobs();
    Progress progress = new Progress(toString(), verbose, out, list.size(), t0);
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
    if (scheduler == null && (backend == Backend.SEQUENTIAL || workers == 1)) {
      progress.started("SequentialBackend", 1);
      return sequential(list, token, progress);
    }
    if (scheduler != null) {
      progress.started(scheduler.name(), workers);
      return parallel(list, scheduler, token, progress);
    }
    progress.started(backend == Backend.LOKY ? "LokyBackend" : "ThreadingBackend", workers);
    if (backend == Backend.LOKY) {
      try (ProcessScheduler s = Schedulers.processes(workers)) {
        return parallel(list, s, token, progress);
      }
    }
    try (ThreadedScheduler s = Schedulers.threads(workers)) {
      return parallel(list, s, token, progress);
    }
  }

  private <R> List<R> sequential(List<DelayedCall<? extends R>> calls, String token,
      Progress progress) {
    List<R> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      DelayedCall<? extends R> c = calls.get(i);
      try {
        out.add(c.fn().apply(c.args().toArray()));
      } catch (Exception | AssertionError e) {
        throw new TaskFailedException(Key.of(Tokens.name("joblib", token, i)),
            " in call " + i + " of " + calls.size() + ", " + c, e);
      }
      progress.done(i + 1);
    }
    return out;
  }

  private <R> List<R> parallel(List<DelayedCall<? extends R>> calls, Scheduler s,
      String token, Progress progress) {
    int n = calls.size();
    Object[] results = new Object[n];
    // the client's close() cancels what is still running when a call fails (joblib aborts)
    try (Client client = Client.on(s)) {
      Map<TaskFuture<List<Object>>, Integer> starts = new IdentityHashMap<>();
      List<TaskFuture<List<Object>>> futures = new ArrayList<>();
      for (int start = 0; start < n; start += batchSize) {
        List<DelayedCall<? extends R>> batch = calls.subList(start, Math.min(n, start + batchSize));
        List<FnN<?>> fns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<List<Object>> args = new ArrayList<>();
        for (DelayedCall<? extends R> c : batch) {
          fns.add(c.fn());
          names.add(c.toString());
          args.add(new ArrayList<>(c.args()));
        }
        TaskFuture<List<Object>> f = client
            .with(Submit.options().key(Tokens.name("joblib", token, start)))
            .submit(new BatchTask(fns, names, start, token + "-" + start),
                new BatchArgs(args, token + "-" + start));
        starts.put(f, start);
        futures.add(f);
      }
      LinkedBlockingQueue<TaskFuture<List<Object>>> finished = new LinkedBlockingQueue<>();
      for (TaskFuture<List<Object>> f : futures) {
        f.toCompletableFuture().whenComplete((v, e) -> finished.add(f));
      }
      int completed = 0;
      for (int taken = 0; taken < futures.size(); taken++) {
        TaskFuture<List<Object>> f = next(finished);
        if (f == null) {
          int first = 0;
          while (first < futures.size() && futures.get(first).isDone()) {
            first++;
          }
          int call = first * batchSize;
          throw new ResultTimeoutException("call " + call + " of " + n + " (" + calls.get(call)
              + ") of " + this, timeout, "the run was stopped: the calls not finished are"
              + " cancelled", null);
        }
        List<Object> values;
        try {
          values = f.result();
        } catch (TaskFailedException e) {
          throw named(e, n);
        }
        int start = starts.get(f);
        for (int i = 0; i < values.size(); i++) {
          results[start + i] = values.get(i);
        }
        f.release();
        completed += values.size();
        progress.done(completed);
      }
    }
    List<R> out = new ArrayList<>(n);
    for (Object r : results) {
      @SuppressWarnings("unchecked")
      R v = (R) r;
      out.add(v);
    }
    return out;
  }

  /** The next finished batch, waiting at most the timeout; null if it ran out. */
  private <T> T next(LinkedBlockingQueue<T> finished) {
    try {
      return timeout == null ? finished.take()
          : finished.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for " + this);
    }
  }

  private static TaskFailedException named(TaskFailedException e, int n) {
    if (e.getCause() instanceof CallFailure f) {
      return new TaskFailedException(e.key(), " in call " + f.index() + " of " + n + ", "
          + f.call(), f.getCause());
    }
    return e;
  }

  static int workersOf(Scheduler s) {
    if (s instanceof ThreadedScheduler t) {
      return t.workers();
    }
    if (s instanceof ProcessScheduler p) {
      return Math.max(1, p.workerPids().size());
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@return joblib's name for it in progress lines: {@code Parallel(n_jobs=2)}} */
  @Override
  public String toString() {
    return "Parallel(n_jobs=" + nJobs + ")";
  }
}
