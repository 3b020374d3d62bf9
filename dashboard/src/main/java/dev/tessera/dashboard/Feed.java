package dev.tessera.dashboard;

import dev.tessera.diagnostics.Diagnostics;
import dev.tessera.diagnostics.Profiler;
import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.spi.TransferEvent;
import java.nio.file.Path;
import java.util.List;

/**
 * The adapter between the scheduler SPI and the dashboard: the one class of this module that
 * implements or calls the scheduler callbacks ({@link SchedulerCallback}, {@link TaskEvent},
 * {@link RunInfo}, {@link RunOutcome}, {@link TransferEvent}). It turns their calls into {@link Activity} records in
 * the {@link Rings} and {@link Computation}s in the {@link Runs}; everything else speaks
 * those. When the SPI moves or grows (worker-side events), only this file changes.
 *
 * <p>Registered globally ({@link Tessera#addCallback}), so every scheduler feeds it: the
 * threaded and synchronous schedulers call it on the threads that run tasks, the worker-JVM
 * pool on the caller's side as its workers report. While no page is open it wants no task
 * events ({@link #wantsTaskEvents()}), and the threaded and synchronous schedulers, which
 * count their tasks themselves ({@link RunInfo#counts()}), then call nothing per task: the
 * pages read the scheduler's counts. While a page is open, each task stores two entries in
 * the calling thread's ring (allocating nothing): no lock, no shared write. A scheduler that
 * does not count (worker JVMs, the cluster) calls every task's callbacks anyway; then each
 * bumps one counter.
 */
final class Feed implements SchedulerCallback {
  private final Rings rings;
  private final Runs runs;
  private final Transfers transfers;

  Feed(Rings rings, Runs runs, Transfers transfers) {
    this.rings = rings;
    this.runs = runs;
    this.transfers = transfers;
  }

  /** Registers this feed for every computation in the JVM; closing the scope detaches it. */
  Tessera.Scope attach() {
    return Tessera.addCallback(this);
  }

  /** Per-task calls only while a page is open: with none, the schedulers that count skip them. */
  @Override
  public boolean wantsTaskEvents() {
    return rings.recording;
  }

  @Override
  public void start(RunInfo run) {
    runs.started(new Computation(run.id(), run.scheduler(), run.plan(), run.startNanos(),
        run.counts(), rings.recording));
  }

  @Override
  public void pretask(RunInfo run, Key key, String worker) {
    if (rings.recording) {
      rings.started(run.id(), key, worker, System.nanoTime());
    }
  }

  @Override
  public void posttask(RunInfo run, TaskEvent event) {
    boolean failed = event.failed();
    if (rings.recording) {
      rings.ended(run.id(), event.key(), event.worker(), event.startNanos(), event.endNanos(),
          failed, event.resultBytes());
    }
    Computation c = runs.get(run.id());
    if (c != null && !c.counted()) {
      (failed ? c.failed : c.done).increment();
    }
  }

  /** A remote scheduler moved a result between workers (rare next to tasks: kept always). */
  @Override
  public void transfer(RunInfo run, TransferEvent event) {
    transfers.add(run.id(), event);
  }

  /** Sizes results of this JVM while a page is open (worker JVMs measure their own). */
  @Override
  public long sizeOf(Object result) {
    return rings.recording ? Sizes.of(result) : -1;
  }

  @Override
  public void finish(RunInfo run, RunOutcome outcome) {
    Computation c = runs.get(run.id());
    if (c != null) {
      c.ended(c.end(outcome.tasksCompleted(), describe(outcome.failure()),
          outcome.endNanos()));
    }
  }

  static String describe(Throwable f) {
    if (f == null) {
      return null;
    }
    if (f instanceof TaskFailedException tf) {
      Throwable cause = tf.getCause() == null ? tf : tf.getCause();
      return "FAILED at " + tf.key() + ": " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    if (f instanceof ComputeCancelledException) {
      return "CANCELLED";
    }
    return "STOPPED: " + f;
  }

  /**
   * Writes the diagnostics module's HTML profile report of one computation from the tasks the
   * dashboard kept of it.
   *
   * @param c the computation
   * @param tasks its ended tasks
   * @param file where to write
   * @return {@code file}
   */
  static Path profile(Computation c, List<Activity.Ended> tasks, Path file) {
    Profiler p = new Profiler();
    RunInfo run = new RunInfo(c.id, c.scheduler, c.plan(), c.startNanos);
    p.start(run);
    for (Activity.Ended e : tasks) {
      p.posttask(run, new TaskEvent(e.key(), e.worker(), e.startNanos(), e.endNanos(),
          e.failed() ? new RuntimeException("failed") : null, 0, e.bytes()));
    }
    return Diagnostics.visualize(file, p);
  }
}
