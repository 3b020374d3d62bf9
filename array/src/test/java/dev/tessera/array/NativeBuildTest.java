package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class NativeBuildTest {
  @Test
  void theBuildFollowsTheCpuFlags() {
    assertEquals("-avx512", NativeBuild.extension(Set.of("avx2", "fma", "bmi2", "avx512f",
        "avx512cd", "avx512bw", "avx512dq", "avx512vl")));
    // AVX-512F alone (no BW/DQ/VL, as on Xeon Phi) is not enough for the AVX-512 build
    assertEquals("-avx2", NativeBuild.extension(Set.of("avx2", "fma", "bmi2", "avx512f")));
    assertEquals("", NativeBuild.extension(Set.of("sse4_2", "avx")));
    assertEquals("", NativeBuild.extension(Set.of()));
  }

  @Test
  void theLoadedBuildRunsOnThisCpu() {
    Array.zeros(new long[] {2}, Chunks.of(2), DType.FLOAT64);   // the array classes load first
    Nd4j.create(1);
    var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    // never a build for more than this CPU has; the best one where the jars are present
    assertTrue(ops.binaryLevel() <= ops.optimalLevel(), ops.binaryLevel() + " > "
        + ops.optimalLevel());
    String ext = System.getProperty(NativeBuild.KEY, "");
    assertEquals(ext.equals("-avx512") ? 3 : ext.equals("-avx2") ? 2 : 1, ops.binaryLevel(),
        "extension '" + ext + "'");
  }
}
