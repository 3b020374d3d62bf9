package dev.tessera.diagnostics;

/**
 * What {@link Diagnostics#visualize} draws: the records of a {@link Profiler},
 * {@link ResourceProfiler} or {@link CacheProfiler}.
 *
 * <p>Every profile keeps {@link System#nanoTime()} timestamps, so several profiles recorded
 * around the same computations share one time axis.
 */
public sealed interface Profile permits Profiler, ResourceProfiler, CacheProfiler {
  /** {@return whether nothing was recorded yet (the profiler never saw a computation)} */
  boolean isEmpty();

  /** {@return the earliest timestamp recorded, in {@link System#nanoTime()} nanoseconds} */
  long firstNanos();
}
