package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.bag.Bag;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Array.fromBag against the bag's elements, on several partitionings (empty ones too). */
class FromBagTest {
  @Test
  void numbersBecomeAOneDimensionalArray() {
    for (int n : new int[] {0, 1, 17, 500}) {
      for (int parts : new int[] {1, 3, 20}) {
        Array a = Array.fromBag(Bag.range(n, parts));
        assertEquals(-1, a.shape()[0], "lengths unknown until computed");
        INDArray v = a.compute(Schedulers.sync());
        assertEquals(n, v.length());
        for (int i = 0; i < n; i++) {
          assertEquals(i, v.getDouble(i));
        }
        Array known = a.computeChunkSizes();
        assertArrayEquals(new long[] {n}, known.shape());
        assertEquals(parts, known.chunks()[0].length);
        assertEquals(n * (n - 1) / 2.0, known.sum().compute().getDouble(0), 1e-9);
      }
    }
  }

  @Test
  void rowsOfEveryKindBecomeAMatrix() {
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Object row = switch (i % 4) {
        case 0 -> new double[] {i, i + 0.5};
        case 1 -> new long[] {i, i * 2L};
        case 2 -> List.of(i, 1.25);
        default -> new float[] {i, -i};
      };
      rows.add(row);
    }
    for (int parts : new int[] {1, 6, 50}) {
      Array a = Array.fromBag(Bag.fromCollection(rows, parts), 2).computeChunkSizes();
      assertArrayEquals(new long[] {40, 2}, a.shape());
      INDArray m = a.compute();
      for (int i = 0; i < 40; i++) {
        assertEquals(i, m.getDouble(i, 0));
      }
      assertEquals(1.25, m.getDouble(2, 1), "row 2 was List.of(2, 1.25)");
    }
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> Array.fromBag(
        Bag.fromCollection(List.of(new double[] {1, 2}, new double[] {3}), 1), 2).compute());
    assertTrue(e.getCause().getMessage().contains("element 1 has 1 values"),
        e.getCause().getMessage());
  }
}
