package dev.tessera.bench;

import dev.tessera.bag.Bag;
import dev.tessera.bag.BagShuffleMemory;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * W24 bag_groupby: {@code Bag.range(n, partitions).map(word).groupby(w -> w, out)}, then the
 * total of the groups' sizes and their count (one fold, one compute); the words are {@code n}
 * draws from a vocabulary of {@code vocab} made inside the tasks, so only the shuffle moves
 * data. The shuffle keeps its pieces within {@link BagShuffleMemory#budget()} and spills the
 * rest ({@code budget=BYTES} sets it in this JVM, e.g. {@code budget=0} spills every piece;
 * worker JVMs take {@code -Dtessera.shuffle.memory} from {@code BENCH_JAVA_OPTS}). Extra
 * figures: Melems_per_s, this JVM's CPU seconds and spilled MB per run.
 */
public final class W24 implements Workload {
  @Override
  public String name(Params p) {
    return "bag_groupby";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "4000000");
    d.put("partitions", "8");
    d.put("out", "8");
    d.put("vocab", "50000");
    d.put("budget", "default");
    d.put("scheduler", "threads");
    return d;
  }

  /** Word {@code i} of the draws: a multiplicative hash into the vocabulary. */
  static String word(long i, int vocab) {
    return "w" + Math.floorMod(i * 2654435761L, vocab);
  }

  @Override
  public Trial prepare(Params p) {
    long n = p.getInt("n");
    int partitions = p.getInt("partitions");
    int out = p.getInt("out");
    int vocab = p.getInt("vocab");
    if (!p.get("budget").equals("default")) {
      BagShuffleMemory.setBudget(Long.parseLong(p.get("budget")));
    }
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    List<Double> cpu = new ArrayList<>();
    long spilledBefore = BagShuffleMemory.spilledBytes();
    return new Trial() {
      @Override
      public Object run() {
        long c0 = os.getProcessCpuTime();
        Bag<Map.Entry<String, List<String>>> g = Bag.range(n, partitions)
            .map(i -> word(i, vocab)).groupby(w -> w, out);
        // one reduction for both figures: with two, every group could be held for the second
        long[] r = g.fold(new long[2], (acc, e) -> new long[] {acc[0] + e.getValue().size(),
            acc[1] + 1}, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]}).compute(scheduler);
        cpu.add((os.getProcessCpuTime() - c0) / 1e9);
        return r;
      }

      @Override
      public Map<String, Object> check(Object result) {
        long[] r = (long[]) result;
        Set<String> distinct = new HashSet<>();
        for (long i = 0; i < n; i++) {
          distinct.add(word(i, vocab));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", r[0] == n && r[1] == distinct.size());
        c.put("elements", r[0]);
        c.put("groups", r[1]);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        int runs = all.size() + 1;
        e.put("Melems_per_s", n / 1e6 / median);
        e.put("cpu_seconds_median", Bench.median(cpu.subList(1, cpu.size())));
        e.put("budget_bytes", BagShuffleMemory.budget());
        e.put("spilled_MB_per_run_this_jvm",
            (BagShuffleMemory.spilledBytes() - spilledBefore) / 1e6 / runs);
        if (scheduler instanceof ProcessScheduler ps) {
          e.put("transferred_MB_per_run", ps.transferredBytes() / 1e6 / runs);
        }
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
        BagShuffleMemory.resetBudget();
      }
    };
  }
}
