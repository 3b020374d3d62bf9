package dev.tessera.graph.spi;

import dev.tessera.graph.Scheduler;

/**
 * Supplies the default scheduler when none is set, found with {@link java.util.ServiceLoader}.
 * The {@code tessera-schedulers} module provides the threaded scheduler this way, so that the
 * graph module need not depend on it. When several providers are on the class path (a cluster
 * module next to the schedulers module), the one with the highest {@link #priority()} wins,
 * ties broken by {@link #name()}, so that the default never depends on class-path order.
 */
public interface SchedulerProvider {
  /** {@return the scheduler to use by default; called once, on the chosen provider only} */
  Scheduler defaultScheduler();

  /** {@return a short name for messages, such as {@code "threads"}} */
  String name();

  /**
   * {@return how strongly this provider wants to be the default: higher wins} The threaded
   * scheduler says 0; a provider that needs explicit configuration should say less than 0.
   */
  int priority();
}
