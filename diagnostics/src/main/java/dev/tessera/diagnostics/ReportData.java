package dev.tessera.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profiles of one report on a shared time axis: seconds since the earliest timestamp of
 * any of them. Workers are numbered in natural order of their names ({@code worker-2} before
 * {@code worker-10}) and prefixes alphabetically, so that rows and colours stay the same from
 * run to run (the order tasks finish in does not).
 */
final class ReportData {
  /** One task bar. */
  record Bar(int worker, double start, double end, int prefix, String key, boolean failed) {}

  /** One resource sample, memory in MiB. */
  record Resource(double time, double cpuPercent, double rssMiB, double heapMiB) {}

  /** One cache sample; {@code bytes} is negative without a size function. */
  record Cache(double time, int held, long bytes) {}

  final List<String> workers = new ArrayList<>();
  final List<String> prefixes = new ArrayList<>();
  final List<Bar> bars = new ArrayList<>();
  final List<Resource> resources = new ArrayList<>();
  final List<Cache> cache = new ArrayList<>();
  boolean hasTasks;
  boolean hasResources;
  boolean hasCache;
  boolean cacheBytes;
  double end;

  private ReportData() {}

  static ReportData of(List<Profile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("visualize needs at least one profile: a Profiler,"
          + " ResourceProfiler or CacheProfiler that was registered around a compute()");
    }
    long origin = Long.MAX_VALUE;
    for (Profile p : profiles) {
      if (p == null) {
        throw new NullPointerException("profile");
      }
      if (p.isEmpty()) {
        throw new IllegalStateException("nothing to show: " + p + " recorded nothing; register"
            + " it around a computation, e.g. try (var p = " + p.getClass().getSimpleName()
            + ".start()) { x.compute(); }, then visualize it");
      }
      origin = Math.min(origin, p.firstNanos());
    }
    ReportData d = new ReportData();
    java.util.TreeSet<String> workerNames = new java.util.TreeSet<>(ReportData::natural);
    java.util.TreeSet<String> prefixNames = new java.util.TreeSet<>();
    for (Profile p : profiles) {
      if (p instanceof Profiler prof) {
        for (Profiler.TaskRecord r : prof.results()) {
          workerNames.add(r.worker());
          prefixNames.add(r.prefix());
        }
      }
    }
    Map<String, Integer> workers = new LinkedHashMap<>();
    workerNames.forEach(w -> workers.put(w, workers.size()));
    Map<String, Integer> prefixes = new LinkedHashMap<>();
    prefixNames.forEach(x -> prefixes.put(x, prefixes.size()));
    for (Profile p : profiles) {
      if (p instanceof Profiler prof) {
        d.hasTasks = true;
        for (Profiler.TaskRecord r : prof.results()) {
          int w = workers.get(r.worker());
          int x = prefixes.get(r.prefix());
          d.bars.add(new Bar(w, sec(r.startNanos(), origin), sec(r.endNanos(), origin), x,
              r.key().toString(), r.failed()));
          d.end = Math.max(d.end, sec(r.endNanos(), origin));
        }
      } else if (p instanceof ResourceProfiler res) {
        d.hasResources = true;
        for (ResourceProfiler.ResourceSample s : res.results()) {
          d.resources.add(new Resource(sec(s.timeNanos(), origin), s.cpuPercent(),
              s.rssBytes() / 1048576.0, s.heapBytes() / 1048576.0));
          d.end = Math.max(d.end, sec(s.timeNanos(), origin));
        }
      } else if (p instanceof CacheProfiler c) {
        d.hasCache = true;
        d.cacheBytes |= c.measuresBytes();
        for (CacheProfiler.CacheSample s : c.results()) {
          d.cache.add(new Cache(sec(s.timeNanos(), origin), s.resultsHeld(), s.bytesHeld()));
          d.end = Math.max(d.end, sec(s.timeNanos(), origin));
        }
      }
    }
    d.resources.sort((a, b) -> Double.compare(a.time(), b.time()));
    d.cache.sort((a, b) -> Double.compare(a.time(), b.time()));
    d.workers.addAll(workers.keySet());
    d.prefixes.addAll(prefixes.keySet());
    if (d.end <= 0) {
      d.end = 1e-3; // a zero-width axis cannot be drawn
    }
    return d;
  }

  /** Compares names with their digit runs as numbers: {@code w-2 < w-10}. */
  static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int ei = i;
        int ej = j;
        while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
          ei++;
        }
        while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
          ej++;
        }
        int c = new java.math.BigInteger(a.substring(i, ei))
            .compareTo(new java.math.BigInteger(b.substring(j, ej)));
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }

  private static double sec(long nanos, long origin) {
    return (nanos - origin) / 1e9;
  }

  /** Returns the unit that shows {@code maxBytes} best: its name and its size in bytes. */
  static Object[] byteUnit(long maxBytes) {
    String[] names = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    double size = 1;
    while (i < names.length - 1 && maxBytes >= size * 1024) {
      size *= 1024;
      i++;
    }
    return new Object[] {names[i], size};
  }

  /** The colour of prefix {@code i}: a fixed palette (Tableau 10), then repeating. */
  static String color(int i) {
    String[] palette = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return palette[i % palette.length];
  }
}
