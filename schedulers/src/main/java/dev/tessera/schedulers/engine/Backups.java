package dev.tessera.schedulers.engine;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.TesseraException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The backups of an {@link Engine}'s held values ({@code PersistOptions.backups}): copies of a
 * value on other live workers, under its id, made after persist and again in the background
 * when a holder dies or a worker joins while some are missing. A copy is taken by its new
 * worker from a live holder where the transport pulls ({@link WorkerEndpoint#pull}), else it
 * is the value's bytes (fetched here once, or those that came with its done event) sent as the
 * one input of a task whose result is that input.
 */
final class Backups {
  private final Engine engine;

  Backups(Engine engine) {
    this.engine = engine;
  }

  /** Throws, naming the fix, unless there are enough live workers for {@code backups}. */
  void check(int backups) {
    int live = engine.workers().size();
    if (live <= backups) {
      throw new IllegalArgumentException(engine.name + " has " + live + " live worker"
          + (live == 1 ? "" : "s") + ": PersistOptions.backups(" + backups + ") needs at least "
          + (backups + 1) + " (each copy on another worker); ask for "
          + (live <= 1 ? "no backups" : "backups(" + (live - 1) + ")")
          + " or start more workers");
    }
  }

  /** The task that makes a copy: its one input, sent along, is its result (same id). */
  private volatile byte[] copyTask;

  private byte[] copyTask() throws IOException {
    byte[] t = copyTask;
    if (t == null) {
      t = engine.encoding.encodeTask(dev.tessera.graph.core.Task.alias(
          dev.tessera.graph.core.Key.of("tessera-backup")));
      copyTask = t;
    }
    return t;
  }

  /**
   * Copies {@code v} to live workers that do not hold it until it has its backups, or none is
   * left: each new worker takes it from a live holder itself where the transport can
   * ({@link WorkerEndpoint#pull}: the bytes do not pass through here); for the others, and
   * those whose pull failed, its bytes are fetched here once (or those that came with its done
   * event) and sent as the input of a task whose result is that input. Every copy is kept under
   * the value's id. Blocks until the workers answered; one at a time per value (its recovery
   * lock), outside every other engine lock.
   *
   * @param strict whether a copy's failure on a worker throws (at persist) or is only noted
   *     (the background repair: the next death or join tries again); a death never throws
   */
  void backUp(HeldValue v, boolean strict) {
    boolean retry;
    synchronized (v.recovery) {
      int missing = v.backups() + 1 - v.liveHolders();
      if (missing <= 0 || v.isReleased() || v.isLost() || engine.closed != null) {
        return;
      }
      List<WorkerEndpoint> has = v.holders();
      List<WorkerEndpoint> free = new ArrayList<>();
      for (WorkerEndpoint w : engine.workers()) {
        if (!has.contains(w)) {
          free.add(w);
        }
      }
      if (free.isEmpty()) {
        return; // noted by the missing count: a worker that joins gets the copy
      }
      // spread over the free workers by id, so that many blocks do not all land on one
      long id = v.id();
      List<WorkerEndpoint> to = new ArrayList<>();
      int start = (int) Math.floorMod(id, (long) free.size());
      for (int i = 0; i < Math.min(missing, free.size()); i++) {
        to.add(free.get((start + i) % free.size()));
      }
      List<WorkerEndpoint> made = new ArrayList<>();
      try {
        List<WorkerEndpoint> relay = to;
        WorkerEndpoint from = v.small() == null ? engine.liveHolder(v) : null;
        if (from != null) {
          relay = pull(v, from, to, made);
        }
        retry = made.size() + relay.size() < to.size(); // a worker died before keeping it
        if (!relay.isEmpty()) {
          retry |= relay(v, relay, made, strict);
        }
      } catch (RuntimeException e) {
        // failed (strict) or interrupted: a copy still on its way is dropped too (a release
        // that overtakes it leaves the worker without it, so nothing stays)
        drop(id, to);
        throw e;
      } finally {
        engine.spreads.remove(id);
      }
      if (v.addHolders(made)) {
        for (WorkerEndpoint w : made) {
          // its death was reported between its answer and now: died() did not see the copy
          if (!engine.live.contains(w)) {
            retry = true;
            if (v.drop(w)) {
              v.lose(w.name() + " died");
              engine.held.remove(id);
            }
          }
        }
        if (!v.isLost()) {
          engine.held.putIfAbsent(id, v); // a copy outlived the value's other holders
        }
      } else {
        drop(id, made); // released meanwhile
      }
    }
    if (retry) {
      repair(v); // in the background, once per death: bounded by the deaths
    }
  }

  /** Registers a spread of {@code v} to {@code to}, not waiting for workers already dead. */
  private Spread register(long id, List<WorkerEndpoint> to) {
    Spread spread = new Spread(to);
    engine.spreads.put(id, spread);
    spread.loseGone(engine.live);
    return spread;
  }

  /**
   * Asks each of {@code to} to take {@code v} from {@code from}; adds those that did to
   * {@code made}. Returns those to send it to from here: the transport would not pull for
   * them, or their pull failed.
   */
  private List<WorkerEndpoint> pull(HeldValue v, WorkerEndpoint from, List<WorkerEndpoint> to,
      List<WorkerEndpoint> made) {
    long id = v.id();
    Spread spread = register(id, to);
    for (WorkerEndpoint w : to) {
      try {
        if (!w.pull(id, from, id, v.sizeBytes())) {
          spread.refused(w);
        }
      } catch (IOException e) {
        spread.lost(w, e.toString());
      }
    }
    List<WorkerEndpoint> refused = spread.awaitRefused(v.key());
    made.addAll(spread.holders());
    refused.removeIf(w -> !engine.live.contains(w));
    return refused;
  }

  /**
   * Sends {@code v}'s bytes from here to each of {@code to} as the input of a copy task; adds
   * those that kept it to {@code made}. Returns whether one died before keeping it.
   *
   * @throws TaskFailedException if {@code strict} and a copy failed other than by a death
   */
  private boolean relay(HeldValue v, List<WorkerEndpoint> to, List<WorkerEndpoint> made,
      boolean strict) {
    long id = v.id();
    byte[] bytes;
    byte[] task;
    try {
      bytes = v.small() != null ? v.small() : engine.fetchBytes(v);
      task = copyTask();
    } catch (ComputeCancelledException e) {
      throw e;
    } catch (IOException | TesseraException e) {
      if (v.isLost() || !strict) {
        return false; // its holders died meanwhile: computed again from its graph when needed
      }
      throw new TaskFailedException(v.key(), ", but it could not be backed up", e);
    }
    Spread spread = register(id, to);
    String k = v.key().toString();
    for (WorkerEndpoint w : to) {
      try {
        w.run(id, k.length() > 1000 ? k.substring(0, 1000) : k, false, task,
            new long[] {id}, new byte[][] {bytes});
        engine.countTransfer(bytes.length);
      } catch (IOException e) {
        spread.lost(w, e.toString());
      }
    }
    try {
      List<WorkerEndpoint> kept = spread.awaitAnswers(v.key(), " while a backup of it was made");
      made.addAll(kept);
      return kept.size() < to.size();
    } catch (TaskFailedException e) {
      made.addAll(spread.holders());
      if (strict && !(e.getCause() instanceof WorkerDiedException)) {
        throw e;
      }
      return e.getCause() instanceof WorkerDiedException;
    }
  }

  static void drop(long id, List<WorkerEndpoint> on) {
    for (WorkerEndpoint w : on) {
      try {
        w.release(new long[] {id});
      } catch (IOException e) {
        // gone
      }
    }
  }

  /** Background copies: one thread while there are some, none when idle; stopped at close. */
  private final ThreadPoolExecutor repairs =
      new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tessera-engine-backups");
            t.setDaemon(true);
            return t;
          });

  /** Makes the missing copies of {@code v} in the background, if it has backups. */
  void repair(HeldValue v) {
    if (v.backups() == 0 || engine.closed != null) {
      return;
    }
    try {
      repairs.execute(() -> {
        try {
          backUp(v, false);
        } catch (RuntimeException e) {
          // noted by the missing count: the next death or join tries again
        }
      });
    } catch (RejectedExecutionException x) {
      // closing
    }
  }

  void close() {
    repairs.shutdownNow();
  }
}
