package dev.tessera.idioms.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
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

  /** Marks that it holds the handle, then waits on the actor; says how that ended. */
  static String waitOnTheActor(ActorHandle<Counter> c, String marker) throws Exception {
    java.nio.file.Files.writeString(java.nio.file.Path.of(marker),
        Long.toString(ProcessHandle.current().pid()));
    try {
      c.task(Counter::sleep, 60_000).remote().get();
      return "not died";
    } catch (ActorDiedException e) {
      return "died: " + e.getMessage();
    }
  }

  @Test
  void aTaskOnAWorkerJvmReachesTheActorAndLearnsOfItsDeath() throws Exception {
    try (ProcessScheduler pool = Schedulers.processes(2); Ray own = Ray.init(pool)) {
      ActorHandle<Counter> c = own.actor(Counter::new).remote();
      long actorPid = c.task(Counter::pid).remote().get();
      // the task runs in a worker JVM and its calls reach the actor there
      List<Object> r = own.task(RayActorsContractTest::appendThrough, c).remote().get();
      assertEquals(List.of(10, 11), r.get(0));
      assertTrue(pool.workerPids().contains((Long) r.get(2)), r.toString());

      java.nio.file.Path marker = java.nio.file.Files.createTempFile("tessera-ray-task", "");
      java.nio.file.Files.delete(marker);
      ObjectRef<String> waiting = own.task(ProcessesRayActorsTest::waitOnTheActor, c,
          marker.toString()).remote();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!java.nio.file.Files.exists(marker) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      ProcessHandle.of(actorPid).ifPresent(ProcessHandle::destroyForcibly);
      // whether the task shared the actor's worker (and ran again elsewhere) or not, its call
      // fails with a clear ActorDiedException, and nothing hangs
      String how = waiting.get(java.time.Duration.ofSeconds(90));
      assertTrue(how.startsWith("died: actor Counter on engine-"), how);
      assertTrue(how.contains("died with its worker") || how.contains("is gone"), how);
      java.nio.file.Files.deleteIfExists(marker);
    }
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
