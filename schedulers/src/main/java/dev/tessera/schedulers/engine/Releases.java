package dev.tessera.schedulers.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Release for one {@link Computation}: a result no pending task needs is dropped on every
 * worker holding it (Dask: released, then forgotten), and at the end, whatever happened, the
 * workers drop every result of the computation except the outputs that {@code persist} keeps
 * (their handles release them) and results held before it. Guarded by the computation's lock.
 */
final class Releases {
  private final Computation c;

  Releases(Computation c) {
    this.c = c;
  }

  /** No pending task needs d any more. */
  void release(int d) {
    if (c.isOutput[d]) {
      return;
    }
    Directory dir = c.directory;
    dir.cache.remove(d);
    c.held--;
    Set<WorkerEndpoint> targets = new HashSet<>();
    boolean external = dir.isExternal(d);
    if (dir.home[d] != null && !external) {
      targets.add(dir.home[d]); // a result held before this run stays: its handle releases it
    }
    Set<WorkerEndpoint> s = dir.copies.remove(d);
    if (s != null) {
      targets.addAll(s);
    }
    // pulls in flight: the puller drops the value when it arrives after this release
    java.util.Map<WorkerEndpoint, WorkerEndpoint> p = dir.pulls.remove(d);
    if (p != null) {
      targets.addAll(p.keySet());
    }
    Set<WorkerEndpoint> stray = dir.strays.remove(d);
    if (stray != null) {
      targets.addAll(stray);
    }
    c.sharing.released(d, targets); // lent: kept where its borrowers read it
    if (!external) {
      dir.home[d] = null;
    }
    long[] ids = {c.idBase + d};
    for (WorkerEndpoint w : targets) {
      try {
        w.release(ids);
      } catch (IOException e) {
        // a dead worker holds nothing
      }
    }
  }

  private void addUnheld(Map<WorkerEndpoint, List<Long>> byWorker, int t,
      Set<WorkerEndpoint> on) {
    if (on != null) {
      for (WorkerEndpoint w : on) {
        if (!c.directory.holds(t, w)) {
          byWorker.computeIfAbsent(w, x -> new ArrayList<>()).add(c.idBase + t);
        }
      }
    }
  }

  /** At the end, whatever happened: workers drop every result of this computation. */
  void releaseAll() {
    Directory dir = c.directory;
    Map<WorkerEndpoint, List<Long>> byWorker = new HashMap<>();
    boolean kept = c.keep && c.failure == null;
    for (int t = 0; t < c.n; t++) {
      // kept: the outputs' handles release them; external: released by their handles
      // lent: its last borrower releases it
      if (dir.home[t] != null && !dir.isExternal(t) && !(kept && c.isOutput[t])
          && !c.sharing.keepsOn(t, dir.home[t])) {
        byWorker.computeIfAbsent(dir.home[t], x -> new ArrayList<>()).add(c.idBase + t);
      }
      Set<WorkerEndpoint> s = dir.copies.get(t);
      if (s != null) {
        for (WorkerEndpoint w : s) {
          byWorker.computeIfAbsent(w, x -> new ArrayList<>()).add(c.idBase + t);
        }
      }
      // pulls still in flight (the puller drops what arrives after the release) and copies
      // pulled of a result lost meanwhile, except where the directory counts it held
      Map<WorkerEndpoint, WorkerEndpoint> p = dir.pulls.get(t);
      Set<WorkerEndpoint> stray = dir.strays.get(t);
      addUnheld(byWorker, t, p == null ? null : p.keySet());
      addUnheld(byWorker, t, stray);
    }
    for (Map.Entry<WorkerEndpoint, List<Long>> e : byWorker.entrySet()) {
      long[] ids = e.getValue().stream().mapToLong(Long::longValue).toArray();
      try {
        e.getKey().release(ids);
      } catch (IOException io) {
        // gone
      }
    }
    dir.cache.clear();
    dir.pulls.clear();
    dir.strays.clear();
    c.sharing.end();
  }
}
