package dev.tessera.array;

import static dev.tessera.array.Fixtures.compute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NativeCheckTest {
  @AfterEach
  void restore() {
    NativeCheck.useCheck(null);
  }

  @Test
  void theLoadedLibraryPassesTheRealCheck() {
    assertEquals(List.of(), NativeCheck.run());
  }

  @Test
  void theKnownAnswersAreRightInPlainJava() {
    // the factors the check expects, multiplied back in plain Java, give the matrix it builds
    int m = NativeCheck.M;
    int n = NativeCheck.N;
    double[] v = NativeCheck.reflector(m, 1);
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    assertEquals(1, norm, 1e-14);
    double[] r0 = new double[n * n];
    for (int i = 0; i < n; i++) {
      r0[i * n + i] = 1 + i;
    }
    double[] a = NativeCheck.reflect(v, r0, m, n);
    // H is its own inverse: reflecting A again gives R0 padded with zero rows
    double[] back = NativeCheck.reflect(v, a, m, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(i < n ? r0[i * n + j] : 0, back[i * n + j], 1e-12, i + "," + j);
      }
    }
  }

  @Test
  void aFailedCheckMakesEveryFactorizationRefuseWithTheFix() {
    AtomicInteger runs = new AtomicInteger();
    NativeCheck.useCheck(() -> {
      runs.incrementAndGet();
      return List.of("DOUBLE QR (geqrf) 256 x 160: the factors are off by 1.3 (injected)");
    });
    Array a = Array.fromINDArray(Fixtures.data(31, 40, 5), Chunks.of(10, 5));
    Array b = Array.fromINDArray(Fixtures.data(32, 40), Chunks.of(10));
    List<Array> results = List.of(Linalg.qr(a).q(), Linalg.qr(a).r(), Linalg.svd(a).s(),
        Linalg.lstsq(a, b).x());
    for (Array x : results) {
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> compute(x));
      NativeLibraryException cause = assertInstanceOf(NativeLibraryException.class,
          e.getCause());
      String msg = cause.getMessage();
      for (String part : List.of("refuses", "off by 1.3 (injected)", "OPENBLAS", "OpenBLAS 0.3",
          "CPU: ", "OPENBLAS_CORETYPE=Haswell", "0.3.31-1.5.13", "docs/native-libraries.md")) {
        assertTrue(msg.contains(part), "missing '" + part + "' in: " + msg);
      }
    }
    assertEquals(1, runs.get(), "the check runs once per JVM");
  }

  @Test
  void aPassingCheckRunsOnceAndFactorizationsWork() {
    AtomicInteger runs = new AtomicInteger();
    NativeCheck.useCheck(() -> {
      runs.incrementAndGet();
      return List.of();
    });
    INDArray x = Fixtures.data(33, 30, 4);
    Linalg.QR qr = Linalg.qr(Array.fromINDArray(x, Chunks.of(7, 4)));
    Fixtures.close(x, compute(qr.q()).mmul(compute(qr.r())), 1e-12);
    compute(Linalg.svd(Array.fromINDArray(x, Chunks.of(9, 4))).s());
    assertEquals(1, runs.get());
  }
}
