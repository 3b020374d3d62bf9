package dev.tessera.array;

import static dev.tessera.array.Fixtures.compute;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.schedulers.Schedulers;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An elementwise operation fused into its sum or mean, against the unfused, unchunked result. */
class FusionTest {
  /** Whether the optimized graph of {@code a} computes some block by the fused kernel. */
  static boolean fused(Array a) {
    a.optimize(a.graph(), a.outputKeys());   // the whole pass runs
    TaskGraph g = Fusion.apply(a.graph(), a.outputKeys());
    for (Task t : g.tasks().values()) {
      if (t.function() instanceof Fusion.SumOfMap) {
        return true;
      }
    }
    return false;
  }

  /** The sum of every element, in float64, of an unchunked ND4J result. */
  static double direct(INDArray z) {
    INDArray d = z.castTo(DType.FLOAT64.nd4j()).dup('c');
    double s = 0;
    for (long i = 0; i < d.length(); i++) {
      s += d.getDouble(i);
    }
    return s;
  }

  private static final List<Chunks> CHUNKINGS = List.of(Chunks.of(64, 64),
      Chunks.explicit(new long[] {1, 40, 29, 130}, new long[] {33, 37, 130}),
      Chunks.of(-1, -1), Chunks.of(7, 200), Chunks.of(150, 9));

  @Test
  void everyOperatorTypeAndChunkingGivesTheUnfusedAnswer() {
    for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
      // 200 x 200: more than one 8-row group and 128-column stripe per block where chunks allow
      INDArray xv = data(31, t, 200, 200).add(0.25);
      INDArray yv = data(32, t, 200, 200).add(1.5);   // a divisor away from 0
      double tol = t == DType.FLOAT64 ? 1e-12 : 1e-5;
      for (Chunks c : CHUNKINGS) {
        Array x = Array.fromINDArray(xv, c);
        Array y = Array.fromINDArray(yv, c);
        List<Object[]> cases = List.of(
            new Object[] {x.add(x.T()), xv.add(xv.transpose())},
            new Object[] {x.sub(y), xv.sub(yv)},
            new Object[] {x.mul(y.T()), xv.mul(yv.transpose())},
            new Object[] {x.T().div(y), xv.transpose().div(yv)});
        for (Object[] k : cases) {
          Array z = (Array) k[0];
          INDArray zv = (INDArray) k[1];
          String what = t + " " + c + " " + z;
          assertTrue(fused(z.sum()), what);
          double want = direct(zv);
          INDArray got = compute(z.sum());
          assertEquals(t.nd4j(), got.dataType(), what);
          assertEquals(want, got.getDouble(0), tol * Math.abs(want), what);
          assertEquals(want / zv.length(), compute(z.mean()).getDouble(0),
              tol * Math.abs(want / zv.length()), what);
          // and unfused, its elementwise block needed as well: the same numbers
          List<INDArray> both = Array.compute(z, z.sum());
          assertEquals(0, zv.sub(both.get(0).castTo(zv.dataType())).amaxNumber().doubleValue(),
              0, what);
          assertEquals(want, both.get(1).getDouble(0), tol * Math.abs(want), what);
        }
      }
    }
  }

  @Test
  void singleElementBlocksBroadcastsAndTheThreadedSchedulerGiveTheSameAnswer() {
    INDArray xv = data(33, 9, 11);
    INDArray rv = data(34, 1, 11).add(2);
    List<Chunks> chunkings = List.of(Chunks.of(1, 1), Chunks.of(2, 3), Chunks.of(9, 11));
    for (int k = 0; k < chunkings.size(); k++) {
      Chunks c = chunkings.get(k);
      Array x = Array.fromINDArray(xv, c);
      Array r = Array.fromINDArray(rv, k == 0 ? Chunks.of(1, 1) : Chunks.of(-1, -1));
      double want = direct(xv.add(xv.mul(3)));
      assertEquals(want, compute(x.add(x.mul(3)).sum()).getDouble(0), 1e-12 * Math.abs(want));
      double bw = direct(xv.mulRowVector(rv));
      Array b = x.mul(r);   // r broadcast along the rows
      assertEquals(bw, compute(b.sum()).getDouble(0), 1e-12 * Math.abs(bw), c.toString());
      Array s = x.add(x.mul(3)).sum();
      double sd = s.compute(Fixtures.SYNC).getDouble(0);
      try (var threads = Schedulers.threads(2)) {
        // the same blocks, the same order of additions: the same bits on every scheduler
        assertEquals(sd, s.compute(threads).getDouble(0), 0);
      }
    }
  }

  @Test
  void whatIsNotASumOfArithmeticIsNotFused() {
    Array x = Array.fromINDArray(data(35, 20, 20), Chunks.of(8, 8));
    assertFalse(fused(x.add(x.T()).sum(0)));              // over one axis
    assertFalse(fused(x.add(x.T()).max()));               // not a sum
    assertFalse(fused(x.maximum(x.T()).sum()));           // not arithmetic
    assertFalse(fused(x.astype(DType.INT64).add(x.astype(DType.INT64)).sum()));   // integers
    BinaryOperator<Array> plus = Array::add;
    assertTrue(fused(plus.apply(x, x).sum()));
  }
}
