package dev.tessera.schedulers.engine;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies of one value being put on several workers (a broadcast, or a held value's backups),
 * waiting for their answers: each worker keeps it, fails, dies, or (asked to take it from
 * another worker) refuses. The engine routes the
 * answers for the value's id here while it is registered.
 */
final class Spread {
  // all guarded by this
  private final List<WorkerEndpoint> waiting;
  private final List<WorkerEndpoint> holders = new ArrayList<>();
  private final List<WorkerEndpoint> refused = new ArrayList<>();
  private Throwable error;
  private String lost;
  long sizeBytes = -1;

  Spread(List<WorkerEndpoint> to) {
    waiting = new ArrayList<>(to);
  }

  synchronized void done(WorkerEndpoint w, long size) {
    if (waiting.remove(w)) {
      holders.add(w);
      sizeBytes = size;
      notifyAll();
    }
  }

  synchronized void failed(WorkerEndpoint w, Throwable e) {
    if (waiting.remove(w)) {
      error = error == null ? e : error;
      notifyAll();
    }
  }

  /** {@code w} could not take the value from another worker: the caller sends it instead. */
  synchronized void refused(WorkerEndpoint w) {
    if (waiting.remove(w)) {
      refused.add(w);
      notifyAll();
    }
  }

  /** {@return the workers that {@link #refused} the value, once every one answered} */
  synchronized List<WorkerEndpoint> awaitRefused(Key key) {
    awaitAll(key);
    return new ArrayList<>(refused);
  }

  /** Waits until every worker answered (kept, failed, refused) or died. */
  private void awaitAll(Key key) {
    while (!waiting.isEmpty()) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ComputeCancelledException("interrupted while waiting for the workers to"
            + " keep " + key);
      }
    }
  }

  synchronized void lost(WorkerEndpoint w, String why) {
    holders.remove(w);
    if (waiting.remove(w)) {
      lost = w.name() + " " + why;
    }
    notifyAll();
  }

  synchronized List<WorkerEndpoint> await(Key key) {
    return awaitAnswers(key, " while it was put on the workers");
  }

  /**
   * Waits until every worker answered or died; returns the holders.
   *
   * @throws TaskFailedException if one failed, or (caused by a {@link WorkerDiedException})
   *     if every one died
   */
  synchronized List<WorkerEndpoint> awaitAnswers(Key key, String when) {
    awaitAll(key);
    if (error != null) {
      throw new TaskFailedException(key, when, error);
    }
    if (holders.isEmpty()) {
      throw new TaskFailedException(key, when, new WorkerDiedException(lost));
    }
    return new ArrayList<>(holders);
  }

  synchronized List<WorkerEndpoint> holders() {
    return new ArrayList<>(holders);
  }

  /**
   * Counts as lost the targets no longer {@code live}: called once the spread is registered,
   * so that a worker whose death was reported before (and so never told this spread) is not
   * waited for; a death reported later finds the spread in the engine's registry of spreads.
   */
  void loseGone(List<WorkerEndpoint> live) {
    List<WorkerEndpoint> to;
    synchronized (this) {
      to = new ArrayList<>(waiting);
    }
    for (WorkerEndpoint w : to) {
      if (!live.contains(w) || !w.alive()) {
        lost(w, "died before it was sent the value");
      }
    }
  }
}
