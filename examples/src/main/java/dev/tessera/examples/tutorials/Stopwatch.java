package dev.tessera.examples.tutorials;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How every tutorial example times and checks itself: the median of a few runs after one
 * warm-up, a line "serial vs parallel" with the speed-up, and a check against the serial answer
 * that stops the example when it fails (an example must never print a wrong answer quietly).
 */
final class Stopwatch {
  private Stopwatch() {}

  /** The median wall time in seconds of {@code runs} runs of {@code work}, after one warm-up. */
  static double median(int runs, Runnable work) {
    work.run();
    double[] s = new double[Math.max(1, runs)];
    for (int i = 0; i < s.length; i++) {
      long t0 = System.nanoTime();
      work.run();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Runs {@code work} once and returns its value, printing how long it took under {@code label}. */
  static <T> T timed(String label, Supplier<T> work) {
    long t0 = System.nanoTime();
    T value = work.get();
    System.out.printf(Locale.ROOT, "  %-28s %8.3f s%n", label, (System.nanoTime() - t0) / 1e9);
    return value;
  }

  /** Prints one line: the serial time, each parallel time and its speed-up over the serial. */
  static void report(String what, double serialSeconds, Object... namesAndSeconds) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %s: serial %.3f s",
        what, serialSeconds));
    for (int i = 0; i + 1 < namesAndSeconds.length; i += 2) {
      double s = ((Number) namesAndSeconds[i + 1]).doubleValue();
      line.append(String.format(Locale.ROOT, ", %s %.3f s (%.2fx)", namesAndSeconds[i], s,
          serialSeconds / s));
    }
    System.out.println(line);
  }

  /** Prints the check and throws when it failed, naming what differed. */
  static void check(String what, boolean ok, String detail) {
    System.out.println("  check " + what + ": " + (ok ? "ok" : "FAILED") + " (" + detail + ")");
    if (!ok) {
      throw new IllegalStateException("check failed: " + what + ": " + detail);
    }
  }
}
