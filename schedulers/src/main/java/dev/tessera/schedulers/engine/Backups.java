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
 * when a holder dies or a worker joins while some are missing. A copy is the value's bytes
 * (fetched here once, or those that came with its done event) sent as the one input of a task
 * whose result is that input.
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
   * left: its bytes fetched here once (or those that came with its done event), then sent to
   * each as the input of a task whose result is that input, kept under the value's id. Blocks
   * until the workers answered; one at a time per value (its recovery lock), outside every
   * other engine lock.
   *
   * @param strict whether a copy's failure on a worker throws (at persist) or is only noted
   *     (the background repair: the next death or join tries again); a death never throws
   */
  void backUp(HeldValue v, boolean strict) {
    boolean retry = false;
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
      byte[] bytes;
      byte[] task;
      try {
        bytes = v.small() != null ? v.small() : engine.fetchBytes(v);
        task = copyTask();
      } catch (ComputeCancelledException e) {
        throw e;
      } catch (IOException | TesseraException e) {
        if (v.isLost() || !strict) {
          return; // its holder died meanwhile: computed again from its graph when needed
        }
        throw new TaskFailedException(v.key(), ", but it could not be backed up", e);
      }
      Spread spread = new Spread(to);
      engine.spreads.put(id, spread);
      spread.loseGone(engine.live);
      String k = v.key().toString();
      try {
        for (WorkerEndpoint w : to) {
          try {
            w.run(id, k.length() > 1000 ? k.substring(0, 1000) : k, false, task,
                new long[] {id}, new byte[][] {bytes});
            engine.countTransfer(bytes.length);
          } catch (IOException e) {
            spread.lost(w, e.toString());
          }
        }
        List<WorkerEndpoint> made;
        try {
          made = spread.awaitAnswers(v.key(), " while a backup of it was made");
          if (made.size() < to.size()) {
            retry = true; // a worker died before keeping its copy: another one gets it
          }
        } catch (TaskFailedException e) {
          made = spread.holders();
          if (strict && !(e.getCause() instanceof WorkerDiedException)) {
            drop(id, made);
            throw e;
          }
          retry = e.getCause() instanceof WorkerDiedException;
        } catch (RuntimeException e) {
          // interrupted: a copy still on its way is dropped too (a release that overtakes
          // its task leaves the task without its input, so nothing stays)
          drop(id, to);
          throw e;
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
      } finally {
        engine.spreads.remove(id);
      }
    }
    if (retry) {
      repair(v); // in the background, once per death: bounded by the deaths
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
