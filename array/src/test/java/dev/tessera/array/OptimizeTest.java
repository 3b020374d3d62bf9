package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class OptimizeTest {
  static boolean anyClosing(TaskGraph g) {
    for (Task t : g.tasks().values()) {
      if (t.function() instanceof Release.ClosingInputs) {
        return true;
      }
    }
    return false;
  }

  @Test
  void freeingPrivateBlocksAndInliningGeneratorsKeepResultsRight() {
    Array x = Array.uniform(3, new long[] {30, 30}, Chunks.of(7, 8));
    INDArray xv = compute(x);
    Array expr = x.add(x.T()).mul(2).add(1);
    INDArray expected = xv.add(xv.transpose()).mul(2).add(1);
    for (String inline : new String[] {null, "0"}) {
      if (inline != null) {
        System.setProperty("tessera.array.inlineBytes", inline);
      }
      try {
        Array s = expr.sum(0);
        assertTrue(anyClosing(Release.apply(s.graph(), s.outputKeys(), inline != null)));
        s.optimize(s.graph(), s.outputKeys());
        close(expected.sum(0), s, 1e-12);
        close(expected, expr, 1e-12);
        close(expected.mean(1), expr.mean(1), 1e-12);
        try (var threads = Schedulers.threads(2)) {
          close(expected.sum(0), s.compute(threads), 1e-12);
        }
      } finally {
        System.clearProperty("tessera.array.inlineBytes");
      }
    }
  }

  @Test
  void outputsAndSharedBlocksAreNeverFreed() {
    Array x = Array.uniform(4, new long[] {20, 20}, Chunks.of(5, 5));
    Array y = x.mul(3);
    INDArray xv = compute(x);
    java.util.List<INDArray> both = Array.compute(y, y.sum(), y.add(1).max());
    close(xv.mul(3), both.get(0), 1e-12);
    close(xv.mul(3).sum(0, 1), both.get(1), 1e-12);
    close(xv.mul(3).add(1).max(0, 1), both.get(2), 1e-12);
  }

  @Test
  void blocksAnotherCollectionNeedsAreNeverRecycled() {
    Array x = Array.uniform(6, new long[] {40, 40}, Chunks.of(10, 10));
    INDArray xv = compute(x);
    dev.tessera.graph.Delayed<Double> viaDelayed = dev.tessera.graph.Delayed.apply(
        args -> ((INDArray) args[0]).mul(1).sumNumber().doubleValue(), x);
    Array y = Array.uniform(7, new long[] {40, 40}, Chunks.of(10, 10));
    Array doubled = x.add(y);
    java.util.List<Object> out = dev.tessera.graph.Tessera.compute(
        java.util.List.of(doubled.sum(), viaDelayed), Fixtures.SYNC);
    org.junit.jupiter.api.Assertions.assertEquals(xv.add(compute(y)).sumNumber().doubleValue(),
        ((INDArray) out.get(0)).getDouble(0), 1e-9);
    org.junit.jupiter.api.Assertions.assertEquals(xv.sumNumber().doubleValue(),
        (Double) out.get(1), 1e-9);
  }
}
