package dev.tessera.bench;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.schedulers.Schedulers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W1c graph_plan: build, optimize and plan, without running, {@code (x + x.T).sum()} over
 * {@code b} x {@code b} blocks of 100 x 100: what a {@code compute()} costs before its first
 * task starts. Each timed run does the three phases in order: build (the collection and its
 * flat task map), optimize ({@link Array#optimize}, what {@code compute()} runs) and plan
 * ({@link ExecutionPlan#of}, the static order schedulers start from). Extra figures: the
 * median of each phase, tasks before and after optimizing, and the CPU time of this thread for
 * build and for optimize + plan (medians).
 */
public final class W1c implements Workload {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  static final long SEED = 3;
  static final long BLOCK = 100;

  @Override
  public String name(Params p) {
    return "graph_plan";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("b", "200");
    return d;
  }

  static Array build(int b) {
    Array x = Array.uniform(SEED, new long[] {b * BLOCK, b * BLOCK}, Chunks.of(BLOCK, BLOCK));
    return x.add(x.T()).sum();
  }

  @Override
  public Trial prepare(Params p) {
    int b = p.getInt("b");
    List<Double> builds = new ArrayList<>();
    List<Double> optimizes = new ArrayList<>();
    List<Double> plans = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    int[] counts = new int[3];
    return new Trial() {
      @Override
      public Object run() {
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Array y = build(b);
        TaskGraph g = y.graph();
        counts[0] = g.size();   // the flat view is part of building
        long t1 = System.nanoTime();
        long c1 = CPU.getCurrentThreadCpuTime();
        List<Key> keys = y.outputKeys();
        TaskGraph optimized = y.optimize(g, keys);
        counts[1] = optimized.size();
        long t2 = System.nanoTime();
        ExecutionPlan plan = ExecutionPlan.of(optimized, keys);
        counts[2] = plan.size();
        long t3 = System.nanoTime();
        long c3 = CPU.getCurrentThreadCpuTime();
        cpu.add((c1 - c0) / 1e9);
        cpu.add((c3 - c1) / 1e9);
        builds.add((t1 - t0) / 1e9);
        optimizes.add((t2 - t1) / 1e9);
        plans.add((t3 - t2) / 1e9);
        return counts.clone();
      }

      @Override
      public Map<String, Object> check(Object result) {
        int[] c = (int[]) result;
        // the planned graph must compute the same value as the unoptimized definition: checked
        // on a small grid, where running is cheap (sync scheduler, ragged-free 6 x 6 blocks)
        Array small = build(6);
        double optimized = small.compute(Schedulers.sync()).getDouble(0);
        double direct = W1c.direct(6);
        boolean ok = c[1] == c[2] && c[1] <= c[0]
            && Math.abs(optimized - direct) <= 1e-9 * Math.abs(direct);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", ok);
        m.put("planned_tasks", c[2]);
        m.put("small_sum", optimized);
        m.put("small_sum_direct", direct);
        return m;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        // the first entry is the warm-up run
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("build_seconds", Bench.median(builds.subList(1, builds.size())));
        e.put("optimize_seconds", Bench.median(optimizes.subList(1, optimizes.size())));
        e.put("plan_seconds", Bench.median(plans.subList(1, plans.size())));
        // this thread's CPU time, less disturbed than wall time on a shared machine
        List<Double> buildCpu = new ArrayList<>();
        List<Double> optimizePlanCpu = new ArrayList<>();
        for (int i = 2; i < cpu.size(); i += 2) {
          buildCpu.add(cpu.get(i));
          optimizePlanCpu.add(cpu.get(i + 1));
        }
        e.put("build_cpu_seconds", Bench.median(buildCpu));
        e.put("optimize_plan_cpu_seconds", Bench.median(optimizePlanCpu));
        e.put("tasks_before", counts[0]);
        e.put("tasks_after", counts[1]);
        return e;
      }
    };
  }

  /** {@code sum(x + x.T)} computed without chunks: the whole x in one ND4J array. */
  static double direct(int b) {
    Array x = Array.uniform(SEED, new long[] {b * BLOCK, b * BLOCK}, Chunks.of(BLOCK, BLOCK));
    var whole = x.compute(Schedulers.sync());
    return whole.add(whole.transpose()).sumNumber().doubleValue();
  }
}
