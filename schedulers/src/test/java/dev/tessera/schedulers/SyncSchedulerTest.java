package dev.tessera.schedulers;

import dev.tessera.graph.Scheduler;

class SyncSchedulerTest extends SchedulerContractTest {
  @Override
  protected Scheduler scheduler() {
    return Schedulers.sync();
  }

  @Override
  protected int parallelism() {
    return 1;
  }
}
