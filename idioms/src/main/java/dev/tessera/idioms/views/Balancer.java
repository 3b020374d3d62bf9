package dev.tessera.idioms.views;

import dev.tessera.graph.spi.Engines;
import dev.tessera.idioms.ResultTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The load-balanced views' scheduler, in the caller's JVM: a task waits (for its dependencies,
 * then in {@link #ready}) until an engine has nothing of this balancer's to do, and runs
 * there; each engine runs at most one of its tasks at a time (ipyparallel's default high-water
 * mark of 1), so a slow task never holds others back while another engine is free. A failed
 * task with retries left goes back to the front of the queue, for an engine it has not failed
 * on.
 */
final class Balancer {
  private final Engines engines;
  private final List<Integer> targets;
  /** Whether each target (by position) runs one of our tasks. Guarded by this. */
  private final boolean[] busy;
  /** Tasks whose dependencies are met, oldest first. Guarded by this. */
  private final ArrayDeque<Job> ready = new ArrayDeque<>();
  /** Where the search for an idle engine starts, so that work spreads. Guarded by this. */
  private int next;

  Balancer(Engines engines, List<Integer> targets) {
    this.engines = engines;
    this.targets = List.copyOf(targets);
    this.busy = new boolean[targets.size()];
  }

  List<Integer> targets() {
    return targets;
  }

  /** One task: its function, where its result and metadata go, and its retry state. */
  static final class Job {
    final EngineFn<?> fn;
    final CompletableFuture<Object> result = new CompletableFuture<>();
    final Consumer<Metadata> meta;
    final Instant submitted = Instant.now();
    final AtomicBoolean placed = new AtomicBoolean();
    /** Guarded by the balancer. */
    int retriesLeft;
    /** Engines it failed on. Guarded by the balancer. */
    final Set<Integer> failedOn = new HashSet<>();
    /** The engine it must run on, or -1. */
    int follow = -1;

    Job(EngineFn<?> fn, int retries, Consumer<Metadata> meta) {
      this.fn = fn;
      this.retriesLeft = retries;
      this.meta = meta;
    }
  }

  /** Queues the job once its dependencies are met; fails it if they fail or take too long. */
  void submit(Job job, List<AsyncResult<?>> after, List<AsyncResult<?>> follow,
      Duration timeout) {
    if (after.isEmpty() && follow.isEmpty()) {
      job.placed.set(true);
      enqueue(job);
      return;
    }
    List<AsyncResult<?>> all = new ArrayList<>(after);
    all.addAll(follow);
    CompletableFuture<?>[] deps = new CompletableFuture<?>[all.size()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = all.get(i).raw();
    }
    CompletableFuture.allOf(deps).handle((v, e) -> {
      resolve(job, all, follow);
      return null;
    });
    if (timeout != null) {
      CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
        if (job.placed.compareAndSet(false, true)) {
          job.result.completeExceptionally(new ResultTimeoutException("the dependencies"
              + " (after/follow) of a load-balanced task", timeout, "the task will not run;"
              + " its dependencies go on", null));
        }
      });
    }
  }

  private void resolve(Job job, List<AsyncResult<?>> all, List<AsyncResult<?>> follow) {
    if (!job.placed.compareAndSet(false, true)) {
      return; // timed out
    }
    for (int i = 0; i < all.size(); i++) {
      CompletableFuture<?> dep = all.get(i).raw();
      if (dep.isCompletedExceptionally()) {
        Throwable cause;
        try {
          dep.join();
          cause = null;
        } catch (RuntimeException e) {
          cause = Calls.unwrap(e);
        }
        job.result.completeExceptionally(new ImpossibleDependency("dependency " + i + " of"
            + " this task failed, so it cannot run: " + cause, cause));
        return;
      }
    }
    if (!follow.isEmpty()) {
      Set<Integer> where = new TreeSet<>();
      for (AsyncResult<?> f : follow) {
        where.addAll(f.engineIds());
      }
      if (where.size() != 1 || !targets.contains(where.iterator().next())) {
        job.result.completeExceptionally(new ImpossibleDependency("the task follows results"
            + " that ran on engines " + where + ": it can follow one engine of " + targets,
            null));
        return;
      }
      job.follow = where.iterator().next();
    }
    enqueue(job);
  }

  private void enqueue(Job job) {
    synchronized (this) {
      ready.add(job);
    }
    dispatch();
  }

  /** Starts ready jobs on idle engines. */
  private void dispatch() {
    List<Job> jobs = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    synchronized (this) {
      Iterator<Job> it = ready.iterator();
      while (it.hasNext() && anyIdle()) {
        Job j = it.next();
        int slot = pick(j);
        if (slot >= 0) {
          it.remove();
          busy[slot] = true;
          jobs.add(j);
          slots.add(slot);
        }
      }
    }
    for (int i = 0; i < jobs.size(); i++) {
      start(jobs.get(i), slots.get(i));
    }
  }

  private boolean anyIdle() {
    for (boolean b : busy) {
      if (!b) {
        return true;
      }
    }
    return false;
  }

  /** An idle engine the job may run on, or -1. Called with the lock held. */
  private int pick(Job j) {
    if (j.follow >= 0) {
      int slot = targets.indexOf(j.follow);
      return busy[slot] ? -1 : slot;
    }
    for (int k = 0; k < busy.length; k++) {
      int slot = (next + k) % busy.length;
      if (!busy[slot] && !j.failedOn.contains(targets.get(slot))) {
        next = (slot + 1) % busy.length;
        return slot;
      }
    }
    return -1;
  }

  private void start(Job j, int slot) {
    int engine = targets.get(slot);
    j.meta.accept(Metadata.queued(engine, j.submitted));
    CompletableFuture<Object> call;
    try {
      call = Calls.call(engines, engine, j.fn, j.submitted, j.meta);
    } catch (RuntimeException e) {
      finished(j, slot, null, e);
      return;
    }
    call.whenComplete((v, e) -> finished(j, slot, v, e));
  }

  private void finished(Job j, int slot, Object value, Throwable error) {
    boolean retry = false;
    synchronized (this) {
      busy[slot] = false;
      if (error != null && j.retriesLeft > 0) {
        j.failedOn.add(targets.get(slot));
        if (j.follow >= 0 || !j.failedOn.containsAll(targets)) {
          j.retriesLeft--;
          ready.addFirst(j);
          retry = true;
        }
      }
    }
    if (!retry) {
      if (error == null) {
        j.result.complete(value);
      } else {
        j.result.completeExceptionally(Calls.unwrap(error));
      }
    }
    dispatch();
  }
}
