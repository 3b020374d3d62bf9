package dev.tessera.idioms.ray;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ray's actors on two worker JVMs, plus a worker that dies under its actor. */
class ProcessesRayActorsTest extends RayActorsContractTest {
  private static Ray ray;

  @BeforeAll
  static void start() {
    ray = Ray.processes(2);
  }

  @AfterAll
  static void stop() {
    ray.close();
  }

  @Override
  protected Ray ray() {
    return ray;
  }

  @Test
  void anActorLivesInAWorkerJvm() {
    ActorHandle<Counter> c = ray.actor(Counter::new).remote();
    assertNotEquals(ProcessHandle.current().pid(), c.task(Counter::pid).remote().get());
    c.kill();
  }

  @Test
  void anActorWhoseWorkerDiesFailsItsPendingAndLaterCalls() throws Exception {
    // a pool of its own: the death must not disturb the shared one
    try (ProcessScheduler pool = Schedulers.processes(1); Ray own = Ray.init(pool)) {
      ActorHandle<Counter> c = own.actor(Counter::new).remote();
      long pid = c.task(Counter::pid).remote().get();
      ObjectRef<Integer> pending = c.task(Counter::sleep, 60_000).remote();
      ObjectRef<Integer> queued = c.task(Counter::increment).remote();
      Thread.sleep(200); // let the sleep start
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      ActorDiedException e = assertThrows(ActorDiedException.class, pending::get);
      assertTrue(e.getMessage().contains("died with its worker"), e.getMessage());
      assertTrue(e.getMessage().contains("engine-"), e.getMessage());
      assertThrows(ActorDiedException.class, queued::get);
      assertThrows(ActorDiedException.class, () -> c.task(Counter::read).remote().get());
      assertTrue(c.isDead());
      // the pool replaced its worker: a new actor works
      ActorHandle<Counter> fresh = own.actor(Counter::new).remote();
      assertTrue(fresh.task(Counter::increment).remote().get() == 1);
    }
  }
}
