package dev.tessera.examples;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.array.Index;
import dev.tessera.array.Linalg;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tour stop: chunked arrays on ND4J. */
public final class ArrayTour {
  private ArrayTour() {}

  /** Runs the stop: a random array built, reduced, sliced and factored block by block. */
  public static void run() {
    System.out.println();
    System.out.println("Arrays: a lazy grid of ND4J blocks; every operation adds tasks");
    // 4000 x 4000 uniform numbers in 16 blocks, each generated inside its own task
    Array x = Array.uniform(42, new long[] {4000, 4000}, Chunks.of(1000, 1000));
    Array sym = x.add(x.T());
    Array total = sym.sum();
    Array colMeans = x.mean(0);
    Array corner = x.get(Index.step(2), Index.slice(100, 3000)).rechunk(Chunks.of(2000, 500));
    List<INDArray> out = Array.compute(total, colMeans, corner.std());
    System.out.printf("   (x + x.T).sum() = %.1f   (expected about n^2 = %d; %d tasks)%n",
        out.get(0).getDouble(0), 4000L * 4000, total.graph().size());
    System.out.printf("   x.mean(axis 0): %d column means, first %.4f   (uniform: about 0.5)%n",
        out.get(1).length(), out.get(1).getDouble(0));
    System.out.printf("   x[::2, 100:3000].rechunk(2000, 500).std() = %.4f   (sqrt(1/12) = %.4f)%n",
        out.get(2).getDouble(0), Math.sqrt(1.0 / 12));
    Array tall = Array.normal(7, 0, 1, new long[] {20000, 50}, Chunks.of(5000, 50),
        DType.FLOAT64);
    Linalg.QR qr = Linalg.qr(tall);
    List<INDArray> f = Array.compute(qr.q(), qr.r(), tall);
    double err = f.get(0).mmul(f.get(1)).subi(f.get(2)).norm2Number().doubleValue()
        / f.get(2).norm2Number().doubleValue();
    System.out.printf("   TSQR of a 20000 x 50 array in 4 row blocks: ||QR - A|| / ||A|| = %.1e%n",
        err);
  }
}
