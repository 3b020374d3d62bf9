package dev.tessera.examples.tutorials;

import dev.tessera.graph.Scheduler;
import dev.tessera.idioms.mpi.Mpi;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seed 002 ("Parallel Python", its MPI4Py part): the tutorial's recipe, "1. slice the
 * coordinates for the processes, 2. scatter the sliced pieces, 3. compute on each process,
 * 4. gather the results to the master process, 5. collect them into one list", applied to the
 * Mandelbrot set of {@link Mandelbrot}: rank 0 builds the raveled coordinates, cuts them into
 * {@code size} slices of {@code dn} points ({@code npairs // nprocs}, one more when it does not
 * divide), {@code comm.scatter}s them, every rank counts its slice, and {@code comm.gather}
 * brings the counts back to rank 0, which joins them into the image. The image must equal the
 * serial one. Run it with {@code ./examples/run MandelbrotMpi [width=1200] [iters=500]}.
 */
public final class MandelbrotMpi {
  private MandelbrotMpi() {}

  /** The SPMD program on {@code ranks} ranks of {@code scheduler}; rank 0's image, in rows. */
  static int[][] mpi(Scheduler scheduler, int ranks, Mandelbrot.Grid g) {
    List<int[][]> results = Mpi.run(scheduler, ranks, comm -> {
      int rank = comm.rank();                      // rank = comm.Get_rank()
      int nprocs = comm.size();                    // nprocs = comm.Get_size()
      List<double[][]> data = null;
      if (rank == 0) {                             // if rank == 0: coord_pairs = ...
        int npairs = g.width() * g.height();
        int dn = npairs / nprocs;                  // dn = npairs // nprocs
        if (npairs % nprocs != 0) {
          dn += 1;
        }
        data = new ArrayList<>();                  // data = [coord_pairs[x*dn:(x+1)*dn] ...]
        for (int x = 0; x < nprocs; x++) {
          int lo = Math.min(npairs, x * dn);
          int hi = Math.min(npairs, (x + 1) * dn);
          double[][] slice = new double[2][hi - lo];
          for (int p = lo; p < hi; p++) {
            slice[0][p - lo] = g.x(p % g.width());
            slice[1][p - lo] = g.y(p / g.width());
          }
          data.add(slice);
        }
      }
      double[][] mine = comm.scatter(data, 0);     // data = comm.scatter(data, root=0)
      int[] result = new int[mine[0].length];      // result = [calc(p) for p in data]
      for (int i = 0; i < result.length; i++) {
        result[i] = Mandelbrot.mandel1(mine[0][i], mine[1][i], g.iters());
      }
      List<int[]> gathered = comm.gather(result, 0);   // result = comm.gather(result, root=0)
      if (rank != 0) {
        return null;
      }
      int[][] im = new int[g.height()][g.width()];     // output += a, reshaped to rows
      int p = 0;
      for (int[] a : gathered) {
        for (int v : a) {
          im[p / g.width()][p % g.width()] = v;
          p++;
        }
      }
      return im;
    });
    return results.get(0);
  }

  /**
   * Runs the example.
   *
   * @param args {@code width=N} (points per row, default 1200), {@code iters=N} (default 500)
   */
  public static void main(String[] args) {
    Cli cli = Cli.of(args);
    Mandelbrot.Grid g = new Mandelbrot.Grid(cli.integer("width", 1200),
        cli.integer("iters", 500));
    System.out.printf("Mandelbrot set by MPI-style scatter/gather, %d x %d points%n",
        g.width(), g.height());
    int[][] serial = Mandelbrot.serial(g);
    Scheduler threads = Schedulers.shared();
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      Stopwatch.check("2 ranks on threads == serial", Arrays.deepEquals(mpi(threads, 2, g),
          serial), "all " + g.width() * g.height() + " points");
      Stopwatch.check("2 ranks on worker JVMs == serial", Arrays.deepEquals(mpi(jvms, 2, g),
          serial), "all " + g.width() * g.height() + " points");
      System.out.println("  points inside the set: " + Mandelbrot.inside(serial, g.iters()));
      Stopwatch.report("Mandelbrot by MPI", Stopwatch.median(3, () -> Mandelbrot.serial(g)),
          "2 ranks on threads", Stopwatch.median(3, () -> mpi(threads, 2, g)),
          "2 ranks on 2 JVMs", Stopwatch.median(3, () -> mpi(jvms, 2, g)));
    }
  }
}
