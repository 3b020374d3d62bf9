package dev.tessera.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one workload and prints one JSON line on stdout (logs go to stderr):
 * {@code bench/run W1 n=100000 repeats=5}. Protocol: one untimed warm-up, then {@code repeats}
 * timed runs (default 3), median reported; a workload too long to run twice (W25) may skip the
 * warm-up and default to one run ({@link Workload#warmUp}, {@link Workload#defaultRepeats}).
 */
public final class Bench {
  private Bench() {}

  /**
   * Entry point.
   *
   * @param args the workload id (or {@code gen-data}) and {@code key=value} parameters
   * @throws Exception when the workload fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: bench/run ID [key=value ...]   (ID: W1, W1b, ..., gen-data)");
      System.exit(2);
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (String a : Arrays.copyOfRange(args, 1, args.length)) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        System.err.println("bad parameter '" + a + "': expected key=value");
        System.exit(2);
      }
      given.put(a.substring(0, eq), a.substring(eq + 1));
    }
    if (args[0].equals("gen-data")) {
      GenData.main(given);
      return;
    }
    if (args[0].equals("gen-parquet")) { // W7p's Parquet copy of the CSV data
      W7p.gen(given);
      return;
    }
    Workload w = find(args[0]);
    int repeats = Integer.parseInt(given.getOrDefault("repeats",
        String.valueOf(w.defaultRepeats())));
    given.remove("repeats");
    Map<String, String> merged = new LinkedHashMap<>(w.defaults());
    for (String k : given.keySet()) {
      if (!merged.containsKey(k)) {
        System.err.println("unknown parameter '" + k + "' for " + args[0] + "; known: "
            + w.defaults().keySet() + " and repeats");
        System.exit(2);
      }
    }
    merged.putAll(given);
    Params p = new Params(merged);
    System.out.println(run(w, p, repeats));
  }

  static String run(Workload w, Params p, int repeats) throws Exception {
    try (Trial trial = w.prepare(p)) {
      boolean warmUp = w.warmUp(p);
      Object answer = null;
      if (warmUp) {
        System.err.println("[bench] " + w.name(p) + " " + p.asMap() + ": warm-up");
        answer = trial.run();
      }
      List<Double> times = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        answer = trial.run();
        double s = (System.nanoTime() - t0) / 1e9;
        times.add(s);
        cpu.add((processCpuNanos() - c0) / 1e9);
        System.err.printf("[bench] run %d: %.4f s%n", r + 1, s);
      }
      double median = median(times);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("workload", w.name(p));
      out.put("params", p.asMap());
      out.put("seconds_median", median);
      out.put("seconds_all", times);
      // this JVM's peak resident set over the runs, before the check (which, in a workload
      // such as W11, reads the whole input again on its own and would count as Tessera's)
      long peakRss = Machine.peakRssBytes();
      out.put("result_check", trial.check(answer));
      if (!warmUp) {
        out.put("warm_up", false); // the contract's protocol warms up: say when it did not
      }
      out.putAll(trial.extras(median, times));
      // where the figures come from: on a shared machine, CPU seconds say how much of the
      // wall time this JVM actually ran
      if (peakRss > 0) {
        out.put("peak_rss_MB_runs", peakRss / 1e6);
      }
      out.put("cpu_model", Machine.cpuModel());
      out.put("cpu_simd", Machine.cpuSimd());
      out.put("process_cpu_seconds_median", median(cpu));
      Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
      return gson.toJson(out);
    }
  }

  /**
   * Returns the median of some numbers.
   *
   * @param xs the numbers, not empty
   * @return their median
   */
  public static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int m = a.length / 2;
    return a.length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
  }

  /** This JVM's CPU time in all its threads (not its child processes), in nanoseconds. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() : 0;
  }

  static Workload find(String id) {
    try {
      return (Workload) Class.forName("dev.tessera.bench." + id).getDeclaredConstructor()
          .newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no workload " + id + " (see shared WORKLOADS.md; a"
          + " workload Wn is the class dev.tessera.bench.Wn)");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create workload " + id + ": " + e, e);
    }
  }
}
