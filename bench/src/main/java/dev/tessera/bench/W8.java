package dev.tessera.bench;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessScheduler;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * W8 bag_wordcount: read every text file under {@code data/text/}, split lines on whitespace,
 * count word frequencies, top 10 by count (ties by word). {@code scheduler=processes} (the
 * contract's default) runs on worker JVMs, one per core, and reports the transfers between
 * processes; {@code scheduler=threads} on the threaded scheduler. Extra figures: MB_per_s, and
 * the floor: one thread's raw rate of reading the files and splitting their lines into words.
 */
public final class W8 implements Workload {
  @Override
  public String name(Params p) {
    return "bag_wordcount";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("data", "bench-data");
    d.put("scheduler", "processes");
    return d;
  }

  /** Splits on whitespace (space, tab, CR, LF, FF, VT), dropping empty words. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>(20);
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out;
  }

  static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** Most frequent first; equal counts by word, ascending: "greater" is earlier. */
  static final Comparator<Map.Entry<String, Long>> ORDER = (Comparator<Map.Entry<String, Long>>
      & Serializable) (a, b) -> {
        int c = Long.compare(a.getValue(), b.getValue());
        return c != 0 ? c : b.getKey().compareTo(a.getKey());
      };

  static Delayed<List<Map.Entry<String, Long>>> wordcount(Path textDir) {
    return Bag.readText(textDir.toString())
        .flatMap(W8::words)
        .frequencies()
        .topk(10, ORDER);
  }

  @Override
  public Trial prepare(Params p) throws Exception {
    String sched = p.get("scheduler");
    if (!sched.equals("threads") && !sched.equals("processes") && !sched.equals("cluster")) {
      throw new IllegalArgumentException("scheduler=" + sched + ": expected threads, processes or cluster");
    }
    Path text = Path.of(p.get("data"), "text");
    if (!Files.isDirectory(text)) {
      throw new IllegalArgumentException("no directory " + text.toAbsolutePath()
          + "; generate it with: bench/run gen-data data=" + p.get("data"));
    }
    long bytes;
    try (Stream<Path> files = Files.list(text)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    Scheduler scheduler = W1.scheduler(sched);
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    List<Double> cpu = new ArrayList<>();
    double[] directSeconds = {Double.NaN};
    return new Trial() {
      @Override
      public Object run() {
        long c0 = os.getProcessCpuTime();
        Object r = wordcount(text).compute(scheduler);
        cpu.add((os.getProcessCpuTime() - c0) / 1e9);
        return r;
      }

      @Override
      @SuppressWarnings("unchecked")
      public Map<String, Object> check(Object result) throws IOException {
        List<Map.Entry<String, Long>> got = (List<Map.Entry<String, Long>>) result;
        long t0 = System.nanoTime();
        List<Map.Entry<String, Long>> expected = directTop10(text);
        directSeconds[0] = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", got.equals(expected));
        c.put("top10", got.stream().map(e -> List.of(e.getKey(), e.getValue()))
            .collect(Collectors.toList()));
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        if (scheduler instanceof ProcessScheduler ps) {
          // per computation: the pool ran a warm-up and the timed repeats
          int runs = all.size() + 1;
          e.put("transfers_per_run", ps.transfers() / runs);
          e.put("transferred_MB_per_run", ps.transferredBytes() / 1e6 / runs);
        }
        e.put("MB_per_s", bytes / 1e6 / median);
        e.putAll(W1.movedBytes(scheduler, all.size() + 1));
        e.put("input_MB", bytes / 1e6);
        // CPU seconds of this JVM per timed run (worker processes not included): on a shared
        // machine, wall time includes waiting for other processes; this does not
        e.put("cpu_seconds_median", Bench.median(cpu.subList(1, cpu.size())));
        e.put("threads", Runtime.getRuntime().availableProcessors());
        e.put("floor_split_MB_per_s_one_thread", splitRate(text, bytes));
        // the same count written directly (BufferedReader, String.split, HashMap), one thread,
        // timed once in the same JVM: a same-run comparison on a noisy machine
        e.put("direct_one_thread_seconds", directSeconds[0]);
        return e;
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }

  static List<Path> files(Path text) throws IOException {
    try (Stream<Path> files = Files.list(text)) {
      return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
  }

  /** The check: a direct single-threaded count with java.io and a HashMap. */
  static List<Map.Entry<String, Long>> directTop10(Path text) throws IOException {
    Map<String, long[]> counts = new HashMap<>();
    for (Path f : files(text)) {
      try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          for (String w : line.split("\\s+")) {
            if (!w.isEmpty()) {
              counts.computeIfAbsent(w, k -> new long[1])[0]++;
            }
          }
        }
      }
    }
    return counts.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue()[0]))
        .sorted(ORDER.reversed())
        .limit(10)
        .map(e -> (Map.Entry<String, Long>) new java.util.AbstractMap.SimpleImmutableEntry<>(
            e.getKey(), e.getValue()))
        .collect(Collectors.toList());
  }

  /**
   * The floor: one thread reading the files' bytes and finding every word boundary (ASCII
   * whitespace), without making strings or counting; MB/s, the best of 3 passes.
   */
  static double splitRate(Path text, long bytes) throws IOException {
    double best = 0;
    for (int pass = 0; pass < 3; pass++) {
      long words = 0;
      long t0 = System.nanoTime();
      byte[] buf = new byte[1 << 20];
      for (Path f : files(text)) {
        try (InputStream in = Files.newInputStream(f)) {
          boolean inWord = false;
          int n;
          while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
              byte b = buf[i];
              boolean space = b == ' ' || (b >= '\t' && b <= '\r');
              if (!space && !inWord) {
                words++;
              }
              inWord = !space;
            }
          }
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      if (words == 0) {
        throw new IllegalStateException("no words in " + text);
      }
      best = Math.max(best, bytes / 1e6 / s);
    }
    return best;
  }
}
