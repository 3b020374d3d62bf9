package dev.tessera.schedulers.engine;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directory of one {@link Computation}: which worker holds each result (its home, where
 * it was made, plus copies sent along to other workers), under which id, how large it is, and
 * the encoded results fetched into this JVM (for transfers and for the outputs). Spark's
 * {@code BlockManagerMaster}, for one computation. Guarded by the computation's lock.
 */
final class Directory {
  private final Computation c;
  /** ext[t]: the id of a result held before this run (persisted, a future), else 0. */
  private final long[] ext;
  private final Map<Long, Integer> extIndex = new HashMap<>();
  /** The worker that made each result (null if it died or the result is released). */
  final WorkerEndpoint[] home;
  /**
   * Other workers holding a result held before this run, under its id (a broadcast, or a
   * persisted result's backups): one takes over as home when the home dies.
   */
  private final Map<Integer, Set<WorkerEndpoint>> replicas = new HashMap<>();
  /** Other workers holding a copy, after transfers (always under this run's id). */
  final Map<Integer, Set<WorkerEndpoint>> copies = new HashMap<>();
  /** Each result's size in bytes as measured where it was made. */
  final long[] size;
  /** Result bytes fetched into this JVM: for transfers and for the outputs. */
  final Map<Integer, byte[]> cache = new HashMap<>();
  /** Results with a fetch in flight (into this JVM). */
  final Set<Integer> fetching = new HashSet<>();
  /**
   * Results on their way from one worker to another without passing through here (see
   * {@link WorkerEndpoint#pull}): by result, the worker pulling it and the worker it pulls it
   * from. An entry stays until the puller answers or dies: the puller always answers, in a
   * bounded time, also when the worker it pulls from died.
   */
  final Map<Integer, Map<WorkerEndpoint, WorkerEndpoint>> pulls = new HashMap<>();
  /**
   * Workers that pulled a result that was lost meanwhile and is being computed again: they
   * hold a copy the directory does not count, dropped at the end ({@link Releases}).
   */
  final Map<Integer, Set<WorkerEndpoint>> strays = new HashMap<>();

  Directory(Computation c) {
    this.c = c;
    ext = new long[c.n];
    home = new WorkerEndpoint[c.n];
    size = new long[c.n];
  }

  /** t stands for {@code v}, held before this run. */
  void heldBefore(int t, HeldValue v) {
    ext[t] = v.id();
    extIndex.put(ext[t], t);
    List<WorkerEndpoint> on = v.holders();
    // a holder that died and is not reported yet is no home: a live backup is
    on.sort((a, b) -> Boolean.compare(b.alive(), a.alive()));
    home[t] = on.isEmpty() ? null : on.get(0);
    if (on.size() > 1) {
      replicas.put(t, new HashSet<>(on.subList(1, on.size())));
    }
    size[t] = Math.max(0, v.sizeBytes());
  }

  private boolean isReplica(int t, WorkerEndpoint w) {
    Set<WorkerEndpoint> r = replicas.isEmpty() ? null : replicas.get(t);
    return r != null && r.contains(w);
  }

  /** {@return whether t's result was held before this run} */
  boolean isExternal(int t) {
    return ext[t] != 0;
  }

  /** {@return the task held before this run under {@code id}, or -1} */
  int extTask(long id) {
    Integer e = extIndex.get(id);
    return e == null ? -1 : e;
  }

  /** {@return the id of t's result on its home worker} */
  long id(int t) {
    return ext[t] != 0 ? ext[t] : c.idBase + t;
  }

  /** {@return the id of t's result on {@code w} (copies are under this run's id)} */
  long idOn(int t, WorkerEndpoint w) {
    return w == home[t] || isReplica(t, w) ? id(t) : c.idBase + t;
  }

  /** t was made on w. */
  void made(int t, WorkerEndpoint w, long bytes) {
    home[t] = w;
    size[t] = Math.max(0, bytes);
  }

  void addCopy(int d, WorkerEndpoint w) {
    copies.computeIfAbsent(d, x -> new HashSet<>()).add(w);
  }

  boolean holds(int d, WorkerEndpoint w) {
    if (home[d] == w || isReplica(d, w)) {
      return true;
    }
    Set<WorkerEndpoint> s = copies.get(d);
    return s != null && s.contains(w);
  }

  /** {@return a live worker holding d, or null} */
  WorkerEndpoint holder(int d) {
    if (home[d] != null && home[d].alive()) {
      return home[d];
    }
    WorkerEndpoint r = alive(replicas.get(d));
    return r != null ? r : alive(copies.get(d));
  }

  private static WorkerEndpoint alive(Set<WorkerEndpoint> s) {
    if (s != null) {
      for (WorkerEndpoint w : s) {
        if (w.alive()) {
          return w;
        }
      }
    }
    return null;
  }

  /** {@return the bytes of t's inputs held on {@code w}} (an input of unknown size counts 1) */
  long localBytes(int t, WorkerEndpoint w) {
    long b = 0;
    for (int j = 0, k = c.plan.dependencyCount(t); j < k; j++) {
      int d = c.plan.dependency(t, j);
      if (holds(d, w)) {
        b += Math.max(1, size[d]);
      }
    }
    return b;
  }

  /**
   * Asks {@code from} for t's result, unless a fetch is already in flight.
   *
   * @return false if it could not be asked (no live holder, or it is dying: its death
   *     recovers t)
   */
  boolean fetchFrom(int t, WorkerEndpoint from) {
    if (!fetching.add(t)) {
      return true;
    }
    if (from == null) {
      fetching.remove(t);
      return false;
    }
    try {
      from.fetch(idOn(t, from));
      return true;
    } catch (IOException e) {
      fetching.remove(t);
      return false;
    }
  }

  /**
   * Brings d's result where task {@code to} needs it: pulled by {@code to} straight from a
   * worker that holds it when the transport can, else fetched into this JVM (then sent along
   * with the task). Nothing is asked twice: a pull of d by {@code to} or a fetch of d already
   * in flight serves.
   */
  void bring(int d, WorkerEndpoint to) {
    Map<WorkerEndpoint, WorkerEndpoint> p = pulls.get(d);
    if ((p != null && p.containsKey(to)) || fetching.contains(d)) {
      return;
    }
    WorkerEndpoint from = holder(d);
    if (from != null && from != to) {
      try {
        if (to.pull(c.idBase + d, from, idOn(d, from), size[d])) {
          pulls.computeIfAbsent(d, x -> new HashMap<>()).put(to, from);
          return;
        }
      } catch (IOException e) {
        return; // to is dying: its death puts its tasks back
      }
    }
    fetchFrom(d, from); // if it fails, the holder is dying: its death recovers d
  }

  /**
   * The pull of d by {@code w} ended; returns the worker it pulled from, or null if no such
   * pull was in flight (a stale answer).
   */
  WorkerEndpoint pullEnded(int d, WorkerEndpoint w) {
    Map<WorkerEndpoint, WorkerEndpoint> p = pulls.get(d);
    WorkerEndpoint from = p == null ? null : p.remove(w);
    if (p != null && p.isEmpty()) {
      pulls.remove(d);
    }
    return from;
  }

  /** {@code w} is gone: the pulls it made will not be answered. */
  void pullerDied(WorkerEndpoint w) {
    pulls.values().removeIf(p -> p.remove(w) != null && p.isEmpty());
    strays.values().removeIf(s -> s.remove(w) && s.isEmpty());
  }

  /** {@code w} is gone: forget what it held; returns whether t then has no holder at all. */
  boolean forget(int t, WorkerEndpoint w) {
    Set<WorkerEndpoint> s = copies.get(t);
    if (s != null) {
      s.remove(w);
    }
    Set<WorkerEndpoint> r = replicas.get(t);
    if (r != null) {
      r.remove(w);
    }
    if (home[t] == w) {
      // a copy can take over as home, except for a result held before this run (its copies
      // are under this run's id, not the handle's): those copies just stay copies; another
      // replica of it (same id) can
      Set<WorkerEndpoint> next = ext[t] == 0 ? s : r;
      home[t] = next != null && !next.isEmpty() ? next.iterator().next() : null;
      if (home[t] != null) {
        next.remove(home[t]);
      }
      return home[t] == null && (s == null || s.isEmpty()) && (r == null || r.isEmpty());
    }
    return false;
  }

  /** t must be computed again: it is held nowhere. */
  void clear(int t) {
    home[t] = null;
    copies.remove(t);
  }
}
