package dev.tessera.schedulers.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each of several workers on one machine gets its share of the cores for native threads. */
class NativeThreadsTest {
  static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void eachVariableGetsTheWorkersShareUnlessInherited() {
    String share = Integer.toString(Math.max(1, CORES / 2));
    assertEquals(Map.of("OMP_NUM_THREADS", share, "OPENBLAS_NUM_THREADS", share,
        "MKL_NUM_THREADS", share), NativeThreads.forWorkers(2, Map.of()));
    assertEquals(Map.of("OMP_NUM_THREADS", share, "MKL_NUM_THREADS", share),
        NativeThreads.forWorkers(2, Map.of("OPENBLAS_NUM_THREADS", "3")));
    // more workers than cores: one thread each, never zero
    assertEquals("1", NativeThreads.forWorkers(CORES + 5, Map.of()).get("OMP_NUM_THREADS"));
    assertEquals(Integer.toString(CORES),
        NativeThreads.forWorkers(1, Map.of()).get("OMP_NUM_THREADS"));
  }

  @Test
  void refusesNoWorkers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeThreads.forWorkers(0, Map.of()));
    assertEquals("workersHere must be at least 1, got 0", e.getMessage());
  }
}
