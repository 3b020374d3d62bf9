package dev.tessera.frame;

import dev.tessera.graph.Delayed;
import java.util.List;

/**
 * A frame's index boundaries: known values, or a delayed computation of them (after
 * {@link Frame#setIndex}, the task that turns the samples into boundaries), computed the first
 * time someone asks for them, on the scheduler in scope then. The frame's own computation
 * does not wait for this: the same task is part of its graph.
 */
final class Divisions {
  private final Delayed<List<Object>> delayed;
  private volatile List<Object> value;
  private volatile boolean done;

  private Divisions(List<Object> value, Delayed<List<Object>> delayed) {
    this.value = value;
    this.delayed = delayed;
    this.done = delayed == null;
  }

  /** Returns known divisions, or null for null. */
  static Divisions known(List<Object> values) {
    return values == null ? null : new Divisions(List.copyOf(values), null);
  }

  static Divisions lazy(Delayed<List<Object>> delayed) {
    return new Divisions(null, delayed);
  }

  /** {@return whether the values are known without computing anything} */
  boolean isKnown() {
    return done;
  }

  /** Returns the divisions (null when there are none: no value in the index column). */
  List<Object> get() {
    if (!done) {
      synchronized (this) {
        if (!done) {
          List<Object> v = delayed.compute();
          value = v == null ? null : List.copyOf(v);
          done = true;
        }
      }
    }
    return value;
  }
}
