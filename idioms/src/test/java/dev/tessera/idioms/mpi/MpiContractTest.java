package dev.tessera.idioms.mpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.ResultTimeoutException;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * mpi4py's documented semantics of a communicator, for every scheduler with engines:
 * subclasses give the scheduler (one per class, at least 3 engines).
 */
abstract class MpiContractTest {
  abstract Scheduler scheduler();

  int n() {
    return scheduler().engines().orElseThrow().count();
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void everyRankRunsTheProgramWithItsRankAndTheSize() {
    int n = n();
    assertEquals(range(n), Mpi.run(scheduler(), n, comm -> comm.rank()));
    assertEquals(List.of(2, 2), Mpi.run(scheduler(), 2, comm -> comm.size()));
    assertEquals(List.of("only"), Mpi.run(scheduler(), 1, comm -> "only"));
  }

  @Test
  void sendAndRecvByRankAndTagInOrder() {
    int n = n();
    // a ring: everyone sends its rank to the next and receives from the previous
    List<Integer> ring = Mpi.run(scheduler(), n, comm -> {
      int r = comm.rank();
      comm.send(r, (r + 1) % n, 7);
      return comm.<Integer>recv((r - 1 + n) % n, 7);
    });
    List<Integer> expected = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      expected.add((r - 1 + n) % n);
    }
    assertEquals(expected, ring);
    // tags keep messages apart; one tag keeps the order of sending
    List<List<Object>> got = Mpi.run(scheduler(), 2, comm -> {
      if (comm.rank() == 0) {
        comm.send("a", 1, 1);
        comm.send("b", 1, 2);
        for (int i = 0; i < 5; i++) {
          comm.send(i, 1, 3);
        }
        comm.send(null, 1, 4);
        return List.of();
      }
      List<Object> seen = new ArrayList<>();
      seen.add(comm.recv(0, 2));
      seen.add(comm.recv(0, 1));
      for (int i = 0; i < 5; i++) {
        seen.add(comm.recv(0, 3));
      }
      seen.add(comm.recv(Comm.ANY_SOURCE, Comm.ANY_TAG));
      return seen;
    });
    assertEquals(Arrays.asList("b", "a", 0, 1, 2, 3, 4, null), got.get(1));
    // any source: rank 0 hears from everyone
    List<Integer> sums = Mpi.run(scheduler(), n, comm -> {
      if (comm.rank() != 0) {
        comm.send(comm.rank() * 10, 0, 0);
        return 0;
      }
      int sum = 0;
      for (int i = 1; i < comm.size(); i++) {
        sum += comm.<Integer>recv(Comm.ANY_SOURCE, 0);
      }
      return sum;
    });
    assertEquals(10 * (n - 1) * n / 2, (int) sums.get(0));
  }

  @Test
  void bcastScatterAndGatherFromAnyRoot() {
    int n = n();
    for (int root = 0; root < n; root++) {
      int rt = root;
      assertEquals(List.of("from " + rt), Mpi.run(scheduler(), n,
          comm -> comm.bcast(comm.rank() == rt ? "from " + rt : null, rt)).stream()
          .distinct().collect(Collectors.toList()));
      List<Integer> mine = Mpi.run(scheduler(), n, comm -> comm.scatter(
          comm.rank() == rt ? range(n).stream().map(i -> i * i).collect(Collectors.toList())
              : null, rt));
      assertEquals(range(n).stream().map(i -> i * i).collect(Collectors.toList()), mine);
      List<List<Integer>> gathered = Mpi.run(scheduler(), n,
          comm -> comm.gather(comm.rank() + 100, rt));
      for (int r = 0; r < n; r++) {
        if (r == rt) {
          assertEquals(range(n).stream().map(i -> i + 100).collect(Collectors.toList()),
              gathered.get(r));
        } else {
          assertNull(gathered.get(r));
        }
      }
    }
    List<List<Integer>> everywhere = Mpi.run(scheduler(), n,
        comm -> comm.allgather(comm.rank()));
    for (List<Integer> l : everywhere) {
      assertEquals(range(n), l);
    }
  }

  @Test
  void reduceCombinesInRankOrderAndAllreduceGivesEveryoneTheResult() {
    int n = n();
    String ordered = range(n).stream().map(String::valueOf).collect(Collectors.joining());
    for (int root = 0; root < n; root++) {
      int rt = root;
      // string concatenation: associative, not commutative
      List<String> r = Mpi.run(scheduler(), n,
          comm -> comm.reduce(String.valueOf(comm.rank()), (a, b) -> a + b, rt));
      for (int k = 0; k < n; k++) {
        assertEquals(k == rt ? ordered : null, r.get(k));
      }
    }
    assertEquals(List.of(ordered, ordered), Mpi.run(scheduler(), n,
        comm -> comm.allreduce(String.valueOf(comm.rank()), (a, b) -> a + b)).subList(0, 2));
    assertEquals(n * (n - 1) / 2, (int) Mpi.run(scheduler(), n,
        comm -> comm.allreduce(comm.rank(), Op.sumInt())).get(n - 1));
    assertEquals(Long.valueOf(n - 1), Mpi.run(scheduler(), n,
        comm -> comm.allreduce((long) comm.rank(), Op.<Long>max())).get(0));
    assertEquals(Double.valueOf(0), Mpi.run(scheduler(), n,
        comm -> comm.allreduce((double) comm.rank(), Op.<Double>min())).get(1));
    // a large array, against the direct sum
    int len = 100_003;
    List<double[]> sums = Mpi.run(scheduler(), n, comm -> {
      double[] mine = new Random(comm.rank()).doubles(len).toArray();
      return comm.allreduce(mine, Op.sumArrays());
    });
    double[] direct = new double[len];
    for (int r = 0; r < n; r++) {
      double[] x = new Random(r).doubles(len).toArray();
      for (int i = 0; i < len; i++) {
        direct[i] += x[i];
      }
    }
    for (double[] s : sums) {
      for (int i = 0; i < len; i += 997) {
        assertEquals(direct[i], s[i], 1e-12);
      }
      assertEquals(direct[len - 1], s[len - 1], 1e-12);
    }
  }

  @Test
  void noRankPassesTheBarrierBeforeEveryRankReachedIt() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "barrier-" + UUID.randomUUID())
        .toAbsolutePath());
    String d = dir.toString();
    int n = n();
    List<Boolean> allThere = Mpi.run(scheduler(), n, comm -> {
      Thread.sleep(30L * comm.rank());
      Files.writeString(Path.of(d, "r" + comm.rank()), "here");
      comm.barrier();
      for (int r = 0; r < comm.size(); r++) {
        if (!Files.exists(Path.of(d, "r" + r))) {
          return false;
        }
      }
      return true;
    });
    assertEquals(n, allThere.stream().filter(b -> b).count());
  }

  @Test
  void aRankThatThrowsFailsTheGroupNamingItAndWakesTheOthers() {
    int n = n();
    MpiException x = assertThrows(MpiException.class, () -> Mpi.run(scheduler(), n, comm -> {
      if (comm.rank() == 1) {
        throw new IllegalStateException("boom on 1");
      }
      return comm.<Integer>recv(1, 0); // would wait forever without the abort
    }));
    assertEquals(1, x.rank());
    assertTrue(x.getMessage().contains("rank 1 of " + n) && x.getMessage().contains("boom on 1"),
        x.getMessage());
    assertInstanceOf(IllegalStateException.class, x.getCause());
    // the engines are fit for the next group
    assertEquals(range(n), Mpi.run(scheduler(), n, comm -> comm.bcast(comm.rank(), 0) + comm.rank()));
    MpiException badScatter = assertThrows(MpiException.class, () -> Mpi.run(scheduler(), n,
        comm -> comm.scatter(List.of(1), 0)));
    assertEquals(0, badScatter.rank());
    assertTrue(badScatter.getMessage().contains("one value per rank"), badScatter.getMessage());
  }

  @Test
  void aDeadlockedGroupFailsAtItsTimeoutAndTheEnginesGoOn() {
    int n = n();
    // the idioms' one timeout exception, naming the group and the time waited
    ResultTimeoutException x = assertThrows(ResultTimeoutException.class, () -> Mpi.run(
        scheduler(), n, Duration.ofMillis(300),
        comm -> comm.<Integer>recv((comm.rank() + 1) % n, 5)));
    assertEquals(Duration.ofMillis(300), x.timeout());
    assertTrue(x.getMessage().startsWith("the MPI group of " + n + " ranks timed out after"
        + " 300 ms (the group was stopped"), x.getMessage());
    assertEquals(List.of(0, 1), Mpi.run(scheduler(), 2, comm -> comm.rank()));
  }

  @Test
  void groupsSubmittedTogetherKeepTheirMessagesApart() {
    int n = n();
    List<CompletableFuture<List<Integer>>> groups = new ArrayList<>();
    for (int g = 0; g < 6; g++) {
      int k = g;
      groups.add(Mpi.submit(scheduler(), n, comm -> {
        comm.barrier();
        return comm.allreduce(comm.rank() + k, Op.sumInt());
      }));
    }
    for (int g = 0; g < 6; g++) {
      int expected = n * (n - 1) / 2 + n * g;
      assertEquals(expected, (int) groups.get(g).join().get(0));
    }
  }

  @Test
  void refusesGroupsItCannotRun() {
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
        () -> Mpi.run(scheduler(), n() + 1, comm -> 1));
    assertTrue(big.getMessage().contains("needs " + (n() + 1) + " engines"), big.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Mpi.run(scheduler(), 0, comm -> 1));
    assertThrows(IllegalArgumentException.class, () -> Mpi.run(Schedulers.sync(), 1, c -> 1));
    assertThrows(MpiException.class, () -> Mpi.run(scheduler(), 2,
        comm -> comm.bcast(1, 5)));
  }
}
