package dev.tessera.examples.tutorials;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seed 004 ("dask.bag: iterate over a bag of independent objects"), the bag example it links as
 * a word count: text files written with a fixed seed (words drawn from a Zipf-like vocabulary),
 * then {@code db.read_text(...).str.split().flatten().frequencies().topk(10, key=1)}. Checked
 * against a plain Java loop over the same files and timed on the default scheduler and on 2
 * worker JVMs.
 *
 * <p>Run: {@code ./examples/run WordCount [files=4] [lines=100000] [out=target/examples]}
 * (writes {@code out/text/part-N.txt}).
 */
public final class WordCount {
  private WordCount() {}

  static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he"
      + " this are or his from at which but have an they you were her she there been one all"
      + " chunk task graph array frame bag worker scheduler parallel serial core thread").split(" ");

  /** The answer: every word's count, and the ten most frequent. */
  record Result(Map<String, Long> counts, List<Map.Entry<String, Long>> top) {}

  /** Writes {@code files} files of {@code lines} lines each into {@code dir}; returns it. */
  static Path writeText(Path dir, int files, int lines) {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "part-*.txt")) {
        for (Path p : old) {
          Files.delete(p);
        }
      }
      SplittableRandom random = new SplittableRandom(1851);
      for (int f = 0; f < files; f++) {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("part-" + f + ".txt"))) {
          for (int i = 0; i < lines; i++) {
            int words = 5 + random.nextInt(10);
            for (int k = 0; k < words; k++) {
              // Zipf-like: rank r with probability about 1 / r
              int r = (int) Math.floor(Math.pow(WORDS.length + 1, random.nextDouble())) - 1;
              w.write(k == 0 ? "" : " ");
              w.write(WORDS[Math.min(r, WORDS.length - 1)]);
            }
            w.write('\n');
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Orders (word, count) entries by count, then by word reversed, so that among equal counts
   * the alphabetically first is the "largest" and ties have one answer. A class, not a chain of
   * {@code Comparator.comparing}, because it travels to worker JVMs: every part must serialize.
   */
  static final class ByCount implements Comparator<Map.Entry<String, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Map.Entry<String, Long> a, Map.Entry<String, Long> b) {
      int c = Long.compare(a.getValue(), b.getValue());
      return c != 0 ? c : b.getKey().compareTo(a.getKey());
    }
  }

  static final Comparator<Map.Entry<String, Long>> BY_COUNT = new ByCount();

  /** The bag: read, split, count, the ten most frequent. */
  static Bag<Map.Entry<String, Long>> counts(Path dir) {
    return Bag.readText(dir.resolve("part-*.txt").toString())   // db.read_text(...)
        .flatMap(line -> List.of(line.split(" ")))               // .str.split().flatten()
        .frequencies();                                          // .frequencies()
  }

  /** The serial computation: every line of every file into one hash map. */
  static Map<String, Long> serial(Path dir, int files) {
    Map<String, Long> counts = new HashMap<>();
    for (int f = 0; f < files; f++) {
      try (BufferedReader r = Files.newBufferedReader(dir.resolve("part-" + f + ".txt"))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          for (String w : line.split(" ")) {
            counts.merge(w, 1L, Long::sum);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return counts;
  }

  static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int k) {
    List<Map.Entry<String, Long>> all = new ArrayList<>(counts.entrySet());
    all.sort(BY_COUNT.reversed());
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  /** Writes the text, counts it with the bag on {@code scheduler}, checks it. */
  static Result run(Path out, int files, int lines, Scheduler scheduler) {
    Path dir = writeText(out.resolve("text"), files, lines);
    Bag<Map.Entry<String, Long>> freq = counts(dir);
    List<Map.Entry<String, Long>> top = freq.topk(10, BY_COUNT).compute(scheduler);   // topk(10)
    Map<String, Long> all = new HashMap<>();
    for (Map.Entry<String, Long> e : freq.compute(scheduler)) {
      all.put(e.getKey(), e.getValue());
    }
    Map<String, Long> serial = serial(dir, files);
    Stopwatch.check("the bag's counts equal the serial loop's", all.equals(serial),
        serial.size() + " words, " + serial.values().stream().mapToLong(Long::longValue).sum()
        + " in all");
    Stopwatch.check("the bag's top 10 equals the serial top 10", top.equals(top(serial, 10)),
        top.toString());
    return new Result(all, top);
  }

  /**
   * Runs the example, then times it.
   *
   * @param args optional {@code files=4}, {@code lines=100000}, {@code out=DIR}
   */
  public static void main(String[] args) {
    Cli a = Cli.of(args);
    int files = a.integer("files", 4);
    int lines = a.integer("lines", 100_000);
    Path out = a.out();
    System.out.printf(Locale.ROOT, "WordCount (seed 004): the words of %d text files of %,d lines"
        + "%n", files, lines);
    Scheduler threads = Tessera.scheduler();
    Result r = run(out, files, lines, threads);
    System.out.println("  top 10: " + r.top());
    Path dir = out.resolve("text");
    try (ProcessScheduler jvms = Schedulers.processes(2)) {
      double serial = Stopwatch.median(3, () -> serial(dir, files));
      double t = Stopwatch.median(3, () -> counts(dir).topk(10, BY_COUNT).compute(threads));
      double j = Stopwatch.median(3, () -> counts(dir).topk(10, BY_COUNT).compute(jvms));
      Stopwatch.report("read_text, split, frequencies, topk", serial, "threads", t,
          "2 worker JVMs", j);
    }
  }
}
