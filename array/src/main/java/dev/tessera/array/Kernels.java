package dev.tessera.array;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain Java loops over float64 and float32 blocks' native memory for the hot block operations
 * where ND4J 1.0.0-M2.1 is far from the memory floor: arithmetic with a transposed operand
 * ({@code x + x.T}), the sum of an elementwise operation's result without writing it
 * ({@code (x + y).sum()}, fused by {@link Fusion}), sums over all axes, and sums over axis 0 of
 * a matrix. The callers use them only where they apply and fall back to ND4J otherwise.
 *
 * <p>The loops read native memory with {@code sun.misc.Unsafe}'s {@code getDouble(address)}
 * (through method handles, found by reflection: no compiler warning, and no kernel at all
 * where it is missing): measured on an Intel Xeon (docs/native-libraries.md), a whole-block sum
 * ran at 2-4x the speed of {@code DoubleBuffer.get(int)}, whose per-access checks C2 does not
 * remove. Every address is checked against the block's buffer before a loop starts: a
 * kernel never reads outside it.
 *
 * <p>Strided operands (a transposed block) are walked in groups of {@value #ROWS} rows: along
 * a row group, a C-order operand is read as {@value #ROWS} sequential streams and a transposed
 * one as one cache line per step (its {@value #ROWS} elements of a column are adjacent), over
 * stripes of {@value #STRIPE} columns so that the lines of a stripe are still cached when the
 * next row group uses them. Reductions keep several accumulators so the additions' latency
 * overlaps; their order depends only on the blocks' shapes and strides, so the same chunks give
 * the same answer on every scheduler and machine. Elementwise results equal ND4J's exactly.
 */
final class Kernels {
  private Kernels() {}

  /** Rows walked together over a stripe. */
  static final int ROWS = 8;

  /** Columns per stripe: the stripe's lines of a transposed operand stay in L1/L2. */
  static final int STRIPE = 128;

  /** Rows per panel: a transposed operand's panel of a stripe (256 KiB) is read ahead. */
  static final int PANEL = 256;

  /** Where {@link #keep} puts what no one needs (volatile: the reads that made it happen). */
  private static volatile double sink;

  private static final MethodHandle GET_D;
  private static final MethodHandle PUT_D;
  private static final MethodHandle GET_F;
  private static final MethodHandle PUT_F;
  private static final MethodHandle COPY;

  /** Whether raw memory access is available (it is on every HotSpot JDK 17). */
  static final boolean RAW;

  static {
    MethodHandle gd = null;
    MethodHandle pd = null;
    MethodHandle gf = null;
    MethodHandle pf = null;
    MethodHandle cp = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Object u = f.get(null);
      MethodHandles.Lookup l = MethodHandles.lookup();
      gd = l.findVirtual(c, "getDouble", MethodType.methodType(double.class, long.class))
          .bindTo(u);
      pd = l.findVirtual(c, "putDouble", MethodType.methodType(void.class, long.class,
          double.class)).bindTo(u);
      gf = l.findVirtual(c, "getFloat", MethodType.methodType(float.class, long.class))
          .bindTo(u);
      pf = l.findVirtual(c, "putFloat", MethodType.methodType(void.class, long.class,
          float.class)).bindTo(u);
      cp = l.findVirtual(c, "copyMemory", MethodType.methodType(void.class, long.class,
          long.class, long.class)).bindTo(u);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      gd = null;   // no raw access: every caller falls back to ND4J
    }
    RAW = gd != null && pd != null && gf != null && pf != null && cp != null;
    GET_D = gd;
    PUT_D = pd;
    GET_F = gf;
    PUT_F = pf;
    COPY = cp;
  }

  private static double gd(long p) {
    try {
      return (double) GET_D.invokeExact(p);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static void pd(long p, double v) {
    try {
      PUT_D.invokeExact(p, v);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static float gf(long p) {
    try {
      return (float) GET_F.invokeExact(p);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static void pf(long p, float v) {
    try {
      PUT_F.invokeExact(p, v);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * A 2-d operand in native memory: its first element's address, its strides in bytes, its
   * shape, and the array that owns the memory (kept reachable until the loop ends).
   */
  private record Mat(long at, long s0, long s1, int rows, int cols, INDArray owner) {
    /** The operand, or null if it is not a 2-d float64/float32 view inside its buffer. */
    static Mat of(INDArray x) {
      if (!RAW || x.rank() != 2 || x.length() == 0
          || x.dataType() != DataType.DOUBLE && x.dataType() != DataType.FLOAT) {
        return null;
      }
      long r = x.size(0);
      long c = x.size(1);
      long t0 = r == 1 ? 0 : x.stride(0);
      long t1 = c == 1 ? 0 : x.stride(1);
      if (r > Integer.MAX_VALUE || c > Integer.MAX_VALUE || t0 < 0 || t1 < 0 || x.offset() < 0
          || x.data().address() == 0) {
        return null;
      }
      // the last element must lie inside the buffer: no loop reads outside it (a view's
      // buffer may be shorter than the memory at its address: then the buffer it views)
      DataBuffer d = x.data();
      long length = d.length();
      DataBuffer u = d.underlyingDataBuffer();
      if (u != null && u.address() == d.address()) {
        length = Math.max(length, u.length());
      }
      if (x.offset() + (r - 1) * t0 + (c - 1) * t1 >= length) {
        return null;
      }
      long w = x.dataType().width();
      return new Mat(x.data().address() + x.offset() * w, t0 * w, t1 * w, (int) r, (int) c, x);
    }
  }

  /**
   * Reads one element per cache line of a column-contiguous operand's panel (rows
   * {@code [i0, i1)} of columns {@code [j0, j1)}), column by column, so that the row groups
   * then find its lines cached: read in the row groups' order, one line per row of a
   * transposed block, the hardware prefetchers do not follow and each line waited for memory
   * (measured on an Intel Xeon, blocks in main memory: the fused sum of x + y.T 2.1-2.4 GB/s
   * without, 2.7-3.7 with). Row-contiguous operands stream well already: left alone.
   */
  private static double touch(Mat m, int i0, int i1, int j0, int j1) {
    if (m.s0 >= m.s1 || m.s0 == 0) {
      return 0;
    }
    double t = 0;
    for (int j = j0; j < j1; j++) {
      long p = m.at + j * m.s1 + i0 * m.s0;
      long last = m.at + j * m.s1 + (i1 - 1) * m.s0;   // every address read lies in [p, last]
      for (; p <= last; p += 64) {
        t += gf(p);   // 4 bytes: inside the buffer for float32 elements too
      }
    }
    return t;
  }

  /** Keeps the touching reads from being optimized away (their sum is never used). */
  private static void keep(double touched) {
    if (touched == 42.4242) {
      sink = touched;
    }
  }

  private static double op(int k, double a, double b) {
    return k == 0 ? a + b : k == 1 ? a - b : k == 2 ? a * b : a / b;
  }

  private static float op(int k, float a, float b) {
    return k == 0 ? a + b : k == 1 ? a - b : k == 2 ? a * b : a / b;
  }

  /** Whether {@code op} is one of ADD, SUB, MUL, DIV. */
  static boolean arithmetic(Ops.Binary op) {
    return op.ordinal() <= Ops.Binary.DIV.ordinal();
  }

  /**
   * Returns {@code x op y} for ADD, SUB, MUL, DIV of two float64 (or two float32) matrices of
   * one shape of which at least one is not in C order (a transposed block); null otherwise.
   */
  static INDArray binary(Ops.Binary op, INDArray x, INDArray y) {
    if (!arithmetic(op) || x.dataType() != y.dataType() || !Nd.sameShape(y, x.shape())
        || x.rank() == 2 && x.stride(1) == 1 && y.stride(1) == 1) {
      return null;
    }
    Mat a = Mat.of(x);
    Mat b = Mat.of(y);
    if (a == null || b == null) {
      return null;
    }
    boolean f32 = x.dataType() == DataType.FLOAT;
    INDArray out = Pool.take(f32 ? DType.FLOAT32 : DType.FLOAT64, x.shape());
    Mat o = Mat.of(out);
    if (o == null) {
      Pool.give(out);
      return null;
    }
    if (f32) {
      binary32(op.ordinal(), a, b, o);
    } else {
      binary64(op.ordinal(), a, b, o);
    }
    Reference.reachabilityFence(a.owner);
    Reference.reachabilityFence(b.owner);
    Reference.reachabilityFence(o.owner);
    return out;
  }

  private static void binary64(int k, Mat a, Mat b, Mat o) {
    double touched = 0;
    int rows = a.rows;
    int cols = a.cols;
    long a0 = a.s0;
    long b0 = b.s0;
    long o0 = o.s0;
    for (int j0 = 0; j0 < cols; j0 += STRIPE) {
      int j1 = Math.min(cols, j0 + STRIPE);
      for (int i0 = 0; i0 < rows; i0 += PANEL) {
        int i1 = Math.min(rows, i0 + PANEL);
        touched += touch(a, i0, i1, j0, j1) + touch(b, i0, i1, j0, j1);
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
          long pa = a.at + i * a0;
          long pb = b.at + i * b0;
          long po = o.at + i * o0;
          for (int j = j0; j < j1; j++) {
            long qa = pa + j * a.s1;
            long qb = pb + j * b.s1;
            long qo = po + j * o.s1;
            pd(qo, op(k, gd(qa), gd(qb)));
            pd(qo + o0, op(k, gd(qa + a0), gd(qb + b0)));
            pd(qo + 2 * o0, op(k, gd(qa + 2 * a0), gd(qb + 2 * b0)));
            pd(qo + 3 * o0, op(k, gd(qa + 3 * a0), gd(qb + 3 * b0)));
            pd(qo + 4 * o0, op(k, gd(qa + 4 * a0), gd(qb + 4 * b0)));
            pd(qo + 5 * o0, op(k, gd(qa + 5 * a0), gd(qb + 5 * b0)));
            pd(qo + 6 * o0, op(k, gd(qa + 6 * a0), gd(qb + 6 * b0)));
            pd(qo + 7 * o0, op(k, gd(qa + 7 * a0), gd(qb + 7 * b0)));
          }
        }
        for (; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            pd(o.at + i * o0 + j * o.s1, op(k, gd(a.at + i * a0 + j * a.s1),
                gd(b.at + i * b0 + j * b.s1)));
          }
        }
      }
    }
    keep(touched);
  }

  private static void binary32(int k, Mat a, Mat b, Mat o) {
    double touched = 0;
    int rows = a.rows;
    int cols = a.cols;
    long a0 = a.s0;
    long b0 = b.s0;
    long o0 = o.s0;
    for (int j0 = 0; j0 < cols; j0 += STRIPE) {
      int j1 = Math.min(cols, j0 + STRIPE);
      for (int i0 = 0; i0 < rows; i0 += PANEL) {
        int i1 = Math.min(rows, i0 + PANEL);
        touched += touch(a, i0, i1, j0, j1) + touch(b, i0, i1, j0, j1);
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
          long pa = a.at + i * a0;
          long pb = b.at + i * b0;
          long po = o.at + i * o0;
          for (int j = j0; j < j1; j++) {
            long qa = pa + j * a.s1;
            long qb = pb + j * b.s1;
            long qo = po + j * o.s1;
            pf(qo, op(k, gf(qa), gf(qb)));
            pf(qo + o0, op(k, gf(qa + a0), gf(qb + b0)));
            pf(qo + 2 * o0, op(k, gf(qa + 2 * a0), gf(qb + 2 * b0)));
            pf(qo + 3 * o0, op(k, gf(qa + 3 * a0), gf(qb + 3 * b0)));
            pf(qo + 4 * o0, op(k, gf(qa + 4 * a0), gf(qb + 4 * b0)));
            pf(qo + 5 * o0, op(k, gf(qa + 5 * a0), gf(qb + 5 * b0)));
            pf(qo + 6 * o0, op(k, gf(qa + 6 * a0), gf(qb + 6 * b0)));
            pf(qo + 7 * o0, op(k, gf(qa + 7 * a0), gf(qb + 7 * b0)));
          }
        }
        for (; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            pf(o.at + i * o0 + j * o.s1, op(k, gf(a.at + i * a0 + j * a.s1),
                gf(b.at + i * b0 + j * b.s1)));
          }
        }
      }
    }
    keep(touched);
  }

  /**
   * Returns the sum of every element of {@code x op y} (ADD, SUB, MUL, DIV; two float64 or two
   * float32 matrices of one shape, any strides) without writing {@code x op y} anywhere; null
   * when that does not apply. Each element of {@code x op y} is computed in the operands' type,
   * exactly as the unfused operation computes it; the sum is accumulated in float64.
   */
  static Double sumOfBinary(Ops.Binary op, INDArray x, INDArray y) {
    if (!arithmetic(op) || x.dataType() != y.dataType() || !Nd.sameShape(y, x.shape())) {
      return null;
    }
    Mat a = Mat.of(x);
    Mat b = Mat.of(y);
    if (a == null || b == null) {
      return null;
    }
    double s = x.dataType() == DataType.FLOAT ? sum32(op.ordinal(), a, b)
        : sum64(op.ordinal(), a, b);
    Reference.reachabilityFence(a.owner);
    Reference.reachabilityFence(b.owner);
    return s;
  }

  private static double sum64(int k, Mat a, Mat b) {
    double touched = 0;
    int rows = a.rows;
    int cols = a.cols;
    long a0 = a.s0;
    long b0 = b.s0;
    // one accumulator per row of a group: every element of a row goes to the same one
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    for (int j0 = 0; j0 < cols; j0 += STRIPE) {
      int j1 = Math.min(cols, j0 + STRIPE);
      for (int i0 = 0; i0 < rows; i0 += PANEL) {
        int i1 = Math.min(rows, i0 + PANEL);
        touched += touch(a, i0, i1, j0, j1) + touch(b, i0, i1, j0, j1);
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
          long pa = a.at + i * a0;
          long pb = b.at + i * b0;
          for (int j = j0; j < j1; j++) {
            long qa = pa + j * a.s1;
            long qb = pb + j * b.s1;
            s0 += op(k, gd(qa), gd(qb));
            s1 += op(k, gd(qa + a0), gd(qb + b0));
            s2 += op(k, gd(qa + 2 * a0), gd(qb + 2 * b0));
            s3 += op(k, gd(qa + 3 * a0), gd(qb + 3 * b0));
            s4 += op(k, gd(qa + 4 * a0), gd(qb + 4 * b0));
            s5 += op(k, gd(qa + 5 * a0), gd(qb + 5 * b0));
            s6 += op(k, gd(qa + 6 * a0), gd(qb + 6 * b0));
            s7 += op(k, gd(qa + 7 * a0), gd(qb + 7 * b0));
          }
        }
        for (; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            s0 += op(k, gd(a.at + i * a0 + j * a.s1), gd(b.at + i * b0 + j * b.s1));
          }
        }
      }
    }
    keep(touched);
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  private static double sum32(int k, Mat a, Mat b) {
    double touched = 0;
    int rows = a.rows;
    int cols = a.cols;
    long a0 = a.s0;
    long b0 = b.s0;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    for (int j0 = 0; j0 < cols; j0 += STRIPE) {
      int j1 = Math.min(cols, j0 + STRIPE);
      for (int i0 = 0; i0 < rows; i0 += PANEL) {
        int i1 = Math.min(rows, i0 + PANEL);
        touched += touch(a, i0, i1, j0, j1) + touch(b, i0, i1, j0, j1);
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
          long pa = a.at + i * a0;
          long pb = b.at + i * b0;
          for (int j = j0; j < j1; j++) {
            long qa = pa + j * a.s1;
            long qb = pb + j * b.s1;
            s0 += op(k, gf(qa), gf(qb));
            s1 += op(k, gf(qa + a0), gf(qb + b0));
            s2 += op(k, gf(qa + 2 * a0), gf(qb + 2 * b0));
            s3 += op(k, gf(qa + 3 * a0), gf(qb + 3 * b0));
            s4 += op(k, gf(qa + 4 * a0), gf(qb + 4 * b0));
            s5 += op(k, gf(qa + 5 * a0), gf(qb + 5 * b0));
            s6 += op(k, gf(qa + 6 * a0), gf(qb + 6 * b0));
            s7 += op(k, gf(qa + 7 * a0), gf(qb + 7 * b0));
          }
        }
        for (; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            s0 += op(k, gf(a.at + i * a0 + j * a.s1), gf(b.at + i * b0 + j * b.s1));
          }
        }
      }
    }
    keep(touched);
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /**
   * Copies {@code src} into {@code dst} (two 2-d float64 or two float32 views of one shape,
   * each with contiguous rows, as slices and blocks are) row by row with {@code memcpy};
   * returns false, copying nothing, otherwise. ND4J's {@code assign} from a view with strided
   * rows ran at 2.2-2.6 GB/s on an Intel Xeon (one 1000 x 1000 piece of {@code x[::2]}), the
   * rate a rechunk after a slice copies at.
   */
  static boolean copy(INDArray dst, INDArray src) {
    if (src.dataType() != dst.dataType() || !Nd.sameShape(src, dst.shape())
        || Release.overlaps(dst, src)) {
      return false;
    }
    Mat d = Mat.of(dst);
    Mat s = Mat.of(src);
    long w = src.dataType().width();
    if (d == null || s == null || d.cols > 1 && (d.s1 != w || s.s1 != w)) {
      return false;
    }
    long bytes = d.cols * w;
    try {
      for (int i = 0; i < d.rows; i++) {
        COPY.invokeExact(s.at + i * s.s0, d.at + i * d.s0, bytes);
      }
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
    Reference.reachabilityFence(d.owner);
    Reference.reachabilityFence(s.owner);
    return true;
  }

  /** The sum of every element of a whole C-order float64 block ({@link #wholeC}). */
  static double sumAll(INDArray x) {
    long p = x.data().address();
    long n = x.length();
    // sixteen accumulators, each summing every sixteenth element: the rounding error grows
    // like n / 16 * eps, and sixteen independent additions keep both adders busy
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
    long end = p + 8 * n;
    long q = p;
    for (; q + 128 <= end; q += 128) {
      s0 += gd(q);
      s1 += gd(q + 8);
      s2 += gd(q + 16);
      s3 += gd(q + 24);
      s4 += gd(q + 32);
      s5 += gd(q + 40);
      s6 += gd(q + 48);
      s7 += gd(q + 56);
      t0 += gd(q + 64);
      t1 += gd(q + 72);
      t2 += gd(q + 80);
      t3 += gd(q + 88);
      t4 += gd(q + 96);
      t5 += gd(q + 104);
      t6 += gd(q + 112);
      t7 += gd(q + 120);
    }
    for (; q < end; q += 8) {
      s0 += gd(q);
    }
    Reference.reachabilityFence(x);
    return (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)))
        + (((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7)));
  }

  /** Whether {@link #sumAll} and {@link #sumColumns} apply: a whole C-order float64 block. */
  static boolean wholeC(INDArray x) {
    // C order, from the buffer's start, as long as the buffer: no room for gaps
    return RAW && x.dataType() == DataType.DOUBLE && x.ordering() == 'c' && x.length() > 0
        && x.length() <= Integer.MAX_VALUE && x.data().length() == x.length()
        && x.offset() == 0 && x.elementWiseStride() == 1 && x.data().address() != 0;
  }

  /**
   * Sums a whole C-order float64 matrix over axis 0: each row is added to a row of
   * accumulators, so every column has its own, and the loop over a row vectorizes. (Over axis
   * 1, ND4J's own loop was faster than plain Java here: it is left to ND4J.)
   */
  static double[] sumColumns(INDArray x) {
    DoubleBuffer b = x.data().asNioDouble();
    int rows = (int) x.size(0);
    int cols = (int) x.size(1);
    double[] acc = new double[cols];
    double[] row = new double[cols];
    for (int i = 0; i < rows; i++) {
      b.get(i * cols, row, 0, cols);
      for (int j = 0; j < cols; j++) {
        acc[j] += row[j];
      }
    }
    return acc;
  }
}
