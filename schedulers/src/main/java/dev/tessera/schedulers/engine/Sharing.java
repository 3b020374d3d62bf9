package dev.tessera.schedulers.engine;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.spi.RemoteValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys shared between the computations in progress on one {@link Engine}, for one
 * {@link Computation}: a computation that starts while another one computes or holds a key of
 * its plan uses that result where it is, on its worker, instead of computing it again (Dask's
 * scheduler keeps one task per key for all its clients). Both sides live here:
 *
 * <ul>
 *   <li>as a lender, the keys this computation claimed in the engine's {@link KeyClaims} (the
 *       tasks it runs itself), the later computations waiting for one of them, and the
 *       results it lent: a handle ({@link HeldValue}, under this computation's id) with a count
 *       of users, so that the worker drops the value only when neither the lender nor any
 *       borrower needs it;
 *   <li>as a borrower, the results it uses (entered DONE as results held before it, like a
 *       persisted input) and those still pending in their lender.
 * </ul>
 *
 * A computation borrows only at its start ({@link #share}) and only from computations that
 * started before it, so that locks are only ever taken newer → older (the borrower's, then the
 * lender's) and nobody waits in a cycle. A lender never takes a borrower's lock while it holds
 * its own: it answers waiters through its outbox. A borrowed result that its lender ends
 * without (cancelled, failed, the result lost) fails the borrower with
 * {@link Computation#borrowLost} set, and the engine runs the borrower again without borrowing:
 * sharing saves work, it never changes an answer. Guarded by the computation's lock.
 */
final class Sharing {
  /** A result lent to later computations, with how many use it (the lender too, while it does). */
  static final class Lent {
    final HeldValue value;
    private int users = 1; // guarded by this

    Lent(HeldValue value) {
      this.value = value;
    }

    /** {@return whether one more user took it} (false once the last one dropped it) */
    synchronized boolean retain() {
      if (users == 0) {
        return false;
      }
      users++;
      return true;
    }

    /** One user is done with it; the last one releases it on its worker. */
    void drop() {
      boolean last;
      synchronized (this) {
        last = users > 0 && --users == 0;
      }
      if (last) {
        value.release();
      }
    }
  }

  private record Waiter(Computation borrower, int task) {}

  /** What {@link #lend} answers for a result not made yet: the lender delivers it later. */
  private static final Object PENDING = new Object();

  private final Computation c;
  /** The keys this computation claimed: tasks it runs itself, which later ones may borrow. */
  private final Map<Integer, KeyClaims.Claim> claimed = new HashMap<>();
  private final Map<Integer, List<Waiter>> waiters = new HashMap<>();
  private final Map<Integer, Lent> lent = new HashMap<>();
  private final Map<Integer, Lent> borrowed = new HashMap<>();
  /** Tasks borrowed from a computation that has not made them yet. */
  private final Set<Integer> pending = new HashSet<>();
  private boolean ended;

  Sharing(Computation c) {
    this.c = c;
  }

  /**
   * Whether task t's result may be shared: made by this computation (not held before it) and
   * not an output that {@code persist} keeps (its handle, given to the user, releases it).
   */
  private boolean shareable(int t) {
    return c.state[t] != Computation.DONE && RemoteValue.of(c.plan.task(t)) == null
        && !(c.keep && c.isOutput[t]) && !onHeldOnly(t);
  }

  /**
   * Whether every input of t was held before the computation (a broadcast, persisted data, a
   * future): t then runs where those inputs already are, in each computation, rather than
   * having its result moved from the worker of another (a broadcast is on every worker: a
   * wrapper over it costs microseconds to run, a transfer to move).
   */
  private boolean onHeldOnly(int t) {
    int k = c.plan.dependencyCount(t);
    for (int j = 0; j < k; j++) {
      if (c.state[c.plan.dependency(t, j)] != Computation.DONE) {
        return false;
      }
    }
    return k > 0;
  }

  /**
   * At the start, before the computation is visible to worker events: borrows what earlier
   * computations compute or hold, leaves out what only borrowed results needed, and claims
   * the rest. Takes this computation's lock, then each lender's.
   *
   * @param borrows false to claim only (a computation that runs again after a lost borrow)
   */
  void share(boolean borrows) {
    KeyClaims claims = c.engine.claims;
    c.lock.lock();
    try {
      boolean[] mine = new boolean[c.n];
      for (int t = 0; t < c.n; t++) {
        mine[t] = shareable(t);
      }
      Map<Integer, KeyClaims.Claim> found = borrows ? claims.find(c.plan, mine, c) : Map.of();
      if (!found.isEmpty()) {
        boolean[] before = new boolean[c.n];
        for (int t = 0; t < c.n; t++) {
          before[t] = c.state[t] == Computation.DONE;
        }
        // borrowed only where needed: what a borrowed task needs is not needed for it here
        boolean[] needed = c.plan.reachFromOutputs(t -> {
          KeyClaims.Claim cl = found.get(t);
          return cl != null && borrow(cl, t);
        });
        skipUnneeded(before, needed);
      }
      List<KeyClaims.Claim> mineNow = new ArrayList<>();
      for (int t = 0; t < c.n; t++) {
        if (mine[t] && c.state[t] != Computation.DONE && !pending.contains(t)) {
          mineNow.add(new KeyClaims.Claim(c.plan.key(t), c, t));
        }
      }
      if (!mineNow.isEmpty()) {
        for (KeyClaims.Claim cl : claims.claim(mineNow)) {
          claimed.put(cl.task(), cl);
        }
      }
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Borrows task t's result from the computation that claimed its key: entered DONE now if it
   * is made there, else pending until it is. Takes the lender's lock (never runs its outbox
   * under ours).
   *
   * @return whether t is borrowed or pending
   */
  private boolean borrow(KeyClaims.Claim cl, int t) {
    Computation lender = cl.owner();
    Object r;
    lender.lock.lock();
    try {
      r = lender.sharing.lend(cl.task(), c, t);
    } finally {
      lender.lock.unlock();
    }
    if (r instanceof Lent l) {
      borrowed.put(t, l);
      c.directory.heldBefore(t, l.value);
      c.enterDone(t);
    } else if (r != null) {
      pending.add(t);
      c.waiting[t] = Integer.MAX_VALUE / 2; // never ready: it comes from its lender
    }
    return r != null;
  }

  /**
   * Leaves out every task not {@code needed} (only borrowed ones needed it): DONE without a
   * result; and the inputs of every task not run here lose that holder, so that each
   * intermediate is still dropped as soon as no task to run here needs it.
   */
  private void skipUnneeded(boolean[] before, boolean[] needed) {
    for (int x = 0; x < c.n; x++) {
      boolean elsewhere = borrowed.containsKey(x) || pending.contains(x);
      if (before[x] || (needed[x] && !elsewhere)) {
        continue; // runs here, or was held before: its inputs' counts stand
      }
      for (int j = 0, k = c.plan.dependencyCount(x); j < k; j++) {
        c.holders[c.plan.dependency(x, j)]--;
      }
      if (!needed[x]) {
        c.state[x] = Computation.DONE;
        c.finished++;
      }
    }
  }

  // ---- the lender's side ----

  /**
   * A later computation asks for task {@code ta}'s result, for its task {@code t}. Lock held.
   *
   * @return a {@link Lent} it now holds a use of, {@link #PENDING} if it will be delivered
   *     (or reported lost) once made, or null if it is not to be had here
   */
  Object lend(int ta, Computation borrower, int t) {
    if (ended || c.failure != null || !claimed.containsKey(ta)) {
      return null;
    }
    if (c.state[ta] == Computation.DONE) {
      if (c.holders[ta] <= 0) {
        return null;
      }
      Lent l = lentOf(ta);
      return l != null && l.retain() ? l : null;
    }
    waiters.computeIfAbsent(ta, x -> new ArrayList<>()).add(new Waiter(borrower, t));
    return PENDING;
  }

  /** {@return the lent handle of DONE task t on its home worker, made now if needed, or null} */
  private Lent lentOf(int t) {
    WorkerEndpoint home = c.directory.home[t];
    Lent l = lent.get(t);
    if (l != null && home != null && l.value.holders().contains(home)) {
      return l;
    }
    if (l != null) {
      lent.remove(t); // its worker died and t was made again elsewhere
      l.drop();
    }
    if (home == null || !home.alive()) {
      return null;
    }
    HeldValue v = c.engine.register(new HeldValue(c.engine, c.idBase + t, c.plan.key(t),
        List.of(home), c.directory.size[t], null, null));
    if (v.isLost()) {
      return null;
    }
    l = new Lent(v);
    lent.put(t, l);
    return l;
  }

  /** Task t is DONE: the computations waiting for it get it, through the outbox. Lock held. */
  void done(int t) {
    List<Waiter> ws = waiters.isEmpty() ? null : waiters.remove(t);
    if (ws == null) {
      return;
    }
    Lent l = lentOf(t);
    for (Waiter w : ws) {
      if (l != null && l.retain()) {
        c.later(() -> w.borrower().sharing.delivered(w.task(), l));
      } else {
        c.later(() -> w.borrower().sharing.lost(w.task(), "its worker is gone"));
      }
    }
  }

  /**
   * No task here needs d any more: d's claim ends; if it was lent, the workers holding the
   * lent handle keep it (removed from {@code targets}) until its last borrower is done. Lock
   * held.
   */
  void released(int d, Set<WorkerEndpoint> targets) {
    KeyClaims.Claim cl = claimed.remove(d);
    if (cl != null) {
      c.engine.claims.remove(cl);
    }
    Lent l = lent.remove(d);
    if (l != null) {
      targets.removeAll(l.value.holders());
      l.drop();
    }
    Lent b = borrowed.remove(d);
    if (b != null) {
      b.drop();
    }
  }

  /** {@return whether {@code w} keeps t's result for its borrowers when this one ends} */
  boolean keepsOn(int t, WorkerEndpoint w) {
    Lent l = lent.isEmpty() ? null : lent.get(t);
    return l != null && l.value.holders().contains(w);
  }

  /**
   * The computation ends, whatever happened: its claims end, waiters still waiting learn that
   * their result is lost (through the outbox), and its uses of lent and borrowed results are
   * dropped. Lock held.
   */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    String why = c.failure == null ? "it ended first" : "it stopped: " + c.failure.getMessage();
    for (List<Waiter> ws : waiters.values()) {
      for (Waiter w : ws) {
        c.later(() -> w.borrower().sharing.lost(w.task(), why));
      }
    }
    waiters.clear();
    for (KeyClaims.Claim cl : claimed.values()) {
      c.engine.claims.remove(cl);
    }
    claimed.clear();
    lent.values().forEach(Lent::drop);
    lent.clear();
    borrowed.values().forEach(Lent::drop);
    borrowed.clear();
    pending.clear();
  }

  // ---- the borrower's side (called by a lender's outbox, without any lock) ----

  /** The lender made t's result: it is DONE here from now on, held where it was made. */
  private void delivered(int t, Lent l) {
    c.lock.lock();
    try {
      if (ended || c.failure != null || !pending.remove(t)) {
        l.drop();
        return;
      }
      if (l.value.holder() == null) {
        pending.add(t);
        l.drop();
        lostLocked(t, "its worker died");
        return;
      }
      borrowed.put(t, l);
      c.borrowedDone(t, l.value);
    } finally {
      c.unlock();
    }
  }

  private void lost(int t, String why) {
    c.lock.lock();
    try {
      lostLocked(t, why);
    } finally {
      c.unlock();
    }
  }

  private void lostLocked(int t, String why) {
    if (ended || !pending.remove(t) || c.failure != null) {
      return;
    }
    c.borrowLost = true;
    c.stop(new TaskFailedException(c.plan.key(t), ", which this computation took from another"
        + " one in progress that did not make it (" + why + "); it runs again by itself",
        new IllegalStateException(why)));
  }
}
