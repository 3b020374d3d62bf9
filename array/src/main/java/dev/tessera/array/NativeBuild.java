package dev.tessera.array;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Chooses ND4J's native build for this CPU before ND4J loads: nd4j-native ships a generic
 * x86-64 build and builds for AVX2 and AVX-512, and JavaCPP loads the generic one unless the
 * system property {@code org.bytedeco.javacpp.platform.extension} names another. Measured on an
 * AMD EPYC Zen 4 (docs/native-libraries.md): uniform random numbers 3.8 GB/s with the generic
 * build, 8.0 with AVX2, 15 with AVX-512 (one thread); BLAS is OpenBLAS's either way.
 *
 * <p>The property is set only if the user set neither it nor {@code javacpp.platform.extension},
 * the CPU reports every instruction set the build needs (a build the CPU cannot run would crash
 * it), and the build's library is on the class path. If ND4J was loaded before any Tessera
 * array class, the generic build stays: slower, never wrong.
 */
final class NativeBuild {
  private NativeBuild() {}

  static final String KEY = "org.bytedeco.javacpp.platform.extension";

  /** Sets the property for this CPU once, before ND4J loads (idempotent, thread-safe). */
  static synchronized void select() {
    if (System.getProperty(KEY) != null || System.getProperty("javacpp.platform.extension") != null
        || !"Linux".equals(System.getProperty("os.name"))
        || !"amd64".equals(System.getProperty("os.arch"))) {
      return;
    }
    String ext = extension(flags());
    if (!ext.isEmpty() && NativeBuild.class.getClassLoader().getResource(
        "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + ext + "/libjnind4jcpu.so")
        != null) {
      System.setProperty(KEY, ext);
    }
  }

  /** The build for a CPU with these /proc/cpuinfo flags: "-avx512", "-avx2" or "" (generic). */
  static String extension(Set<String> flags) {
    // ND4J's AVX-512 build targets Skylake-AVX512 (F, CD, BW, DQ, VL); its AVX2 build Haswell
    if (flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl",
        "avx2", "fma"))) {
      return "-avx512";
    }
    if (flags.containsAll(Set.of("avx2", "fma", "bmi2"))) {
      return "-avx2";
    }
    return "";
  }

  private static Set<String> flags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown CPU: the generic build
    }
    return Set.of();
  }
}
