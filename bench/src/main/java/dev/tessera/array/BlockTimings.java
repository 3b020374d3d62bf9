package dev.tessera.array;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The block primitives of the array workloads, ND4J's and Tessera's kernels side by side, on
 * one n x n float64 block, timed by this thread's CPU time (on a shared machine wall time
 * counts other processes' turns; CPU time is what a quiet machine would show, give or take
 * cache sharing). Lives in the array package of the bench module to reach the package-private
 * kernels; used by the bench workload {@code Blocks} only.
 */
public final class BlockTimings {
  private BlockTimings() {}

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static double sink;

  /** One primitive: what it does to the blocks, and the bytes of one block it counts. */
  private record Primitive(String name, double bytes, Runnable body) {}

  /**
   * Returns, for each primitive, its speed in GB/s of one block (bytes of one n x n block per
   * CPU second, the floors: bytes moved), median of {@code reps} calls after a warm-up.
   *
   * @param n the block's edge
   * @param reps timed calls per primitive
   * @return primitive name to GB/s, in a fixed order
   */
  public static Map<String, Double> measure(int n, int reps) {
    Array.setNd4jThreads(1);
    INDArray x = Nd4j.rand(DataType.DOUBLE, n, n);
    INDArray y = Nd4j.rand(DataType.DOUBLE, n, n);
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, n, n);
    long big = 1L << 25;
    INDArray ba = Nd4j.rand(DataType.DOUBLE, big);
    INDArray bb = Nd4j.createUninitialized(DataType.DOUBLE, big);
    double block = 8.0 * n * n;
    Creation.RandomBlock uniform = new Creation.RandomBlock(7, new long[] {n, n}, false, 0, 1,
        DType.FLOAT64);
    INDArray yt = y.transpose();
    List<Primitive> ps = new ArrayList<>();
    ps.add(new Primitive("floor: copy 256 MiB (ND4J assign, bytes read + written)",
        2.0 * 8 * big, () -> bb.assign(ba)));
    ps.add(new Primitive("uniform random (ND4J, the generator Tessera uses)", block,
        () -> Pool.give((INDArray) uniform.apply(new Object[0]))));
    ps.add(new Primitive("x + y.T ND4J", block, () -> x.add(yt, out)));
    ps.add(new Primitive("x + y.T Tessera kernel", block,
        () -> Pool.give(Kernels.binary(Ops.Binary.ADD, x, yt))));
    ps.add(new Primitive("x + y ND4J (both C order)", block, () -> x.add(y, out)));
    ps.add(new Primitive("sum(x + y.T) fused Tessera kernel", block,
        () -> sink += Kernels.sumOfBinary(Ops.Binary.ADD, x, yt)));
    ps.add(new Primitive("sum(x + y) fused Tessera kernel", block,
        () -> sink += Kernels.sumOfBinary(Ops.Binary.ADD, x, y)));
    ps.add(new Primitive("sum ND4J", block, () -> sink += x.sumNumber().doubleValue()));
    ps.add(new Primitive("sum Tessera kernel", block, () -> sink += Kernels.sumAll(x)));
    ps.add(new Primitive("sum(axis 0) ND4J", block, () -> x.sum(0).close()));
    ps.add(new Primitive("sum(axis 0) Tessera kernel", block,
        () -> sink += Kernels.sumColumns(x)[0]));
    ps.add(new Primitive("sum(axis 1) ND4J", block, () -> x.sum(1).close()));
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Primitive p : ps) {
      for (int w = 0; w < 5; w++) {
        p.body.run();   // compiled and in cache, as inside a long workload
      }
      List<Double> r = new ArrayList<>();
      for (int k = 0; k < reps; k++) {
        long c0 = CPU.getCurrentThreadCpuTime();
        p.body.run();
        long c1 = CPU.getCurrentThreadCpuTime();
        r.add(p.bytes / Math.max(1, c1 - c0));
      }
      r.sort(null);
      rates.put(p.name, r.get(r.size() / 2));
    }
    for (INDArray a : new INDArray[] {x, y, out, ba, bb}) {
      a.close();
    }
    if (sink == 42) {
      System.err.print("");   // keeps the sums from being optimized away
    }
    return rates;
  }

  /**
   * Checks the kernels timed here against ND4J on the same blocks (elementwise exactly, sums
   * to 1e-12 relative).
   *
   * @param n the block's edge
   * @return whether every kernel agreed
   */
  public static boolean agree(int n) {
    INDArray x = Nd4j.rand(DataType.DOUBLE, n, n);
    INDArray y = Nd4j.rand(DataType.DOUBLE, n, n);
    INDArray yt = y.transpose();
    INDArray want = x.add(yt.dup('c'));
    boolean ok = want.equals(Kernels.binary(Ops.Binary.ADD, x, yt));
    double s = want.sumNumber().doubleValue();
    ok &= Math.abs(Kernels.sumOfBinary(Ops.Binary.ADD, x, yt) - s) <= 1e-12 * Math.abs(s);
    double sx = x.sumNumber().doubleValue();
    ok &= Math.abs(Kernels.sumAll(x) - sx) <= 1e-12 * Math.abs(sx);
    INDArray cols = x.sum(0);
    double[] kc = Kernels.sumColumns(x);
    for (int j = 0; j < n; j++) {
      ok &= Math.abs(kc[j] - cols.getDouble(j)) <= 1e-12 * Math.abs(cols.getDouble(j));
    }
    return ok;
  }

  /**
   * {@return the ND4J native build loaded: its binary level (1 generic, 2 AVX2, 3 AVX-512)
   * and the JavaCPP platform extension it was chosen by}
   */
  public static String nd4jBuild() {
    Nd4j.create(1);
    int level = NativeOpsHolder.getInstance().getDeviceNativeOps().binaryLevel();
    String ext = System.getProperty(NativeBuild.KEY, "");
    return "level " + level + (level == 3 ? " (AVX-512)" : level == 2 ? " (AVX2)" : " (generic)")
        + ", extension '" + ext + "'";
  }
}
