package dev.tessera.bench;

import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.mpi.Mpi;
import dev.tessera.idioms.mpi.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W23 mpi_allreduce: mpi4py's {@code comm.allreduce(a, op=MPI.SUM)} of a float64 array of
 * {@code n} elements on 2 ranks (threads, worker JVMs or cluster nodes). Timed: one whole group
 * ({@code Mpi.run}: start both ranks, fill the arrays, allreduce, return a checksum); also the
 * allreduce alone as rank 0 measures it, an empty group's round trip, and the floor from the
 * same run: copying the array's bytes once through a loopback socket (an allreduce of 2 ranks
 * moves them twice: to the root and back).
 */
public final class W23 implements Workload {
  @Override
  public String name(Params p) {
    return "mpi_allreduce";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "1000000");
    d.put("scheduler", "processes");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    Scheduler scheduler = Engines2.scheduler(p);
    List<Double> inner = new ArrayList<>();
    return new Trial() {
      @Override
      public Object run() {
        List<double[]> out = Mpi.run(scheduler, 2, comm -> {
          double[] a = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = (comm.rank() + 1) * (double) i;
          }
          long t = System.nanoTime();
          double[] sum = comm.allreduce(a, Op.sumArrays());
          long nanos = System.nanoTime() - t;
          // element i is 3i on both ranks: send back the check and the time, not the array
          boolean ok = sum.length == n;
          for (int i = 0; ok && i < n; i++) {
            ok = sum[i] == 3.0 * i;
          }
          return new double[] {ok ? 1 : 0, nanos};
        });
        inner.add(out.get(0)[1] / 1e9);
        return out;
      }

      @Override
      public Map<String, Object> check(Object result) {
        @SuppressWarnings("unchecked")
        List<double[]> out = (List<double[]>) result;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", out.get(0)[0] == 1 && out.get(1)[0] == 1);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        double bytes = 8.0 * n;
        double allreduce = Bench.median(inner.subList(1, inner.size())); // not the warm-up
        e.put("allreduce_seconds_median", allreduce);
        e.put("allreduce_MB_per_s", bytes / 1e6 / allreduce);
        List<Double> empty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          long t = System.nanoTime();
          Mpi.run(scheduler, 2, comm -> comm.rank());
          empty.add((System.nanoTime() - t) / 1e3);
        }
        e.put("empty_group_us_median", Bench.median(empty.subList(10, empty.size())));
        e.put("floor_loopback_MB_per_s", W13.loopbackMBps((long) bytes, 5));
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
