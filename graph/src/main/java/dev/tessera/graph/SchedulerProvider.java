package dev.tessera.graph;

/**
 * Supplies the default scheduler when none is set, found with {@link java.util.ServiceLoader}.
 * The {@code tessera-schedulers} module provides the threaded scheduler this way, so that the
 * graph module need not depend on it.
 */
public interface SchedulerProvider {
  /** {@return the scheduler to use by default; called once} */
  Scheduler defaultScheduler();
}
