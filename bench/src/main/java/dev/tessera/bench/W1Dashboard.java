package dev.tessera.bench;

import dev.tessera.dashboard.Dashboard;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W1 with {@code dashboard=true} (or {@code watched}): what a live dashboard costs. Each timed
 * run computes the same n trivial tasks twice on the same scheduler, once with no
 * dashboard and once with one attached (started before, closed after, outside the timing),
 * the order alternating from run to run so drift of a shared machine hits both alike.
 * {@code watched} also keeps a page's event stream open during the attached run, so the
 * dashboard drains its buffers as it would for a user. {@code control} runs the same
 * protocol with no dashboard in either compute: the ratio's noise floor on a shared machine.
 *
 * <p>Extra figures: {@code us_per_task} (without the dashboard) and
 * {@code us_per_task_dashboard} (with it), the medians of each, and their ratio; the same
 * of the process CPU time of each compute ({@code cpu_us_per_task...}). The
 * harness's {@code seconds_median} covers both computes and the dashboard's start and stop.
 */
final class W1Dashboard implements Trial {
  private final Delayed<List<Integer>> all;
  private final Scheduler scheduler;
  private final int n;
  private final boolean watched;
  private final boolean control;
  private final List<Double> builds;
  private final List<Double> without = new ArrayList<>();
  private final List<Double> with = new ArrayList<>();
  // process CPU seconds of each compute: a shared machine's load moves wall time more
  private final List<Double> cpuWithout = new ArrayList<>();
  private final List<Double> cpuWith = new ArrayList<>();
  private int runs;

  W1Dashboard(Delayed<List<Integer>> all, Scheduler scheduler, int n, String mode,
      List<Double> builds) {
    if (!mode.equals("true") && !mode.equals("watched") && !mode.equals("control")) {
      throw new IllegalArgumentException("dashboard=" + mode + ": expected false, true,"
          + " watched or control");
    }
    this.all = all;
    this.scheduler = scheduler;
    this.n = n;
    this.watched = mode.equals("watched");
    this.control = mode.equals("control");
    this.builds = builds;
  }

  @Override
  public Object run() throws Exception {
    boolean dashboardFirst = runs++ % 2 == 1;
    List<Integer> a = dashboardFirst ? attached() : plain();
    List<Integer> b = dashboardFirst ? plain() : attached();
    return a.equals(b) ? a : List.of();
  }

  private List<Integer> plain() {
    long c0 = Bench.processCpuNanos();
    long t0 = System.nanoTime();
    List<Integer> r = all.compute(scheduler);
    without.add((System.nanoTime() - t0) / 1e9);
    cpuWithout.add((Bench.processCpuNanos() - c0) / 1e9);
    return r;
  }

  private List<Integer> attached() throws Exception {
    if (control) { // the same protocol with no dashboard at all: the noise floor of the ratio
      long c0 = Bench.processCpuNanos();
      long t0 = System.nanoTime();
      List<Integer> r = all.compute(scheduler);
      with.add((System.nanoTime() - t0) / 1e9);
      cpuWith.add((Bench.processCpuNanos() - c0) / 1e9);
      return r;
    }
    try (Dashboard d = Dashboard.builder().port(0).quiet().start()) {
      Thread page = watched ? watch(d) : null;
      try {
        long c0 = Bench.processCpuNanos();
        long t0 = System.nanoTime();
        List<Integer> r = all.compute(scheduler);
        with.add((System.nanoTime() - t0) / 1e9);
        cpuWith.add((Bench.processCpuNanos() - c0) / 1e9);
        return r;
      } finally {
        if (page != null) {
          page.interrupt();
        }
      }
    }
  }

  /** Opens the event stream as a page would and reads it until interrupted or closed. */
  private static Thread watch(Dashboard d) throws Exception {
    HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + d.port() + "/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    Thread t = new Thread(() -> {
      byte[] buf = new byte[1 << 16];
      try (InputStream in = stream.body()) {
        while (!Thread.currentThread().isInterrupted() && in.read(buf) >= 0) {
          // a page would draw here
        }
      } catch (java.io.IOException e) {
        // closed with the dashboard
      }
    }, "bench-dashboard-page");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public Map<String, Object> check(Object result) {
    return W1.checkIncremented(result, n);
  }

  @Override
  public Map<String, Object> extras(double median, List<Double> timed) throws Exception {
    // the warm-up run's pair is not timed by the harness: leave it out here too
    double plain = Bench.median(without.subList(1, without.size()));
    double dash = Bench.median(with.subList(1, with.size()));
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("us_per_task", plain / n * 1e6);
    e.put("us_per_task_dashboard", dash / n * 1e6);
    e.put("dashboard_ratio", dash / plain);
    double cpuPlain = Bench.median(cpuWithout.subList(1, cpuWithout.size()));
    double cpuDash = Bench.median(cpuWith.subList(1, cpuWith.size()));
    e.put("cpu_us_per_task", cpuPlain / n * 1e6);
    e.put("cpu_us_per_task_dashboard", cpuDash / n * 1e6);
    e.put("cpu_dashboard_ratio", cpuDash / cpuPlain);
    e.put("seconds_all_no_dashboard", without.subList(1, without.size()));
    e.put("seconds_all_dashboard", with.subList(1, with.size()));
    e.put("build_seconds_median", Bench.median(builds));
    e.put("floor_executor_roundtrip_us", W1.executorRoundTripMicros());
    return e;
  }

  @Override
  public void close() {
    W1.release(scheduler);
  }
}
