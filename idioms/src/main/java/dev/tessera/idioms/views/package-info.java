/**
 * ipyparallel's engine views in Java: {@link dev.tessera.idioms.views.Client} (the entry
 * point), {@link dev.tessera.idioms.views.DirectView} (push, pull, scatter, gather, apply, map,
 * parallel, remote on chosen engines), {@link dev.tessera.idioms.views.EngineView} (one
 * engine), {@link dev.tessera.idioms.views.LoadBalancedView} (tasks to whichever engine is
 * free, with after/follow dependencies, retries and timeouts) and
 * {@link dev.tessera.idioms.views.AsyncResult}. They run on the engines of a scheduler
 * ({@link dev.tessera.graph.spi.Engines}): threads or worker JVMs. Where ipyparallel raises
 * {@code TimeoutError} ({@code ar.get(timeout)}, a task's {@code timeout} flag), the views
 * throw the idioms' one timeout exception, the unchecked
 * {@link dev.tessera.idioms.ResultTimeoutException}, naming the calls and the timeout.
 */
package dev.tessera.idioms.views;
