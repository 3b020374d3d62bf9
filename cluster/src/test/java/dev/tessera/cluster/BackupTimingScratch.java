package dev.tessera.cluster;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupTimingScratch {
  static double[] make(int mb, long salt) {
    double[] a = new double[mb * 131072];
    a[0] = salt;
    return a;
  }

  static void measure(Scheduler s, String name) {
    for (int mb : new int[] {1, 8, 32}) {
      List<Double> plain = new ArrayList<>();
      List<Double> backed = new ArrayList<>();
      for (int rep = 0; rep < 7; rep++) {
        for (int b = 0; b <= 1; b++) {
          Delayed<double[]> x = Delayed.call(BackupTimingScratch::make, Delayed.value(mb),
              Delayed.value(System.nanoTime()));
          long t0 = System.nanoTime();
          Delayed<double[]> k = Tessera.persist(List.of(x), s, PersistOptions.backups(b)).get(0);
          double ms = (System.nanoTime() - t0) / 1e6;
          Tessera.release(k);
          if (rep > 0) {
            (b == 0 ? plain : backed).add(ms);
          }
        }
      }
      Collections.sort(plain);
      Collections.sort(backed);
      System.out.printf("TIMING %s %d MB: persist median %.1f ms, with backups(1) %.1f ms (min %.1f / %.1f)%n",
          name, mb, plain.get(plain.size() / 2), backed.get(backed.size() / 2), plain.get(0), backed.get(0));
    }
  }

  @Test
  void timing() throws Exception {
    try (ProcessScheduler p = Schedulers.processes(2)) {
      measure(p, "processes(2)");
    }
    try (Cluster c = Cluster.local(2)) {
      measure(c, "cluster(2)");
    }
  }
}
