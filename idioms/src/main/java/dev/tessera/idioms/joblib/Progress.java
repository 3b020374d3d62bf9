package dev.tessera.idioms.joblib;

import java.io.PrintStream;
import java.util.Locale;

/**
 * joblib's {@code verbose} progress lines, in its format: a line naming the backend, then
 * {@code [Parallel(n_jobs=2)]: Done   4 out of  10 | elapsed:    0.1s remaining:    0.2s}
 * about {@code verbose} times over the run (every call from {@code verbose >= calls}), and a
 * last {@code ... finished} line. Used by the calling thread only.
 */
final class Progress {
  private final String who;
  private final int verbose;
  private final PrintStream out;
  private final int total;
  private final int width;
  private final long t0;

  Progress(String who, int verbose, PrintStream out, int total, long t0) {
    this.who = who;
    this.verbose = verbose;
    this.out = out;
    this.total = total;
    this.width = total > 0 ? (int) Math.floor(Math.log10(total)) + 1 : 3;
    this.t0 = t0;
  }

  void started(String backend, int workers) {
    if (verbose > 0) {
      print("Using backend " + backend + " with " + workers + " concurrent workers.");
    }
  }

  void done(int completed) {
    if (verbose <= 0) {
      return;
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    String counts = String.format(Locale.ROOT, "Done %" + width + "d out of %" + width + "d",
        completed, total);
    if (completed == total) {
      print(counts + " | elapsed: " + shortTime(elapsed) + " finished");
      return;
    }
    int frequency = total / verbose + 1;
    if (completed % frequency == 0) {
      double remaining = elapsed / completed * (total - completed);
      print(counts + " | elapsed: " + shortTime(elapsed) + " remaining: " + shortTime(remaining));
    }
  }

  private void print(String message) {
    out.println("[" + who + "]: " + message);
    out.flush();
  }

  /** joblib's {@code short_format_time}: seconds as {@code " %5.1fs"}, minutes past 60 s. */
  static String shortTime(double seconds) {
    return seconds > 60 ? String.format(Locale.ROOT, "%4.1fmin", seconds / 60)
        : String.format(Locale.ROOT, " %5.1fs", seconds);
  }
}
