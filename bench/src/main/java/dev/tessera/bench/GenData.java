package dev.tessera.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code bench/run gen-data data=DIR [rows=1000000] [files=10] [text_mb=400] [text_files=8]}:
 * writes the data of W7, W7b and W8 with fixed seeds. {@code DIR/csv/part-00.csv ...}:
 * {@code id,name,x,y,day}, names from a pool of 1,000, x and y uniform in [0,1) at full
 * precision, day an ISO date in 2025. {@code DIR/text/part-0.txt ...}: lines of 16 words drawn
 * from a Zipf distribution (s = 1) over a 50,000-word vocabulary.
 */
final class GenData {
  private GenData() {}

  static void main(Map<String, String> p) throws IOException {
    Path dir = Path.of(p.getOrDefault("data", "bench-data"));
    int rows = Integer.parseInt(p.getOrDefault("rows", "1000000"));
    int files = Integer.parseInt(p.getOrDefault("files", "10"));
    long textBytes = Long.parseLong(p.getOrDefault("text_mb", "400")) * 1_000_000L;
    int textFiles = Integer.parseInt(p.getOrDefault("text_files", "8"));
    Files.createDirectories(dir.resolve("csv"));
    Files.createDirectories(dir.resolve("text"));
    String[] names = words(1000, new Random(7), 4, 10);
    // files are independent, each with its own seed: generate them in parallel
    IntStream.range(0, files).parallel().forEach(f -> writeCsv(dir, f, rows, names));
    String[] vocab = words(50_000, new Random(11), 2, 12);
    double[] cdf = zipfCdf(vocab.length);
    IntStream.range(0, textFiles).parallel()
        .forEach(f -> writeText(dir, f, textBytes / textFiles, vocab, cdf));
    System.err.println("[gen-data] wrote " + files + " CSV files of " + rows + " rows and "
        + textFiles + " text files under " + dir.toAbsolutePath());
  }

  static String[] words(int count, Random rnd, int minLen, int maxLen) {
    Set<String> out = new LinkedHashSet<>();
    StringBuilder sb = new StringBuilder();
    while (out.size() < count) {
      sb.setLength(0);
      int len = minLen + rnd.nextInt(maxLen - minLen + 1);
      for (int i = 0; i < len; i++) {
        sb.append((char) ('a' + rnd.nextInt(26)));
      }
      out.add(sb.toString());
    }
    return out.toArray(new String[0]);
  }

  static double[] zipfCdf(int n) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += 1.0 / k;
      cdf[k - 1] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    return cdf;
  }

  private static void writeCsv(Path dir, int f, int rows, String[] names) {
    Path file = dir.resolve("csv").resolve(String.format("part-%02d.csv", f));
    SplittableRandom rnd = new SplittableRandom(1000 + f);
    LocalDate jan1 = LocalDate.of(2025, 1, 1);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id,name,x,y,day\n");
      StringBuilder sb = new StringBuilder(128);
      long base = (long) f * rows;
      for (int i = 0; i < rows; i++) {
        sb.setLength(0);
        sb.append(base + i).append(',').append(names[rnd.nextInt(names.length)]).append(',')
            .append(rnd.nextDouble()).append(',').append(rnd.nextDouble()).append(',')
            .append(jan1.plusDays(rnd.nextInt(365))).append('\n');
        w.append(sb);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeText(Path dir, int f, long bytes, String[] vocab, double[] cdf) {
    Path file = dir.resolve("text").resolve("part-" + f + ".txt");
    SplittableRandom rnd = new SplittableRandom(2000 + f);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long written = 0;
      StringBuilder sb = new StringBuilder(256);
      while (written < bytes) {
        sb.setLength(0);
        for (int i = 0; i < 16; i++) {
          if (i > 0) {
            sb.append(' ');
          }
          int k = Arrays.binarySearch(cdf, rnd.nextDouble());
          sb.append(vocab[Math.min(vocab.length - 1, k < 0 ? -k - 1 : k)]);
        }
        sb.append('\n');
        w.append(sb);
        written += sb.length();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
