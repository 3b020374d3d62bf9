package dev.tessera.diagnostics;

import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A console progress bar for computations: tasks done out of the total, percent, elapsed time
 * and an estimate of the time left, like Dask's {@code ProgressBar}.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.start()) {   // computations started on this thread
 *   x.compute();
 * }
 * // [########################################] 100% | 12/12 tasks | 0.4s
 * }</pre>
 *
 * <p>On a terminal (standard error is a terminal device) the line is redrawn in place at most
 * {@link #DEFAULT_INTERVAL 10 times a second} by a small thread that lives as long as the
 * computation. When the output is not a terminal (a log file, CI) nothing is drawn while
 * running and one final line is printed at the end. If a task failed, the final line shows how
 * far the computation got, which task failed and why:
 *
 * <pre>
 * [############################            ]  70% | 7/10 tasks, FAILED at ('div-…', 3): ArithmeticException: / by zero | 0.2s
 * </pre>
 *
 * <p>Per task the bar only increments a counter, so it does not slow the computation
 * measurably. Thread-safe; several computations at once each get their own line.
 */
public final class ProgressBar implements SchedulerCallback, AutoCloseable {
  /** How often the bar is redrawn on a terminal: 100 ms. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  private static final int WIDTH = 40;

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalMillis;
  /** One Run per computation under way, from start to finish, by the run's id. */
  private final Map<Long, Run> runs = new ConcurrentHashMap<>();
  private volatile Tessera.Scope registration;

  /**
   * Returns a bar, not registered anywhere yet, that draws on {@code out}.
   *
   * @param out where to draw
   * @param terminal whether {@code out} is a terminal (redrawn in place) or not (one line at
   *     the end)
   * @param interval the time between redraws on a terminal
   */
  public ProgressBar(PrintStream out, boolean terminal, Duration interval) {
    this.out = Objects.requireNonNull(out, "out");
    this.terminal = terminal;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the redraw interval must be positive, got "
          + interval);
    }
    this.intervalMillis = Math.max(1, interval.toMillis());
  }

  /** Returns a bar on standard error, redrawn in place when standard error is a terminal. */
  public ProgressBar() {
    this(System.err, stderrIsTerminal(), DEFAULT_INTERVAL);
  }

  /**
   * Whether standard error is a terminal: on Linux, whether file descriptor 2 is a terminal
   * device; elsewhere, whether the JVM has a console (stdin and stdout are terminals).
   */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Whether {@code device}, what {@code /proc/self/fd/N} links to, is a terminal. */
  static boolean isTerminalDevice(String device) {
    return device.startsWith("/dev/pts/") || device.matches("/dev/tty[0-9]*")
        || device.matches("/dev/ttyS?[0-9]+") || device.equals("/dev/console");
  }

  /**
   * Returns a bar on standard error registered for the computations started on this thread
   * until closed.
   *
   * @return the bar, for try-with-resources
   */
  public static ProgressBar start() {
    return new ProgressBar().register(false);
  }

  /**
   * Returns a bar on standard error registered for every computation in this JVM until
   * closed.
   *
   * @return the bar, for try-with-resources
   */
  public static ProgressBar startGlobal() {
    return new ProgressBar().register(true);
  }

  /**
   * Registers this bar for the computations started on this thread ({@code global} false)
   * or for every computation in this JVM, until {@link #close()}.
   *
   * @param global whether to register for every thread
   * @return this bar
   * @throws IllegalStateException if it is registered already
   */
  public synchronized ProgressBar register(boolean global) {
    if (registration != null) {
      throw new IllegalStateException("this progress bar is registered already; close it"
          + " first or make a new one");
    }
    registration = Registration.register(this, global);
    return this;
  }

  /** Unregisters the bar; closing twice does nothing. */
  @Override
  public void close() {
    Tessera.Scope r = registration;
    if (r != null) {
      r.close();
    }
  }

  @Override
  public void start(RunInfo run) {
    Run r = new Run(run.taskCount(), run.startNanos());
    runs.put(run.id(), r);
    if (terminal) {
      r.ticker = new Thread(() -> tick(r), "tessera-progress-" + run.id());
      r.ticker.setDaemon(true);
      r.ticker.start();
    }
  }

  @Override
  public void posttask(RunInfo run, TaskEvent event) {
    Run r = runs.get(run.id());
    if (r != null && !event.failed()) {
      r.done.incrementAndGet();
    }
  }

  @Override
  public void finish(RunInfo run, RunOutcome outcome) {
    Run r = runs.remove(run.id());
    if (r == null) {
      return;
    }
    if (r.ticker != null) {
      r.ticker.interrupt();
      boolean interrupted = false;
      while (r.ticker.isAlive()) {
        try {
          r.ticker.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    String line = finalLine(outcome, r.startNanos);
    if (terminal && line.length() < r.drawn) {
      line = line + " ".repeat(r.drawn - line.length()); // cover the longer line drawn last
    }
    synchronized (out) {
      out.print(terminal ? "\r" + line + "\n" : line + "\n");
      out.flush();
    }
  }

  private void tick(Run r) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        String line = line(r.done.get(), r.total, System.nanoTime() - r.startNanos, null);
        r.drawn = line.length();
        synchronized (out) {
          out.print("\r" + line);
          out.flush();
        }
        Thread.sleep(intervalMillis);
      }
    } catch (InterruptedException e) {
      // finish() stops the ticker and draws the last line
    }
  }

  static String finalLine(RunOutcome outcome, long startNanos) {
    String failure = null;
    Throwable f = outcome.failure();
    if (f instanceof TaskFailedException tf) {
      Throwable cause = tf.getCause() == null ? tf : tf.getCause();
      failure = "FAILED at " + tf.key() + ": " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    } else if (f != null) {
      failure = "STOPPED: " + f.getClass().getSimpleName();
    }
    return line(outcome.tasksCompleted(), outcome.taskCount(), outcome.endNanos() - startNanos,
        failure);
  }

  /**
   * Renders one line; {@code failure} non-null means the computation stopped there (the bar
   * shows how far it got); a successful end has {@code done == total}.
   */
  static String line(int done, int total, long elapsedNanos, String failure) {
    double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.floor(fraction * WIDTH);
    StringBuilder sb = new StringBuilder(WIDTH + 64).append('[');
    for (int i = 0; i < WIDTH; i++) {
      sb.append(i < filled ? '#' : ' ');
    }
    sb.append("] ").append(String.format("%3d%%", (int) Math.floor(fraction * 100)));
    sb.append(" | ").append(done).append('/').append(total).append(" tasks");
    if (failure != null) {
      sb.append(", ").append(failure);
    }
    sb.append(" | ").append(seconds(elapsedNanos));
    if (failure == null && done > 0 && done < total) {
      double left = elapsedNanos / 1e9 * (total - done) / done;
      sb.append(", ~").append(seconds((long) (left * 1e9))).append(" left");
    }
    return sb.toString();
  }

  private static String seconds(long nanos) {
    double s = nanos / 1e9;
    if (s < 60) {
      return String.format("%.1fs", s);
    }
    long whole = (long) s;
    return whole < 3600 ? String.format("%dm%02ds", whole / 60, whole % 60)
        : String.format("%dh%02dm%02ds", whole / 3600, whole / 60 % 60, whole % 60);
  }

  /** One computation's progress. */
  private static final class Run {
    final int total;
    final long startNanos;
    final AtomicInteger done = new AtomicInteger();
    Thread ticker;
    volatile int drawn;

    Run(int total, long startNanos) {
      this.total = total;
      this.startNanos = startNanos;
    }
  }
}
