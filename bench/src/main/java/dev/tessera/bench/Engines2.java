package dev.tessera.bench;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.Engines;
import dev.tessera.schedulers.ProcessOptions;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What W21, W22 and W23 share: their scheduler of 2 engines and the SPI's round trip. */
final class Engines2 {
  private Engines2() {}

  static Scheduler scheduler(Params p) {
    return switch (p.get("scheduler")) {
      case "processes" -> Schedulers.processes(ProcessOptions.builder().workers(2)
          .jvmArgs("-Xmx2g").build());
      case "threads" -> Schedulers.threads(2);
      case "cluster" -> W1.localCluster(); // 2 Ignite worker nodes, one engine each
      default -> throw new IllegalArgumentException("scheduler=" + p.get("scheduler")
          + ": expected processes, threads or cluster");
    };
  }

  /** The median round trip of a bare engine call on engine 0 (no metadata, no capture). */
  static double spiRoundTripMicros(Scheduler s, int rounds) throws Exception {
    Engines e = s.engines().orElseThrow();
    List<Double> times = new ArrayList<>(rounds);
    for (int i = 0; i < rounds + 20; i++) {
      int k = i;
      long t = System.nanoTime();
      int v = e.call(0, c -> k + 1).get(60, TimeUnit.SECONDS);
      double us = (System.nanoTime() - t) / 1e3;
      if (v != i + 1) {
        throw new IllegalStateException("engine call " + i + " returned " + v);
      }
      if (i >= 20) {
        times.add(us);
      }
    }
    return Bench.median(times);
  }
}
