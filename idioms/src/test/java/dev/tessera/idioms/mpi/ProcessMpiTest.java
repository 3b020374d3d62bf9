package dev.tessera.idioms.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collectives on three worker JVMs: every message crosses processes. */
class ProcessMpiTest extends MpiContractTest {
  private static ProcessScheduler processes;

  @BeforeAll
  static void start() {
    processes = Schedulers.processes(3);
  }

  @AfterAll
  static void stop() {
    processes.close();
  }

  @Override
  Scheduler scheduler() {
    return processes;
  }

  @Test
  void aRankWhoseWorkerDiesFailsTheGroupNamingItAndTheOthersAreWoken() {
    MpiException x = assertThrows(MpiException.class, () -> Mpi.run(processes, 3, comm -> {
      if (comm.rank() == 2) {
        Runtime.getRuntime().halt(9);
      }
      return comm.<Integer>recv(2, 0);
    }));
    assertEquals(2, x.rank());
    assertTrue(x.getMessage().contains("rank 2 of 3") && x.getMessage().contains("died"),
        x.getMessage());
    assertTrue(x.getCause() instanceof EngineDiedException, String.valueOf(x.getCause()));
    // engine 2 moves to the worker that replaces the dead one
    assertEquals(List.of(0, 1, 2), Mpi.run(processes, 3, comm -> comm.rank()));
  }

  @Test
  void aSenderWhoseWorkerDiesInTheMiddleOfItsSendsFailsTheReceiversRecvNamingIt() {
    // rank 1 streams 1 MB arrays to rank 0 over their direct link and dies while doing so;
    // rank 0 waits for more than will ever come: the group fails naming rank 1, nobody hangs
    // (the timeout is only a guard: a hang would end in a ResultTimeoutException instead)
    MpiException x = assertThrows(MpiException.class, () -> Mpi.run(processes, 2,
        Duration.ofSeconds(90), comm -> {
          if (comm.rank() == 1) {
            Thread killer = new Thread(() -> {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(9);
            });
            killer.start();
            for (int i = 0; ; i++) {
              comm.send(new double[1 << 17], 0, i);
            }
          }
          for (int i = 0; ; i++) {
            comm.<double[]>recv(1, i);
          }
        }));
    assertEquals(1, x.rank());
    assertTrue(x.getMessage().contains("rank 1 of 2") && x.getMessage().contains("died"),
        x.getMessage());
    assertTrue(x.getCause() instanceof EngineDiedException, String.valueOf(x.getCause()));
    // rank 1's replacement worker: rank 0 must not send down its link to the dead one
    assertEquals(List.of(0, 1), Mpi.run(processes, 2, Duration.ofSeconds(90),
        comm -> comm.allreduce(comm.rank(), Op.sumInt()) + comm.rank() - 1));
  }
}
