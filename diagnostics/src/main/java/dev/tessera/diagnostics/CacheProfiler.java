package dev.tessera.diagnostics;

import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.ToLongFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Records how many results the scheduler holds over time and, given a size function, how many
 * bytes they take, like Dask's {@code CacheProfiler}.
 *
 * <pre>{@code
 * try (CacheProfiler cache = CacheProfiler.start(r -> ((double[]) r).length * 8L)) {
 *   x.compute();
 * }
 * cache.results();   // one sample after each task, and one at the end of each computation
 * }</pre>
 *
 * <p>The count comes from the scheduler ({@link TaskEvent#resultsHeld()}), and so do sizes
 * ({@link TaskEvent#resultBytes()}: a local scheduler asks this profiler's size function, a
 * remote one measures in the worker). Bytes held are tracked here: a result's size is added when its task ends and subtracted when the last task that
 * needs it ends, the rule by which the local schedulers release results. At the end of each
 * computation a sample of zero marks that the outputs were handed back. Thread-safe.
 */
public final class CacheProfiler implements SchedulerCallback, Profile, AutoCloseable {
  /**
   * The scheduler's cache just after one task ended.
   *
   * @param timeNanos {@link System#nanoTime()} of the sample
   * @param key the task that just ended, or {@code null} for the end of a computation
   * @param resultsHeld how many results the scheduler held
   * @param bytesHeld their total size by the size function, or -1 without one
   */
  public record CacheSample(long timeNanos, Key key, int resultsHeld, long bytesHeld) {}

  private final ToLongFunction<Object> size;
  private final ConcurrentLinkedQueue<CacheSample> samples = new ConcurrentLinkedQueue<>();
  private final Map<Long, Bytes> runs = new ConcurrentHashMap<>();
  private volatile Tessera.Scope registration;

  /** Returns a profiler of result counts, not registered anywhere yet. */
  public CacheProfiler() {
    this.size = null;
  }

  /**
   * Returns a profiler of result counts and sizes, not registered anywhere yet.
   *
   * @param size the size of one result in bytes; called on worker threads, keep it cheap
   */
  public CacheProfiler(ToLongFunction<Object> size) {
    this.size = Objects.requireNonNull(size, "size");
  }

  /**
   * Returns a profiler of result counts registered on this thread until closed.
   *
   * @return the profiler, for try-with-resources
   */
  public static CacheProfiler start() {
    CacheProfiler p = new CacheProfiler();
    p.registration = Registration.register(p, false);
    return p;
  }

  /**
   * Returns a profiler of result counts and sizes registered on this thread until closed.
   *
   * @param size the size of one result in bytes
   * @return the profiler, for try-with-resources
   */
  public static CacheProfiler start(ToLongFunction<Object> size) {
    CacheProfiler p = new CacheProfiler(size);
    p.registration = Registration.register(p, false);
    return p;
  }

  /**
   * Returns a profiler of result counts and sizes (size may be null) registered for every
   * computation in this JVM until closed.
   *
   * @param size the size of one result in bytes, or {@code null} to count only
   * @return the profiler, for try-with-resources
   */
  public static CacheProfiler startGlobal(ToLongFunction<Object> size) {
    CacheProfiler p = size == null ? new CacheProfiler() : new CacheProfiler(size);
    p.registration = Registration.register(p, true);
    return p;
  }

  /** {@return whether this profiler measures bytes (it was given a size function)} */
  public boolean measuresBytes() {
    return size != null;
  }

  @Override
  public void start(RunInfo run) {
    if (size != null) {
      runs.put(run.id(), new Bytes(run.plan()));
    }
    samples.add(new CacheSample(run.startNanos(), null, 0, size == null ? -1 : 0));
  }

  @Override
  public void posttask(RunInfo run, TaskEvent event) {
    long bytes = -1;
    if (size != null) {
      Bytes b = runs.get(run.id());
      bytes = b == null ? -1 : b.ended(event);
    }
    samples.add(new CacheSample(event.endNanos(), event.key(), event.resultsHeld(), bytes));
  }

  /** Measures a result held in this JVM with the size function; -1 without one. */
  @Override
  public long sizeOf(Object result) {
    return size == null || result == null ? -1 : Math.max(0, size.applyAsLong(result));
  }

  @Override
  public void finish(RunInfo run, RunOutcome outcome) {
    runs.remove(run.id());
    samples.add(new CacheSample(outcome.endNanos(), null, 0, size == null ? -1 : 0));
  }

  /** Stops recording (unregisters); the samples stay readable. */
  @Override
  public void close() {
    Tessera.Scope r = registration;
    if (r != null) {
      r.close();
    }
  }

  /** {@return the samples recorded so far, by time; a snapshot} */
  public List<CacheSample> results() {
    List<CacheSample> out = new ArrayList<>(samples);
    out.sort(Comparator.comparingLong(CacheSample::timeNanos));
    return out;
  }

  /**
   * Returns the samples as a table with the columns {@code time_s} (since the first sample),
   * {@code key}, {@code results_held} and {@code bytes_held}.
   *
   * @return the table, by time
   */
  public Table table() {
    long origin = firstNanos();
    DoubleColumn time = DoubleColumn.create("time_s");
    StringColumn key = StringColumn.create("key");
    IntColumn held = IntColumn.create("results_held");
    LongColumn bytes = LongColumn.create("bytes_held");
    for (CacheSample s : results()) {
      time.append((s.timeNanos() - origin) / 1e9);
      key.append(s.key() == null ? "" : s.key().toString());
      held.append(s.resultsHeld());
      bytes.append(s.bytesHeld());
    }
    return Table.create("cache", time, key, held, bytes);
  }

  @Override
  public boolean isEmpty() {
    return samples.isEmpty();
  }

  @Override
  public long firstNanos() {
    long first = Long.MAX_VALUE;
    for (CacheSample s : samples) {
      first = Math.min(first, s.timeNanos());
    }
    return first == Long.MAX_VALUE ? 0 : first;
  }

  @Override
  public String toString() {
    return "CacheProfiler(" + samples.size() + " samples)";
  }

  /**
   * The bytes held in one computation, following the engine's release rule. Events may
   * arrive out of order (a dependent's event before its dependency's), so each result
   * remembers whether it was already released.
   */
  private static final class Bytes {
    private final ExecutionPlan plan;
    private final Map<Key, Integer> index;
    // all guarded by this
    private final int[] holders;
    private final long[] sizes;
    private final byte[] state; // 0 pending, 1 held, 2 released
    private long total;

    Bytes(ExecutionPlan plan) {
      this.plan = plan;
      int n = plan.size();
      this.index = new HashMap<>(n * 2);
      this.holders = new int[n];
      this.sizes = new long[n];
      this.state = new byte[n];
      for (int i = 0; i < n; i++) {
        index.put(plan.key(i), i);
        holders[i] = plan.dependentCount(i);
      }
      for (int j = 0; j < plan.outputs().size(); j++) {
        holders[plan.outputIndex(j)]++;
      }
    }

    synchronized long ended(TaskEvent event) {
      Integer t = index.get(event.key());
      if (t == null) {
        return total;
      }
      // the scheduler measured the result where it is (see sizeOf): remote data stays remote
      if (event.resultBytes() >= 0 && state[t] == 0 && holders[t] > 0) {
        sizes[t] = event.resultBytes();
        total += sizes[t];
        state[t] = 1;
      }
      if (!event.failed()) {
        for (int j = 0, m = plan.dependencyCount(t); j < m; j++) {
          int d = plan.dependency(t, j);
          if (--holders[d] == 0) {
            if (state[d] == 1) {
              total -= sizes[d];
            }
            state[d] = 2;
          }
        }
      }
      return total;
    }
  }
}
