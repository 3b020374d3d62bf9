package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.SchedulerProvider;

/** Makes {@link Schedulers#shared()} the default scheduler; found by the service loader. */
public final class DefaultSchedulerProvider implements SchedulerProvider {
  /** Creates the provider; the service loader calls this. */
  public DefaultSchedulerProvider() {}

  @Override
  public Scheduler defaultScheduler() {
    return Schedulers.shared();
  }

  @Override
  public String name() {
    return "threads";
  }

  /** Returns 0: the default unless a provider asks for more. */
  @Override
  public int priority() {
    return 0;
  }
}
