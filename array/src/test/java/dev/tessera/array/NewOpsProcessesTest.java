package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.Schedulers;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scans, histograms, bincounts, stencils, top k, unique, isin and einsum give the same results
 * on worker processes (partials shipped between JVMs), on threads and on the synchronous
 * scheduler (which the other tests check against direct computations).
 */
class NewOpsProcessesTest {
  private static void same(List<Object> want, List<Object> got) {
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      INDArray s = (INDArray) want.get(i);
      INDArray y = (INDArray) got.get(i);
      assertEquals(Arrays.toString(s.shape()), Arrays.toString(y.shape()), "output " + i);
      assertTrue(s.equalsWithEps(y, 1e-12), "output " + i + " differs: " + s + " vs " + y);
    }
  }

  @Test
  void everyNewOperationOnEveryScheduler() {
    Array x = Array.uniform(7, new long[] {120, 90}, Chunks.of(50, 40));
    Array ints = x.mul(20).floor().astype(DType.INT64).reshape(-1);
    Unique u = x.mul(10).floor().unique();
    List<List<Lazy<?>>> groups = List.of(
        List.of(x.cumsum(0), x.cumprod(1), x.histogram(10, 0, 1).counts(),
            x.histogram(new double[] {0, 0.3, 0.5, 1}, x).counts(), ints.bincount(null, 25)),
        List.of(x.mapOverlap(OverlapTest::blockLaplacian, 1, Boundary.periodic()),
            x.mapOverlap(OverlapTest::blockLaplacian, new int[] {2, 1}, Boundary.constant(1),
                DType.FLOAT64)),
        List.of(x.topk(5, 0), x.argtopk(-3), u.values(), u.counts(),
            x.mul(10).floor().isin(Array.arange(0, 10, 3, Chunks.of(2), DType.FLOAT64))),
        List.of(Array.einsum("ij,kj->ik", x, x),
            Array.einsum("ii->", x.get(Index.slice(0, 90)))));
    try (var processes = Schedulers.processes(2); var threads = Schedulers.threads(2)) {
      for (List<Lazy<?>> g : groups) {
        List<Object> sync = Tessera.compute(g, Fixtures.SYNC);
        same(sync, Tessera.compute(g, threads));
        same(sync, Tessera.compute(g, processes));
      }
    }
  }
}
