package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.DType;
import dev.tessera.array.Linalg;
import dev.tessera.graph.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * W6 qr: {@code q, r = qr(A)}, {@code A = random((m, n), chunks=(cr, n))}, both materialized
 * (A is generated inside the graph each run). The check: the reconstruction error
 * ||QR - A|| / ||A|| against A computed directly, and the orthonormality of Q. Floor: the
 * GFLOP/s of an unchunked ND4J mmul of n x n matrices.
 */
public final class W6 implements Workload {
  @Override
  public String name(Params p) {
    return "qr";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("m", "100000");
    d.put("n", "1000");
    d.put("cr", "10000");
    d.put("scheduler", "threads");
    d.put("nd4j_threads", "1");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    long m = p.getInt("m");
    long n = p.getInt("n");
    long cr = p.getInt("cr");
    Array a = Array.uniform(6, 0, 1, new long[] {m, n}, Chunks.of(cr, n), DType.FLOAT64);
    INDArray sq = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, n, n);
    double floor = W4.mmulGflops(sq, sq, n);
    Scheduler scheduler = W2.scheduler(p);
    Linalg.QR qr = Linalg.qr(a);
    return new Trial() {
      @Override
      public Object run() {
        return dev.tessera.graph.Tessera.compute(List.of(qr.q(), qr.r()), scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) {
        List<?> qrv = (List<?>) result;
        INDArray direct = a.compute(scheduler);
        INDArray q = (INDArray) qrv.get(0);
        double err = q.mmul((INDArray) qrv.get(1)).subi(direct).norm2Number().doubleValue()
            / direct.norm2Number().doubleValue();
        double orth = q.transpose().mmul(q).subi(Nd4j.eye(n).castTo(q.dataType()))
            .norm2Number().doubleValue();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", err < 1e-10 && orth < 1e-10);
        r.put("reconstruction_error", err);
        r.put("orthonormality_error", orth);
        return r;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("floor_unchunked_mmul_GFLOP_per_s", floor);
        e.put("blas_library", Machine.blasLibrary());
        e.put("dask_seconds", 22.5);
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
