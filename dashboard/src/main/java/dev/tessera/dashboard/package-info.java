/**
 * A live dashboard in the browser: {@link dev.tessera.dashboard.Dashboard}.
 *
 * <p>How it is built. One adapter ({@code Feed}) is the module's only user of the scheduler
 * callbacks: registered for every computation in the JVM, it turns each task's start and end
 * into a small record in a ring owned by the reporting thread ({@code Rings}: one writer per
 * ring, bounded, never locked) and keeps the last few computations' plans ({@code Runs}).
 * While a page is open, its event stream drains the rings into {@code State}, which keeps the
 * last 20,000 ended tasks, the running ones, per-layer progress ({@code Progress}) and a
 * sample of the JVMs that run tasks ({@code WorkerProbe}), and sends them as JSON through
 * server-sent events ({@code Server}, on the JDK's {@code com.sun.net.httpserver}). The pages
 * are one small script of ours drawing SVG and canvas; the graph is the diagnostics module's
 * layer view ({@code GraphView}) and the profile its HTML report.
 */
package dev.tessera.dashboard;
