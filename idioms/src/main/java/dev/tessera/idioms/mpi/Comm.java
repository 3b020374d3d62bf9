package dev.tessera.idioms.mpi;

import dev.tessera.graph.spi.EngineContext;
import dev.tessera.graph.spi.EngineMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One rank's view of its group, as mpi4py's {@code MPI.COMM_WORLD}: {@link #rank()},
 * {@link #size()}, point-to-point {@link #send}/{@link #recv} by rank and tag (messages from
 * one rank to another arrive in the order sent), and the collectives {@link #bcast},
 * {@link #scatter}, {@link #gather}, {@link #allgather}, {@link #reduce}, {@link #allreduce}
 * and {@link #barrier}, which every rank must call in the same order (as in MPI). Values are
 * copied between worker JVMs (through the codecs) and shared on threads: do not change a value
 * after sending it or after receiving it from a collective.
 *
 * <p>A receive waits until its message comes or the group fails: when a rank throws, the
 * others are woken with an error and the group's caller gets an {@link MpiException} naming
 * that rank. Valid only inside the {@link Spmd} function it was given to.
 */
public final class Comm {
  /** For {@link #recv}: a message from any rank. */
  public static final int ANY_SOURCE = -1;
  /** For {@link #recv}: a message with any tag. */
  public static final int ANY_TAG = -1;

  /** The engine-message tag of every MPI-layer message. */
  static final int WIRE_TAG = 0x4d5049;
  static final int USER = 0;
  static final int COLLECTIVE = 1;
  static final int ABORT = 2;

  private static final String STASH = "tessera.mpi.stash";
  private static final String FINISHED = "tessera.mpi.finished";
  private static final Duration POLL = Duration.ofMillis(200);

  private final EngineContext ctx;
  private final long group;
  private final int rank;
  private final int size;
  /** Messages of this group that arrived before they were asked for, in arrival order. */
  private final List<Msg> unexpected = new ArrayList<>();
  /** The sequence number of the next collective, the tag of its messages. */
  private int collectives;

  /** A message of the MPI layer: its sender's rank (-1 for the coordinator), kind and tag. */
  record Msg(int from, int kind, int tag, Object payload) {}

  Comm(EngineContext ctx, long group, int rank, int size) {
    this.ctx = ctx;
    this.group = group;
    this.rank = rank;
    this.size = size;
    List<Msg> early = stash().remove(group);
    if (early != null) {
      unexpected.addAll(early);
    }
  }

  /** {@return this rank, from 0 to {@code size() - 1} ({@code comm.Get_rank()})} */
  public int rank() {
    return rank;
  }

  /** {@return how many ranks the group has ({@code comm.Get_size()})} */
  public int size() {
    return size;
  }

  /**
   * Sends a value to another rank and returns at once ({@code comm.send(obj, dest, tag)}).
   *
   * @param value the value (may be null)
   * @param dest the receiving rank
   * @param tag any number from 0, for the receiver to tell messages apart
   */
  public void send(Object value, int dest, int tag) {
    checkRank(dest, "dest");
    if (tag < 0) {
      throw new IllegalArgumentException("tag must be 0 or more, got " + tag);
    }
    wire(dest, USER, tag, value);
  }

  /**
   * Waits for a message from {@code source} with {@code tag} ({@code comm.recv(source=...,
   * tag=...)}); messages that arrive meanwhile for other receives are kept for them.
   *
   * @param source the sending rank, or {@link #ANY_SOURCE}
   * @param tag the tag, or {@link #ANY_TAG}
   * @param <T> the value's type
   * @return the value
   * @throws IllegalStateException if the group failed meanwhile (another rank threw)
   */
  @SuppressWarnings("unchecked")
  public <T> T recv(int source, int tag) {
    if (source != ANY_SOURCE) {
      checkRank(source, "source");
    }
    return (T) take(source, USER, tag);
  }

  /**
   * Gives every rank the root's value ({@code comm.bcast(obj, root)}), along a binomial tree.
   *
   * @param value the value at the root; ignored elsewhere (may be null)
   * @param root the rank whose value it is
   * @param <T> the value's type
   * @return the root's value, on every rank
   */
  @SuppressWarnings("unchecked")
  public <T> T bcast(T value, int root) {
    checkRank(root, "root");
    return (T) bcast(value, root, collectives++);
  }

  private Object bcast(Object value, int root, int seq) {
    int v = (rank - root + size) % size; // the rank relative to the root
    int mask = 1;
    while (mask < size) {
      if ((v & mask) != 0) {
        value = take((v - mask + root) % size, COLLECTIVE, seq);
        break;
      }
      mask <<= 1;
    }
    mask >>= 1;
    while (mask > 0) {
      if (v + mask < size) {
        wire((v + mask + root) % size, COLLECTIVE, seq, value);
      }
      mask >>= 1;
    }
    return value;
  }

  /**
   * Gives rank {@code i} the root's {@code values.get(i)} ({@code comm.scatter(sendobj,
   * root)}).
   *
   * @param values one value per rank at the root (nulls allowed inside); ignored elsewhere
   * @param root the rank that holds the values
   * @param <T> the values' type
   * @return this rank's value
   * @throws IllegalArgumentException at the root, if there is not one value per rank
   */
  @SuppressWarnings("unchecked")
  public <T> T scatter(List<T> values, int root) {
    checkRank(root, "root");
    int seq = collectives++;
    if (rank != root) {
      return (T) take(root, COLLECTIVE, seq);
    }
    Objects.requireNonNull(values, "values (at the root)");
    if (values.size() != size) {
      throw new IllegalArgumentException("scatter at root " + root + " needs one value per"
          + " rank: got " + values.size() + " values for " + size + " ranks");
    }
    for (int r = 0; r < size; r++) {
      if (r != root) {
        wire(r, COLLECTIVE, seq, values.get(r));
      }
    }
    return values.get(root);
  }

  /**
   * Collects every rank's value at the root, in rank order ({@code comm.gather(sendobj,
   * root)}).
   *
   * @param value this rank's value (may be null)
   * @param root the rank that collects
   * @param <T> the values' type
   * @return at the root, the values of ranks 0 to {@code size - 1}; elsewhere null
   */
  @SuppressWarnings("unchecked")
  public <T> List<T> gather(T value, int root) {
    checkRank(root, "root");
    return (List<T>) gather(value, root, collectives++);
  }

  private List<Object> gather(Object value, int root, int seq) {
    if (rank != root) {
      wire(root, COLLECTIVE, seq, value);
      return null;
    }
    List<Object> out = new ArrayList<>(size);
    for (int r = 0; r < size; r++) {
      out.add(r == root ? value : take(r, COLLECTIVE, seq));
    }
    return out;
  }

  /**
   * Collects every rank's value on every rank, in rank order ({@code comm.allgather}).
   *
   * @param value this rank's value
   * @param <T> the values' type
   * @return the values of ranks 0 to {@code size - 1}
   */
  @SuppressWarnings("unchecked")
  public <T> List<T> allgather(T value) {
    int seq = collectives++;
    List<Object> all = gather(value, 0, seq);
    return (List<T>) bcast(all, 0, collectives++);
  }

  /**
   * Combines every rank's value with {@code op} in rank order, at the root
   * ({@code comm.reduce(sendobj, op, root)}), along a binomial tree.
   *
   * @param value this rank's value
   * @param op an associative operator
   * @param root the rank that gets the result
   * @param <T> the values' type
   * @return at the root, {@code op(...op(op(v0, v1), v2)..., v(size-1))}; elsewhere null
   */
  public <T> T reduce(T value, Op<T> op, int root) {
    Objects.requireNonNull(op, "op");
    checkRank(root, "root");
    int seq = collectives++;
    T total = reduceToZero(value, op, seq);
    if (root == 0) {
      return rank == 0 ? total : null;
    }
    if (rank == 0) {
      wire(root, COLLECTIVE, seq, total);
      return null;
    }
    @SuppressWarnings("unchecked")
    T atRoot = rank == root ? (T) take(0, COLLECTIVE, seq) : null;
    return atRoot;
  }

  /**
   * Combines every rank's value with {@code op} in rank order and gives every rank the
   * result ({@code comm.allreduce(sendobj, op)}).
   *
   * @param value this rank's value
   * @param op an associative operator
   * @param <T> the values' type
   * @return the combination of all ranks' values, on every rank
   */
  @SuppressWarnings("unchecked")
  public <T> T allreduce(T value, Op<T> op) {
    Objects.requireNonNull(op, "op");
    int seq = collectives++;
    T total = reduceToZero(value, op, seq);
    return (T) bcast(total, 0, collectives++);
  }

  /**
   * Rank 0 gets {@code op} over all values in rank order: each rank combines the block of
   * ranks above it that the binomial tree gives it, lower ranks' values on the left.
   */
  @SuppressWarnings("unchecked")
  private <T> T reduceToZero(T value, Op<T> op, int seq) {
    T acc = value;
    int mask = 1;
    while (mask < size) {
      if ((rank & mask) == 0) {
        int from = rank | mask;
        if (from < size) {
          acc = op.apply(acc, (T) take(from, COLLECTIVE, seq));
        }
      } else {
        wire(rank & ~mask, COLLECTIVE, seq, acc);
        return null;
      }
      mask <<= 1;
    }
    return acc;
  }

  /** Waits until every rank has called it ({@code comm.barrier()}). */
  public void barrier() {
    int seq = collectives++;
    gather(null, 0, seq);
    bcast(null, 0, collectives++);
  }

  private void checkRank(int r, String what) {
    if (r < 0 || r >= size) {
      throw new IllegalArgumentException(what + " must be a rank from 0 to " + (size - 1)
          + ", got " + r);
    }
  }

  private void wire(int dest, int kind, int tag, Object value) {
    if (dest == rank) {
      unexpected.add(new Msg(rank, kind, tag, value));
      return;
    }
    ctx.send(dest, WIRE_TAG, Arrays.asList(group, kind, tag, value));
  }

  /** Waits for the first message that matches, keeping the others for later. */
  private Object take(int source, int kind, int tag) {
    while (true) {
      for (Iterator<Msg> it = unexpected.iterator(); it.hasNext();) {
        Msg m = it.next();
        if (m.kind() == ABORT) {
          throw new Aborted("rank " + rank + " stopped waiting: " + m.payload());
        }
        if (m.kind() == kind && (source == ANY_SOURCE || m.from() == source)
            && (tag == ANY_TAG || m.tag() == tag)) {
          it.remove();
          return m.payload();
        }
      }
      EngineMessage next;
      try {
        next = ctx.receive(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Aborted("rank " + rank + " was interrupted while waiting (the scheduler is"
            + " closing)");
      }
      if (next != null) {
        file(next);
      }
    }
  }

  /** Files one message from the inbox: ours, another group's (kept for it), or stale. */
  @SuppressWarnings("unchecked")
  private void file(EngineMessage next) {
    if (next.tag() != WIRE_TAG || !(next.value() instanceof List<?> wireList)
        || wireList.size() != 4) {
      return; // not an MPI-layer message: nobody here is waiting for it
    }
    List<Object> w = (List<Object>) wireList;
    long g = ((Number) w.get(0)).longValue();
    int kind = ((Number) w.get(1)).intValue();
    Msg m = new Msg(kind == ABORT ? -1 : next.from(), kind, ((Number) w.get(2)).intValue(),
        w.get(3));
    if (g == group) {
      unexpected.add(m);
    } else if (!finished().contains(g)) {
      stash().computeIfAbsent(g, k -> new ArrayList<>()).add(m);
    }
  }

  /** Marks this group finished on this engine: its late messages are dropped from now on. */
  void finish() {
    stash().remove(group);
    LinkedHashSet<Long> done = finished();
    done.add(group);
    if (done.size() > 256) {
      Iterator<Long> it = done.iterator();
      it.next();
      it.remove();
    }
  }

  @SuppressWarnings("unchecked")
  private Map<Long, List<Msg>> stash() {
    return (Map<Long, List<Msg>>) ctx.namespace().computeIfAbsent(STASH,
        k -> new ConcurrentHashMap<Long, List<Msg>>());
  }

  @SuppressWarnings("unchecked")
  private LinkedHashSet<Long> finished() {
    return (LinkedHashSet<Long>) ctx.namespace().computeIfAbsent(FINISHED,
        k -> new LinkedHashSet<Long>());
  }

  @Override
  public String toString() {
    return "Comm(rank " + rank + " of " + size + ")";
  }
}
