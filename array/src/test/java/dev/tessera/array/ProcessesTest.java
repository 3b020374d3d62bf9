package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arrays give the same results on worker processes (blocks shipped with the ND4J codec) as on
 * the threaded scheduler: random generation is seeded per block, so both see the same data.
 */
class ProcessesTest {
  private static ProcessScheduler processes;
  private static ThreadedScheduler threads;

  @BeforeAll
  static void start() {
    processes = Schedulers.processes(2);
    threads = Schedulers.threads(2);
  }

  @AfterAll
  static void stop() {
    processes.close();
    threads.close();
  }

  private static void same(Lazy<?>... arrays) {
    List<Lazy<?>> list = List.of(arrays);
    List<Object> a = Tessera.compute(list, threads);
    List<Object> b = Tessera.compute(list, processes);
    for (int i = 0; i < a.size(); i++) {
      INDArray x = (INDArray) a.get(i);
      INDArray y = (INDArray) b.get(i);
      assertEquals(java.util.Arrays.toString(x.shape()), java.util.Arrays.toString(y.shape()));
      assertTrue(x.equalsWithEps(y, 1e-12), "result " + i + " differs");
    }
  }

  @Test
  void elementwiseReductionsSlicesRechunkAndProducts() {
    Array x = Array.uniform(7, new long[] {120, 90}, Chunks.of(50, 40));
    // a differently chunked operand is rechunked to the common refinement automatically
    same(x, x.add(x.T().rechunk(Chunks.of(30, 45)).T()), x.sum(), x.mean(0), x.sum(1),
        x.std(), x.max(0));
    same(x.get(Index.step(-2), Index.slice(10, 70)).rechunk(Chunks.of(17, 13)).sum(0),
        x.matmul(x.T()), x.mul(2.5).add(1).sum());
    Array tall = Array.uniform(3, new long[] {400, 12}, Chunks.of(100, 12));
    Linalg.QR qr = Linalg.qr(tall);
    same(qr.r(), qr.q().matmul(qr.r()));
  }
}
