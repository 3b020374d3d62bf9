package dev.tessera.diagnostics;

import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Records every task that runs: its key, prefix, worker, and start and end times, like Dask's
 * {@code Profiler}.
 *
 * <pre>{@code
 * try (Profiler prof = Profiler.start()) {       // computations started on this thread
 *   x.compute();
 * }
 * Table t = prof.table();                         // key, prefix, worker, start_s, end_s, ...
 * }</pre>
 *
 * <p>A profiler is a {@link SchedulerCallback}, so it can also be passed to one call
 * ({@code Tessera.compute(list, scheduler, prof)}) or registered with
 * {@link Tessera#addCallback}. It keeps recording across computations until closed; closing
 * only unregisters it, the records stay. Thread-safe.
 */
public final class Profiler implements SchedulerCallback, Profile, AutoCloseable {
  /**
   * One task that ran.
   *
   * @param key the task's key
   * @param prefix the key's prefix, such as {@code inc}: what the report colours by
   * @param worker the thread (or process) that ran it
   * @param startNanos {@link System#nanoTime()} when it started
   * @param endNanos {@link System#nanoTime()} when it ended
   * @param failed whether it threw
   */
  public record TaskRecord(Key key, String prefix, String worker, long startNanos,
      long endNanos, boolean failed) {
    /** {@return how long the task ran, in seconds} */
    public double seconds() {
      return (endNanos - startNanos) / 1e9;
    }
  }

  // Lock-free appends: posttask is called from every worker at once and must stay cheap.
  private final ConcurrentLinkedQueue<TaskRecord> records = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> runStarts = new ConcurrentLinkedQueue<>();
  private volatile Tessera.Scope registration;

  /** Returns a profiler that is not registered anywhere yet. */
  public Profiler() {}

  /**
   * Returns a profiler registered for the computations started on this thread until closed.
   *
   * @return the profiler, for try-with-resources
   */
  public static Profiler start() {
    Profiler p = new Profiler();
    p.registration = Registration.register(p, false);
    return p;
  }

  /**
   * Returns a profiler registered for every computation in this JVM until closed.
   *
   * @return the profiler, for try-with-resources
   */
  public static Profiler startGlobal() {
    Profiler p = new Profiler();
    p.registration = Registration.register(p, true);
    return p;
  }

  @Override
  public void start(RunInfo run) {
    runStarts.add(run.startNanos());
  }

  @Override
  public void posttask(RunInfo run, TaskEvent event) {
    Key k = event.key();
    records.add(new TaskRecord(k, k.prefix(), event.worker(), event.startNanos(),
        event.endNanos(), event.failed()));
  }

  /** Stops recording (unregisters); the records stay readable. Closing twice does nothing. */
  @Override
  public void close() {
    Tessera.Scope r = registration;
    if (r != null) {
      r.close();
    }
  }

  /** {@return the tasks recorded so far, by start time; a snapshot} */
  public List<TaskRecord> results() {
    List<TaskRecord> out = new ArrayList<>(records);
    out.sort(Comparator.comparingLong(TaskRecord::startNanos));
    return out;
  }

  /**
   * Returns the tasks recorded so far as a table with the columns {@code key},
   * {@code prefix}, {@code worker}, {@code start_s}, {@code end_s}, {@code duration_s} (seconds
   * since the first recorded computation started) and {@code failed}; a snapshot.
   *
   * @return the table, one row per task, by start time
   */
  public Table table() {
    List<TaskRecord> rs = results();
    long origin = firstNanos();
    StringColumn key = StringColumn.create("key");
    StringColumn prefix = StringColumn.create("prefix");
    StringColumn worker = StringColumn.create("worker");
    DoubleColumn start = DoubleColumn.create("start_s");
    DoubleColumn end = DoubleColumn.create("end_s");
    DoubleColumn duration = DoubleColumn.create("duration_s");
    BooleanColumn failed = BooleanColumn.create("failed");
    for (TaskRecord r : rs) {
      key.append(r.key().toString());
      prefix.append(r.prefix());
      worker.append(r.worker());
      start.append((r.startNanos() - origin) / 1e9);
      end.append((r.endNanos() - origin) / 1e9);
      duration.append(r.seconds());
      failed.append(r.failed());
    }
    return Table.create("tasks", key, prefix, worker, start, end, duration, failed);
  }

  @Override
  public boolean isEmpty() {
    return records.isEmpty();
  }

  /** Returns the start of the first computation seen, or of the first task if earlier. */
  @Override
  public long firstNanos() {
    long first = Long.MAX_VALUE;
    for (long s : runStarts) {
      first = Math.min(first, s);
    }
    for (TaskRecord r : records) {
      first = Math.min(first, r.startNanos());
    }
    return first == Long.MAX_VALUE ? 0 : first;
  }

  @Override
  public String toString() {
    return "Profiler(" + records.size() + " tasks)";
  }
}
