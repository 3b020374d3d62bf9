package dev.tessera.schedulers;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.engine.IntHeap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every engine's computation shares: the lock that guards its state, the counts a
 * {@link RunOutcome} reports, and the bracket around a run: {@code start} first, then the
 * engine's own work under the lock, then, whatever happened, the outcome, the caller's
 * interrupt flag restored, and {@code finish}.
 */
abstract class Run {
  final ExecutionPlan plan;
  final SchedulerCallback callback;
  final RunInfo info;
  /** What observers read of {@link #finished} and the failed tasks, live. */
  final LiveCounts counts = new LiveCounts();
  final int n;
  final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  /** waiting[i]: dependencies of task i that have not finished. */
  final int[] waiting;
  /** holders[i]: tasks still to run that need i's result, plus 1 if i is an output. */
  final int[] holders;
  /** isOutput[i]: whether i is a requested output (its result is kept to the end). */
  final boolean[] isOutput;
  /** Tasks whose dependencies have all finished, lowest priority first. */
  final IntHeap ready;
  /** How many distinct tasks are outputs. */
  final int distinctOutputs;
  int finished;
  /** The first failure or the cancellation; once set, nothing new starts. */
  RuntimeException failure;
  /** The caller was interrupted: its flag is set again before returning. */
  boolean interrupted;

  Run(ExecutionPlan plan, SchedulerCallback callback, String scheduler) {
    this.plan = plan;
    this.callback = callback;
    this.n = plan.size();
    this.info = new RunInfo(RunInfo.nextId(), scheduler, plan, System.nanoTime(), counts);
    this.waiting = new int[n];
    this.holders = new int[n];
    this.isOutput = new boolean[n];
    int[] priority = new int[n];
    for (int i = 0; i < n; i++) {
      priority[i] = plan.priority(i);
    }
    int outputs = 0;
    for (int j = 0; j < plan.outputs().size(); j++) {
      int o = plan.outputIndex(j);
      if (!isOutput[o]) {
        isOutput[o] = true;
        outputs++;
      }
    }
    this.distinctOutputs = outputs;
    this.ready = new IntHeap(priority, Math.min(n, 1024));
    initCounts();
  }

  /** Sets {@link #waiting} and {@link #holders} as before any task ran (also for a re-run). */
  final void initCounts() {
    for (int i = 0; i < n; i++) {
      waiting[i] = plan.dependencyCount(i);
      holders[i] = plan.dependentCount(i) + (isOutput[i] ? 1 : 0);
    }
  }

  /** Runs the computation on the calling thread and returns the outputs' results. */
  final List<Object> execute() {
    callback.start(info);
    try {
      lock.lock();
      try {
        return runLocked();
      } finally {
        lock.unlock();
      }
    } finally {
      RunOutcome outcome;
      lock.lock();
      try {
        outcome = new RunOutcome(finished, n, failure, System.nanoTime());
      } finally {
        lock.unlock();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      callback.finish(info, outcome);
    }
  }

  /** The engine's work, with the lock held; throws the failure if there is one. */
  abstract List<Object> runLocked();
}
