package dev.tessera.array;

import static dev.tessera.array.Fixtures.close;
import static dev.tessera.array.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import dev.tessera.graph.Tessera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StorageTest {
  static Path dir(String name) throws Exception {
    Path d = Path.of(System.getProperty("java.io.tmpdir"), "storage-test", name);
    if (Files.exists(d)) {
      try (var s = Files.walk(d)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return d;
  }

  @Test
  void npyStackRoundTripsEveryType() throws Exception {
    for (DType t : DType.values()) {
      INDArray x = data(1, t, 7, 10);
      for (int axis : new int[] {0, 1}) {
        Path d = dir("rt-" + t + axis);
        try (var s = Tessera.useScheduler(Fixtures.SYNC)) {
          Array.fromINDArray(x, Chunks.of(3, 4)).toNpyStack(d, axis);
        }
        assertTrue(Files.exists(d.resolve("info")));
        Array back = Array.fromNpyStack(d);
        assertEquals(axis == 0 ? 3 : 1, back.numBlocks()[0]);
        close(x, back, 0);
      }
    }
  }

  @Test
  void readsAStackWithoutMetadataAndEachBlockIsPlainNpy() throws Exception {
    Path d = dir("plain");
    Files.createDirectories(d);
    INDArray a = data(2, 3, 4);
    INDArray b = data(3, 5, 4);
    Npy.write(a, DType.FLOAT64, d.resolve("0.npy"));
    Npy.write(b, DType.FLOAT64, d.resolve("1.npy"));
    Array x = Array.fromNpyStack(d);
    assertArrayEquals(new long[][] {{3, 5}, {4}}, x.chunks());
    close(Nd4j.concat(0, a, b), x, 0);
    byte[] bytes = Files.readAllBytes(d.resolve("0.npy"));
    String header = new String(bytes, 10, bytes.length - 10 - 96, "ISO-8859-1");
    assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"),
        header);
    assertEquals(0, (bytes.length - 96) % 64);
    assertThrows(ArrayException.class, () -> Array.fromNpyStack(dir("missing")));
  }

  @Test
  void storeIntoAPreallocatedArray() {
    INDArray x = data(4, 7, 10);
    for (Chunks c : Fixtures.chunkings2d()) {
      INDArray target = Nd4j.create(DataType.DOUBLE, 7, 10);
      try (var s = Tessera.useScheduler(Fixtures.SYNC)) {
        assertSame(target, Array.fromINDArray(x, c).mul(2).store(target));
      }
      close(x.mul(2), target, 0);
    }
    assertThrows(ArrayException.class, () -> Array.fromINDArray(x, Chunks.of(3, 3))
        .store(Nd4j.create(DataType.DOUBLE, 3, 3)));
  }

  @Test
  void persistKeepsBlocksAndComputeSharesWork() {
    AtomicInteger generated = new AtomicInteger();
    SchedulerCallback count = new SchedulerCallback() {
      @Override
      public void posttask(dev.tessera.graph.spi.RunInfo run, TaskEvent e) {
        if (e.key().prefix().equals("uniform")) {
          generated.incrementAndGet();
        }
      }
    };
    Array x = Array.uniform(5, new long[] {20, 20}, Chunks.of(10, 10));
    try (var s = Tessera.useCallback(count)) {
      Array p = x.persist(Fixtures.SYNC);
      assertEquals(4, generated.get());
      INDArray direct = Fixtures.compute(x);
      generated.set(0);
      close(direct.sum(0), p.sum(0), 1e-12);
      close(direct.mul(2), p.mul(2), 1e-12);
      assertEquals(0, generated.get());
      List<Object> both = Tessera.compute(List.of(x.sum(), x.mean(0)), Fixtures.SYNC);
      assertEquals(4, generated.get());
      assertEquals(direct.sumNumber().doubleValue(), ((INDArray) both.get(0)).getDouble(0),
          1e-12);
    }
  }
}
