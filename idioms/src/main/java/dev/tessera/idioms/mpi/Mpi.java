package dev.tessera.idioms.mpi;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.Engines;
import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MPI-style programs, as mpi4py teaches them: one function runs on {@code size} engines at
 * once (SPMD), rank {@code r} on engine {@code r}, each with a {@link Comm} for point-to-point
 * messages and collectives. The engines are a scheduler's: worker threads
 * ({@code Schedulers.threads(n)}) or worker JVMs ({@code Schedulers.processes(n)}).
 *
 * <pre>{@code
 * try (ThreadedScheduler s = Schedulers.threads(4)) {
 *   List<Integer> sums = Mpi.run(s, 4, comm -> comm.allreduce(comm.rank(), Op.sumInt()));
 *   // [6, 6, 6, 6]
 * }
 * }</pre>
 *
 * <p>When a rank throws (or its worker dies), the whole group fails at once with an
 * {@link MpiException} naming that rank, and the ranks still waiting in a receive are woken
 * with an error, so nobody waits forever; a group that runs past its timeout is stopped the same
 * way, with the idioms' one timeout exception, {@link ResultTimeoutException}, naming the
 * group and its timeout. The engines are fit for the next group afterwards.
 */
public final class Mpi {
  private Mpi() {}

  /**
   * Runs {@code fn} on ranks 0 to {@code size - 1} and waits for all of them.
   *
   * @param scheduler a scheduler with at least {@code size} engines
   * @param size how many ranks, at least 1
   * @param fn the program every rank runs
   * @param <R> each rank's result type
   * @return the ranks' results, in rank order
   * @throws MpiException if a rank failed, naming it
   */
  public static <R> List<R> run(Scheduler scheduler, int size, Spmd<R> fn) {
    return join(submit(scheduler, size, null, fn));
  }

  /**
   * Runs {@code fn} on ranks 0 to {@code size - 1}, failing the group if it has not ended
   * within {@code timeout} (a deadlock: every rank waiting for another), and waits.
   *
   * @param scheduler a scheduler with at least {@code size} engines
   * @param size how many ranks, at least 1
   * @param timeout how long the group may run at most
   * @param fn the program every rank runs
   * @param <R> each rank's result type
   * @return the ranks' results, in rank order
   * @throws MpiException if a rank failed, naming it
   * @throws ResultTimeoutException if the group did not end within {@code timeout}, naming
   *     the group's size and the timeout (the ranks are stopped)
   */
  public static <R> List<R> run(Scheduler scheduler, int size, Duration timeout, Spmd<R> fn) {
    Objects.requireNonNull(timeout, "timeout");
    return join(submit(scheduler, size, timeout, fn));
  }

  /**
   * Starts {@code fn} on ranks 0 to {@code size - 1} and returns at once.
   *
   * @param scheduler a scheduler with at least {@code size} engines
   * @param size how many ranks, at least 1
   * @param fn the program every rank runs
   * @param <R> each rank's result type
   * @return the ranks' results in rank order, or an {@link MpiException}
   */
  public static <R> CompletableFuture<List<R>> submit(Scheduler scheduler, int size,
      Spmd<R> fn) {
    return submit(scheduler, size, null, fn);
  }

  private static <R> List<R> join(CompletableFuture<List<R>> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the MPI group", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new CompletionException(c);
    }
  }

  @SuppressWarnings("unchecked")
  private static <R> CompletableFuture<List<R>> submit(Scheduler scheduler, int size,
      Duration timeout, Spmd<R> fn) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(fn, "fn");
    Engines engines = scheduler.engines().orElseThrow(() -> new IllegalArgumentException(
        "scheduler " + scheduler.name() + " has no engines to run ranks on: use"
        + " Schedulers.threads(n) or Schedulers.processes(n)"));
    if (size < 1 || size > engines.count()) {
      throw new IllegalArgumentException("an MPI group of " + size + " ranks needs " + size
          + " engines; " + scheduler.name() + " has " + engines.count() + (size < 1 ? ""
          : ": use a scheduler with more workers"));
    }
    long group = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    CompletableFuture<List<R>> result = new CompletableFuture<>();
    AtomicBoolean failed = new AtomicBoolean();
    List<CompletableFuture<Object>> ranks = new ArrayList<>();
    for (int r = 0; r < size; r++) {
      int rank = r;
      EngineFunction<Object> body = ctx -> {
        Comm comm = new Comm(ctx, group, rank, size);
        try {
          return fn.run(comm);
        } finally {
          comm.finish();
        }
      };
      CompletableFuture<Object> f = engines.call(rank, body);
      ranks.add(f);
      f.whenComplete((v, e) -> {
        if (e == null) {
          return;
        }
        Throwable c = unwrap(e);
        if (c instanceof Aborted) {
          return; // woken by the failure of another rank, which reports itself
        }
        String how = c instanceof EngineDiedException ? " died: " : " failed: ";
        String where;
        try {
          where = " (" + engines.name(rank) + ")";
        } catch (RuntimeException noName) {
          where = "";
        }
        fail(engines, group, size, failed, result, new MpiException("rank " + rank + " of "
            + size + where + how + c, rank, c));
      });
    }
    CompletableFuture.allOf(ranks.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
      if (e == null) {
        List<R> out = new ArrayList<>(size);
        for (CompletableFuture<Object> f : ranks) {
          out.add((R) f.join());
        }
        result.complete(out);
      }
    });
    if (timeout != null) {
      CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() ->
          fail(engines, group, size, failed, result, new ResultTimeoutException("the MPI"
              + " group of " + size + " ranks", timeout, "the group was stopped, its ranks"
              + " woken; a receive without its send, or collectives called in different"
              + " orders?", null)));
    }
    return result;
  }

  /** Fails the group once: the caller learns why, the waiting ranks are woken. */
  private static void fail(Engines engines, long group, int size, AtomicBoolean failed,
      CompletableFuture<?> result, RuntimeException why) {
    if (result.isDone() || !failed.compareAndSet(false, true)) {
      return;
    }
    result.completeExceptionally(why);
    for (int r = 0; r < size; r++) {
      try {
        engines.post(r, Comm.WIRE_TAG, Arrays.asList(group, Comm.ABORT, 0,
            why.getMessage()));
      } catch (RuntimeException e) {
        // that engine is gone or the scheduler closed: nobody there is waiting
      }
    }
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
