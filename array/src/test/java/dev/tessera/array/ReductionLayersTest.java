package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.compute;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.TaskGraph;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The result layer of a reduction is named and labelled after the operation, and is the result. */
class ReductionLayersTest {
  /** The layer that holds the first output key of {@code a}, in the graph compute() runs. */
  static Layer resultLayer(Array a) {
    TaskGraph g = a.optimize(a.graph(), a.outputKeys());
    Key k = a.outputKeys().get(0);
    for (Layer l : g.layers()) {
      if (l.tasks().containsKey(k)) {
        return l;
      }
    }
    throw new AssertionError("no layer holds " + k);
  }

  static void assertNamed(String op, Array a) {
    Layer l = resultLayer(a);
    assertEquals(op, l.operation(), l.name());
    assertTrue(l.name().startsWith(op + "-"), l.name());
    TaskGraph g = a.optimize(a.graph(), a.outputKeys());
    for (Layer other : g.layers()) {
      assertTrue(!other.operation().equals("squeeze"), "a squeeze layer is left: " + other);
    }
  }

  @Test
  void resultLayersKeepTheOperationsNameThroughEveryPass() {
    // many blocks (combine levels), one block (chunk fused into the result), ragged chunks
    for (Chunks c : List.of(Chunks.of(3, 4), Chunks.of(-1, -1), Chunks.of(5, 2))) {
      Array x = Array.uniform(5, new long[] {13, 9}, c);
      INDArray xv = compute(x);
      assertNamed("sum", x.sum());
      assertNamed("sum", x.sum(new int[] {0}, true));
      assertNamed("mean", x.mean(0));
      assertNamed("std", x.std());
      assertNamed("argmax", x.argmax(1));
      for (String inline : new String[] {null, "0"}) {
        if (inline != null) {
          System.setProperty("tessera.array.inlineBytes", inline);
        }
        try {
          assertNamed("sum", x.add(x).sum(1));
        } finally {
          System.clearProperty("tessera.array.inlineBytes");
        }
      }
      Array kept = x.sum(new int[] {0}, true);
      assertArrayEquals(new long[] {1, 9}, kept.shape());
      close(xv.sum(true, 0), kept, 1e-12);
      Array dropped = x.sum(0);
      assertArrayEquals(new long[] {9}, dropped.shape());
      close(xv.sum(0), dropped, 1e-12);
      assertArrayEquals(new long[] {}, x.sum().shape());
      assertEquals(xv.sumNumber().doubleValue(), compute(x.sum()).getDouble(0), 1e-12);
    }
  }

  @Test
  void anArraySumRunsOneTaskPerBlockAndOneForTheResult() {
    // 2 x 2 blocks: four generator tasks, each fused with its chunk step, and the result task
    Array s = Array.uniform(1, new long[] {10, 10}, Chunks.of(5, 5)).sum();
    assertEquals(9, s.graph().size());
    TaskGraph g = s.optimize(s.graph(), s.outputKeys());
    assertEquals(5, ExecutionPlan.of(g, s.outputKeys()).size());
    INDArray xv = compute(Array.uniform(1, new long[] {10, 10}, Chunks.of(5, 5)));
    assertEquals(xv.sumNumber().doubleValue(), compute(s).getDouble(0), 1e-12);
  }
}
