package dev.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every JSON line says about the machine it was measured on (the CPU model and its SIMD
 * width), and the hardware floors measured in the same run that are not ND4J's: a read-only
 * sum over memory in plain Java.
 */
final class Machine {
  private Machine() {}

  /** The CPU's model name from /proc/cpuinfo, or the architecture where there is none. */
  static String cpuModel() {
    String v = cpuinfo("model name");
    return v == null ? System.getProperty("os.arch") + " (model unknown)" : v;
  }

  /** The widest x86 SIMD the CPU reports: AVX-512, AVX2, or what else is known. */
  static String cpuSimd() {
    String flags = cpuinfo("flags");
    if (flags == null) {
      return "unknown";
    }
    String f = " " + flags + " ";
    return f.contains(" avx512f ") ? "AVX-512" : f.contains(" avx2 ") ? "AVX2"
        : f.contains(" avx ") ? "AVX" : "none of AVX, AVX2, AVX-512";
  }

  private static String cpuinfo(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith(field)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return null;
  }

  /** The physical RAM from /proc/meminfo's MemTotal, in bytes; 0 where there is none. */
  static long memTotalBytes() {
    return kilobytes(Path.of("/proc/meminfo"), "MemTotal:");
  }

  /**
   * This JVM's peak resident set (VmHWM of /proc/self/status) in bytes, 0 where there is none:
   * read at the end of a run, it is the run's peak, as {@code /usr/bin/time -v} would say.
   */
  static long peakRssBytes() {
    return kilobytes(Path.of("/proc/self/status"), "VmHWM:");
  }

  /** The three load averages of /proc/loadavg, or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static long kilobytes(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          String v = line.substring(field.length()).trim(); // "24683664 kB"
          return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return 0;
  }

  /**
   * The read-only memory floor: one thread summing a 256 MiB float64 array (sixteen
   * accumulators, so the additions never limit it; the loop compiled first on a small array),
   * bytes read per second, median of 5. 256 MiB comes from main memory: on the Intel Xeon of
   * 2026-12-02 (300 MiB of L3 shared with other machines) 5.8-7.0 GB/s, while the same loop
   * over one 32 MiB block still in L3 reads 15-17 GB/s (docs/native-libraries.md).
   */
  static double readSumGBps() {
    int len = 1 << 25;
    double[] a = new double[len];
    for (int i = 0; i < len; i++) {
      a[i] = i & 1023;
    }
    double sink = 0;
    double[] small = new double[1 << 14];
    for (int r = 0; r < 2000; r++) {
      sink += sum(small);
    }
    List<Double> rates = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      long t0 = System.nanoTime();
      sink += sum(a);
      double s = (System.nanoTime() - t0) / 1e9;
      if (r > 0) {
        rates.add(8.0 * len / s / 1e9);
      }
    }
    if (sink == 42) {
      System.err.print("");   // keeps the sums from being optimized away
    }
    return Bench.median(rates);
  }

  private static double sum(double[] a) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    double t0 = 0;
    double t1 = 0;
    double t2 = 0;
    double t3 = 0;
    double t4 = 0;
    double t5 = 0;
    double t6 = 0;
    double t7 = 0;
    for (int i = 0; i + 16 <= a.length; i += 16) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
      s4 += a[i + 4];
      s5 += a[i + 5];
      s6 += a[i + 6];
      s7 += a[i + 7];
      t0 += a[i + 8];
      t1 += a[i + 9];
      t2 += a[i + 10];
      t3 += a[i + 11];
      t4 += a[i + 12];
      t5 += a[i + 13];
      t6 += a[i + 14];
      t7 += a[i + 15];
    }
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + t0 + t1 + t2 + t3 + t4 + t5 + t6 + t7;
  }

  /**
   * The OpenBLAS under ND4J, from the loaded presets ("OpenBLAS 0.3.31"), for workloads that
   * have loaded ND4J already; "unknown" if it is another BLAS.
   */
  static String blasLibrary() {
    try {
      Object v = Class.forName("org.bytedeco.openblas.global.openblas_nolapack")
          .getField("OPENBLAS_VERSION").get(null);
      return String.valueOf(v).trim();
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unknown";
    }
  }
}
