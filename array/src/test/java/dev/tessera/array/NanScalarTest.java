package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.Schedulers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Arithmetic with a NaN or infinite scalar gives NaN or infinity everywhere, as NumPy does. */
class NanScalarTest {
  @Test
  void nanAndInfinityScalarsPropagate() {
    for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      for (long[] shape : new long[][] {{7}, {5, 3}}) {
        Array x = Array.ones(shape, Chunks.of(shape.length == 1 ? new long[] {3} : new long[] {2, 2}), t);
        for (double s : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
          INDArray[] rs = {
            x.add(s).compute(Schedulers.sync()), x.sub(s).compute(Schedulers.sync()),
            x.mul(s).compute(Schedulers.sync()), x.div(s).compute(Schedulers.sync())
          };
          String[] names = {"add", "sub", "mul", "div"};
          for (int k = 0; k < rs.length; k++) {
            double[] v = rs[k].dup().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .data().asDouble();
            double want = switch (k) {
              case 0 -> 1 + s;
              case 1 -> 1 - s;
              case 2 -> 1 * s;
              default -> 1 / s;
            };
            for (double d : v) {
              assertTrue(Double.compare(d, want) == 0 || (Double.isNaN(want) && Double.isNaN(d)),
                  t + " " + names[k] + "(" + s + ") gave " + d + ", want " + want);
            }
          }
        }
      }
    }
  }
}
