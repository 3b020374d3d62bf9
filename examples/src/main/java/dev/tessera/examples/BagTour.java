package dev.tessera.examples;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Delayed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Tour stop: bags. A word count over text files: read them in blocks, split lines into words,
 * count, take the top 5; then a per-key fold and the mean line length, all lazily built and
 * computed on the default scheduler.
 */
public final class BagTour {
  private BagTour() {}

  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    for (String w : line.split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w.toLowerCase());
      }
    }
    return out;
  }

  /** Runs the stop: prints the top words of a few generated files. */
  public static void run() {
    System.out.println();
    System.out.println("Bags: a word count over text files, one task per 4 KiB block");
    Path dir = writeSampleText();
    try {
      Bag<String> lines = Bag.readText(List.of(dir.toString()), 4096,
          java.nio.charset.StandardCharsets.UTF_8);
      Bag<String> words = lines.flatMap(BagTour::words);
      Delayed<List<Map.Entry<String, Long>>> top = words.frequencies()
          .topk(5, Map.Entry::getValue);
      System.out.println("   " + lines.npartitions() + " partitions; top 5 words: "
          + top.compute());
      // foldby: total letters per first letter, as a tree reduction (no shuffle)
      List<Map.Entry<Character, Integer>> letters = words
          .foldby(w -> w.charAt(0), (Integer acc, String w) -> acc + w.length(), 0, Integer::sum)
          .filter(e -> "aeiou".indexOf(e.getKey()) >= 0)
          .compute();
      System.out.println("   letters in words starting with a vowel: " + letters);
      System.out.printf("   %d lines, mean length %.1f characters%n", lines.count().compute(),
          lines.map(String::length).mean().compute());
    } finally {
      deleteAll(dir);
    }
  }

  /** Writes three small files of random sentences under java.io.tmpdir. */
  static Path writeSampleText() {
    String[] vocab = {"the", "a", "graph", "task", "bag", "of", "words", "lazy", "partition",
        "Café", "naïve", "über", "and", "runs", "in", "parallel"};
    Random rnd = new Random(42);
    try {
      Path dir = Files.createTempDirectory("bag-tour");
      for (int f = 0; f < 3; f++) {
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < 400; line++) {
          int n = 3 + rnd.nextInt(10);
          for (int i = 0; i < n; i++) {
            // a Zipf-like pick: low indices much more often
            int k = (int) Math.min(vocab.length - 1, Math.floor(Math.exp(rnd.nextDouble()
                * Math.log(vocab.length + 1))) - 1);
            sb.append(i == 0 ? "" : " ").append(vocab[k]);
          }
          sb.append('\n');
        }
        Files.writeString(dir.resolve("part-" + f + ".txt"), sb);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteAll(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
