package dev.tessera.array;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain Java loops over float64 blocks' native memory for the hot block operations where
 * ND4J 1.0.0-M2.1 is far from the memory floor: arithmetic with a transposed operand
 * ({@code x + x.T}), sums over all axes, and sums over axis 0 of a matrix. The callers use
 * them only where they apply and fall back to ND4J otherwise.
 *
 * <p>Arithmetic is cache-blocked: the output is written tile by tile ({@value #T} x {@value #T}),
 * so the transposed operand's tile (read down its columns) stays in L1 until all of it is used.
 * (Copying tiles to heap arrays in bulk was slower here: the per-call cost of small bulk copies
 * from native memory outweighed the vectorized loop.) Reductions keep several accumulators so the additions' latency overlaps. Results equal
 * ND4J's up to rounding.
 */
final class Kernels {
  private Kernels() {}

  /** The tile edge: 64 x 64 float64 = 32 KiB per operand tile. */
  static final int T = 64;

  /** A 2-d float64 operand: its memory, the first element's index and two strides. */
  private record Strided(DoubleBuffer buf, int offset, int s0, int s1) {
    static Strided of(INDArray x) {
      return new Strided(x.data().asNioDouble(), (int) x.offset(), x.stride(0),
          x.stride(1));
    }
  }

  /** A 2-d float64 view whose indices fit in an int. */
  private static boolean matrix(INDArray x) {
    return x.rank() == 2 && x.dataType() == DataType.DOUBLE && x.length() > 0
        && x.data().length() <= Integer.MAX_VALUE;
  }

  /**
   * Returns {@code x op y} for ADD, SUB, MUL, DIV of two float64 matrices of one shape of which
   * at least one is not in C order (a transposed block); null otherwise.
   */
  static INDArray binary(Ops.Binary op, INDArray x, INDArray y) {
    if (op.ordinal() > Ops.Binary.DIV.ordinal() || !matrix(x) || !matrix(y)
        || !Nd.sameShape(y, x.shape()) || x.stride(1) == 1 && y.stride(1) == 1) {
      return null;
    }
    int rows = (int) x.size(0);
    int cols = (int) x.size(1);
    INDArray out = Pool.take(DType.FLOAT64, x.shape());
    DoubleBuffer o = out.data().asNioDouble();
    Strided a = Strided.of(x);
    Strided b = Strided.of(y);
    int k = op.ordinal();
    for (int i0 = 0; i0 < rows; i0 += T) {
      int i1 = Math.min(rows, i0 + T);
      for (int j0 = 0; j0 < cols; j0 += T) {
        int j1 = Math.min(cols, j0 + T);
        for (int i = i0; i < i1; i++) {
          tileRow(k, o, i * cols, a, b, i, j0, j1);
        }
      }
    }
    return out;
  }

  /** One row of one tile: out[at + j] = a[i, j] op b[i, j] for j in [j0, j1). */
  private static void tileRow(int op, DoubleBuffer o, int at, Strided a, Strided b, int i,
      int j0, int j1) {
    DoubleBuffer ab = a.buf;
    DoubleBuffer bb = b.buf;
    int pa = a.offset + i * a.s0;
    int pb = b.offset + i * b.s0;
    int sa = a.s1;
    int sb = b.s1;
    switch (op) {
      case 0:
        for (int j = j0; j < j1; j++) {
          o.put(at + j, ab.get(pa + j * sa) + bb.get(pb + j * sb));
        }
        break;
      case 1:
        for (int j = j0; j < j1; j++) {
          o.put(at + j, ab.get(pa + j * sa) - bb.get(pb + j * sb));
        }
        break;
      case 2:
        for (int j = j0; j < j1; j++) {
          o.put(at + j, ab.get(pa + j * sa) * bb.get(pb + j * sb));
        }
        break;
      default:
        for (int j = j0; j < j1; j++) {
          o.put(at + j, ab.get(pa + j * sa) / bb.get(pb + j * sb));
        }
    }
  }

  /** The sum of every element of a whole C-order float64 block. */
  static double sumAll(INDArray x) {
    DoubleBuffer b = x.data().asNioDouble();
    int n = (int) x.length();
    // eight accumulators, each summing every eighth element: the rounding error grows like
    // n / 8 * eps, and the additions into different accumulators overlap
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      s0 += b.get(i);
      s1 += b.get(i + 1);
      s2 += b.get(i + 2);
      s3 += b.get(i + 3);
      s4 += b.get(i + 4);
      s5 += b.get(i + 5);
      s6 += b.get(i + 6);
      s7 += b.get(i + 7);
    }
    for (; i < n; i++) {
      s0 += b.get(i);
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** Whether {@link #sumAll} and {@link #sumColumns} apply: a whole C-order float64 block. */
  static boolean wholeC(INDArray x) {
    // C order, from the buffer's start, as long as the buffer: no room for gaps
    return x.dataType() == DataType.DOUBLE && x.ordering() == 'c' && x.length() > 0
        && x.length() <= Integer.MAX_VALUE && x.data().length() == x.length()
        && x.offset() == 0 && x.elementWiseStride() == 1;
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
