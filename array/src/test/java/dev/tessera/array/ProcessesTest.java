package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Lazy;
import dev.tessera.schedulers.ProcessesAndThreads;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arrays give the same results on worker processes (blocks shipped with the ND4J codec) as on
 * the threaded scheduler: random generation is seeded per block, so both see the same data.
 */
class ProcessesTest {
  @RegisterExtension static final ProcessesAndThreads BOTH = new ProcessesAndThreads();

  private static void same(Lazy<?>... arrays) {
    BOTH.assertSame((e, a) -> {
      INDArray x = (INDArray) e;
      INDArray y = (INDArray) a;
      assertEquals(Arrays.toString(x.shape()), Arrays.toString(y.shape()));
      assertTrue(x.equalsWithEps(y, 1e-12), "results differ: " + x + " vs " + y);
    }, arrays);
  }

  @Test
  void elementwiseReductionsSlicesRechunkAndProducts() {
    Array x = Array.uniform(7, new long[] {120, 90}, Chunks.of(50, 40));
    // a differently chunked operand is rechunked to the common refinement automatically
    same(x, x.add(x.T().rechunk(Chunks.of(30, 45)).T()), x.sum(), x.mean(0), x.sum(1),
        x.std(), x.max(0));
    same(x.get(Index.step(-2), Index.slice(10, 70)).rechunk(Chunks.of(17, 13)).sum(0),
        x.matmul(x.T()), x.mul(2.5).add(1).sum());
    // fused into their sums (Fusion): the fused task runs on worker JVMs too
    Array sq = Array.uniform(8, new long[] {90, 90}, Chunks.of(40, 40));
    same(sq.add(sq.T()).sum(), sq.mul(sq).mean(), sq.astype(DType.FLOAT32).sub(sq.T()
        .astype(DType.FLOAT32)).sum());
    Array tall = Array.uniform(3, new long[] {400, 12}, Chunks.of(100, 12));
    Linalg.QR qr = Linalg.qr(tall);
    same(qr.r(), qr.q().matmul(qr.r()));
  }
}
