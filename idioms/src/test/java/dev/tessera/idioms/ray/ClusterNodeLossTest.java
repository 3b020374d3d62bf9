package dev.tessera.idioms.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.cluster.Cluster;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.idioms.mpi.Mpi;
import dev.tessera.idioms.mpi.MpiException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Worker nodes killed under an actor and under an MPI rank (a cluster of its own: the kills must
 * not disturb the shared one): clear errors, nothing hangs, and the replacement node serves the
 * next actor and group.
 */
class ClusterNodeLossTest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.local(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void anActorWhoseNodeIsKilledFailsItsPendingAndLaterCalls() throws Exception {
    try (Ray ray = Ray.init(cluster)) {
      ActorHandle<Counter> c = ray.actor(Counter::new).remote();
      long pid = c.task(Counter::pid).remote().get();
      assertNotEquals(ProcessHandle.current().pid(), pid);
      assertTrue(cluster.localWorkerPids().contains(pid));
      ObjectRef<Integer> pending = c.task(Counter::sleep, 60_000).remote();
      ObjectRef<Integer> queued = c.task(Counter::increment).remote();
      Thread.sleep(200); // let the sleep start
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      ActorDiedException e = assertThrows(ActorDiedException.class, pending::get);
      assertTrue(e.getMessage().contains("died with its worker"), e.getMessage());
      assertTrue(e.getMessage().contains("engine-") && e.getMessage().contains("pid " + pid),
          e.getMessage());
      assertThrows(ActorDiedException.class, queued::get);
      assertThrows(ActorDiedException.class, () -> c.task(Counter::read).remote().get());
      assertTrue(c.isDead());
      ActorHandle<Counter> fresh = ray.actor(Counter::new).remote();
      assertEquals(1, (int) fresh.task(Counter::increment).remote().get());
    }
  }

  @Test
  void aRankWhoseNodeIsKilledFailsTheGroupNamingItAndTheOthersAreWoken() {
    MpiException x = assertThrows(MpiException.class, () -> Mpi.run(cluster, 2, comm -> {
      if (comm.rank() == 1) {
        Runtime.getRuntime().halt(9);
      }
      return comm.<Integer>recv(1, 0);
    }));
    assertEquals(1, x.rank());
    assertTrue(x.getMessage().contains("rank 1 of 2") && x.getMessage().contains("died"),
        x.getMessage());
    assertInstanceOf(EngineDiedException.class, x.getCause());
    // engine 1 moves to the node that replaces the dead one
    assertEquals(List.of(0, 1), Mpi.run(cluster, 2, comm -> comm.rank()));
  }
}
