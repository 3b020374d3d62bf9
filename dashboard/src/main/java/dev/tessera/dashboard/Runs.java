package dev.tessera.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The computations seen since the dashboard started: the last {@link #KEEP}, so memory stays
 * bounded however many computations run. Written by the scheduler callbacks (start, finish),
 * read by the dashboard's request threads.
 */
final class Runs {
  /** How many computations are kept. */
  static final int KEEP = 8;

  private final Map<Long, Computation> byId = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<Computation> order = new ConcurrentLinkedDeque<>();
  /** The computation whose task was reported last: saves a map look-up per task. */
  private volatile Computation last;

  void started(Computation c) {
    byId.put(c.id, c);
    order.addLast(c);
    last = c;
    while (order.size() > KEEP) {
      Computation old = order.pollFirst();
      if (old != null) {
        byId.remove(old.id);
      }
    }
  }

  /** Returns the computation with this id, or {@code null} if it is not kept (any more). */
  Computation get(long id) {
    Computation c = last;
    if (c != null && c.id == id) {
      return c;
    }
    c = byId.get(id);
    if (c != null) {
      last = c;
    }
    return c;
  }

  /** Returns the kept computations, oldest first; a snapshot. */
  List<Computation> all() {
    return new ArrayList<>(order);
  }
}
