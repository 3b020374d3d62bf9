package dev.tessera.bag;

import dev.tessera.graph.Fn1;
import java.io.Serializable;
import java.util.List;

/**
 * The element-wise part of a bag: where a partition's elements come from ({@link Source}) and
 * the chain of element operations ({@link Step}s) still to apply to them. Chains of
 * {@code map}, {@code filter} and {@code flatMap} are composed when the bag is built and run
 * as one push loop inside one task per partition, so that no intermediate list is made; a
 * reduction's per-partition step consumes the same loop directly.
 */
final class Pipeline {
  private Pipeline() {}

  /** Receives the elements of a partition, one by one. */
  interface Sink {
    /**
     * Takes one element.
     *
     * @param x the element
     * @throws Exception from a user function further down
     */
    void accept(Object x) throws Exception;
  }

  /** Produces the elements of one partition from the task's input (or from nothing). */
  interface Source extends Serializable {
    /**
     * Pushes every element into {@code out}, in order.
     *
     * @param input the resolved task input: a partition (an {@link Iterable}) or null
     * @param out where the elements go
     * @throws Exception from reading or from a user function further down
     */
    void emit(Object input, Sink out) throws Exception;
  }

  /** The source of a computed partition: its elements, in order. */
  record Elements() implements Source {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(Object input, Sink out) throws Exception {
      if (input instanceof List<?> l) {
        // index loop: no iterator for the common case of an ArrayList
        for (int i = 0, n = l.size(); i < n; i++) {
          out.accept(l.get(i));
        }
        return;
      }
      if (!(input instanceof Iterable<?> it)) {
        throw new IllegalStateException("a bag partition must be a List or Iterable, got "
            + (input == null ? "null" : input.getClass().getName()));
      }
      for (Object x : it) {
        out.accept(x);
      }
    }
  }

  /** The integers {@code from} (inclusive) to {@code to} (exclusive), as Longs. */
  record Range(long from, long to) implements Source {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(Object input, Sink out) throws Exception {
      for (long i = from; i < to; i++) {
        out.accept(i);
      }
    }
  }

  /** The kind of an element operation. */
  enum Kind { MAP, FILTER, FLAT_MAP }

  /** One element operation; {@code what} names it in error messages. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  record Step(Kind kind, Fn1 fn, String what) implements Serializable {
    private static final long serialVersionUID = 1L;

    Sink wrap(Sink next) {
      switch (kind) {
        case MAP:
          return x -> next.accept(call(x));
        case FILTER:
          return x -> {
            Object keep = call(x);
            if (!(keep instanceof Boolean)) {
              throw new StepFailure(what, new IllegalArgumentException(
                  "the predicate returned " + keep + ", not a Boolean"));
            }
            if ((Boolean) keep) {
              next.accept(x);
            }
          };
        default:
          return x -> {
            Object ys = call(x);
            if (ys instanceof Iterable<?> it) {
              for (Object y : it) {
                next.accept(y);
              }
            } else if (ys instanceof Object[] arr) {
              for (Object y : arr) {
                next.accept(y);
              }
            } else {
              throw new StepFailure(what, new IllegalArgumentException("expected an Iterable"
                  + " or an array, got " + (ys == null ? "null" : ys.getClass().getName())));
            }
          };
      }
    }

    private Object call(Object x) throws StepFailure {
      try {
        return fn.apply(x);
      } catch (StepFailure e) {
        throw e;
      } catch (Exception e) {
        throw new StepFailure(what, e);
      }
    }
  }

  /** A user function failed; carries which one, until the loop adds the element index. */
  static final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String what;

    StepFailure(String what, Throwable cause) {
      super(what, cause, false, false);
      this.what = what;
    }
  }

  /** Returns {@code terminal} behind every step, first step outermost. */
  static Sink chain(List<Step> steps, Sink terminal) {
    Sink s = terminal;
    for (int i = steps.size() - 1; i >= 0; i--) {
      s = steps.get(i).wrap(s);
    }
    return s;
  }

  /**
   * Runs one partition: the source's elements through the steps into {@code terminal}. A user
   * function that throws becomes a {@link BagElementException} naming the bag, the partition
   * and the index of the source element being processed.
   */
  static void run(Source source, Object input, List<Step> steps, Sink terminal, String bag,
      int partition) throws Exception {
    Sink chain = chain(steps, terminal);
    long[] index = {-1};
    try {
      source.emit(input, x -> {
        index[0]++;
        chain.accept(x);
      });
    } catch (StepFailure e) {
      throw new BagElementException(bag, partition, index[0], e.what, e.getCause());
    }
  }
}
