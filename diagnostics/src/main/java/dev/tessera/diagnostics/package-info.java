/**
 * Diagnostics: see what a computation does while it runs and afterwards.
 *
 * <p>Everything here is built on the scheduler callbacks ({@link
 * dev.tessera.graph.spi.SchedulerCallback}), which every scheduler calls with immutable snapshots:
 * {@link dev.tessera.diagnostics.ProgressBar} counts finished tasks,
 * {@link dev.tessera.diagnostics.Profiler} records each task's key, worker and times,
 * {@link dev.tessera.diagnostics.CacheProfiler} the number (and size) of results the
 * scheduler holds. {@link dev.tessera.diagnostics.ResourceProfiler} is no callback: it
 * samples the process (CPU, resident memory incl. off-heap) on its own thread while open.
 * Each can be registered for one thread (try-with-resources), for the JVM, or for one call.
 *
 * <p>{@link dev.tessera.diagnostics.Diagnostics} is the entry point for pictures: a
 * collection's task graph (SVG, PNG or DOT, by graphviz-java; the system {@code dot} when on
 * the PATH, else Graphviz compiled to JavaScript on J2V8, unpacked under
 * {@code java.io.tmpdir}, never the home directory) and the profile report (a self-contained
 * HTML page whose small script draws SVG charts, or a PNG drawn with XChart). All timestamps
 * are {@link System#nanoTime()}, so profiles recorded together share one time axis.
 *
 * <p>Callbacks run on worker threads and must stay cheap: the progress bar increments one
 * counter per task and redraws from its own thread at most ten times a second; the profilers
 * append one record to a lock-free queue.
 */
package dev.tessera.diagnostics;
