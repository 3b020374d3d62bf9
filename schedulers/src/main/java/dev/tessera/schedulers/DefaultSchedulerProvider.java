package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.SchedulerProvider;

/** Makes {@link Schedulers#shared()} the default scheduler; found by the service loader. */
public final class DefaultSchedulerProvider implements SchedulerProvider {
  /** Creates the provider; the service loader calls this. */
  public DefaultSchedulerProvider() {}

  @Override
  public Scheduler defaultScheduler() {
    return Schedulers.shared();
  }
}
