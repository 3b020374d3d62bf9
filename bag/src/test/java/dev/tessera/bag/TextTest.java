package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TextTest {
  static final Scheduler SYNC = Schedulers.sync();
  Path dir;

  @BeforeEach
  void makeDir() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(base);
    dir = Files.createTempDirectory(base, "bag-text");
  }

  /** Random lines of unicode words, some empty, some long. */
  static List<String> lines(int n, long seed) {
    String[] vocab = {"a", "bé", "čaj", "日本語", "x", "hello", "🙂", "zeta", "ß", "naïve"};
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int words = r.nextInt(10) == 0 ? 0 : r.nextInt(r.nextInt(20) == 0 ? 300 : 8);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) {
        sb.append(w == 0 ? "" : " ").append(vocab[r.nextInt(vocab.length)]);
      }
      out.add(sb.toString());
    }
    return out;
  }

  Path write(String name, List<String> lines, String sep, boolean trailing) throws IOException {
    String text = String.join(sep, lines) + (trailing ? sep : "");
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void blocksSplitOnLineBoundaries() throws IOException {
    List<String> lines = lines(150, 1);
    // a file without a trailing newline cannot end in an empty line
    lines.set(lines.size() - 1, "last é");
    for (boolean trailing : new boolean[] {true, false}) {
      for (String sep : new String[] {"\n", "\r\n"}) {
        Path p = write("f" + trailing + sep.length() + ".txt", lines, sep, trailing);
        long size = Files.size(p);
        for (long bs : new long[] {0, 1, 2, 3, 7, 64, 1000, size - 1, size, size + 5}) {
          Bag<String> b = Bag.readText(List.of(p.toString()), bs, StandardCharsets.UTF_8);
          List<String> got = b.compute(SYNC);
          // not assertEquals: its message would print every line
          assertTrue(lines.equals(got), "blocksize " + bs + " sep " + sep.length()
              + " trailing " + trailing + ": " + got.size() + " lines, expected "
              + lines.size());
        }
      }
    }
  }

  @Test
  void edgeFiles() throws IOException {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "");
    assertEquals(List.of(), Bag.readText(empty.toString()).compute(SYNC));
    Path one = dir.resolve("one.txt");
    Files.writeString(one, "no newline at all");
    assertEquals(List.of("no newline at all"), Bag.readText(List.of(one.toString()), 3,
        StandardCharsets.UTF_8).compute(SYNC));
    Path blanks = dir.resolve("blanks.txt");
    Files.writeString(blanks, "\n\n\nx\n\n");
    for (long bs : new long[] {0, 1, 2, 4}) {
      assertEquals(List.of("", "", "", "x", ""), Bag.readText(List.of(blanks.toString()), bs,
          StandardCharsets.UTF_8).compute(SYNC));
    }
  }

  @Test
  void directoriesGlobsAndGzip() throws IOException {
    List<String> a = lines(50, 2);
    List<String> b = lines(70, 3);
    List<String> c = lines(30, 4);
    write("d/a.txt", a, "\n", true);
    write("d/b.txt", b, "\n", false);
    Path gz = dir.resolve("d/c.txt.gz");
    try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
      os.write((String.join("\n", c) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    write("d/sub/ignored.txt", List.of("not listed"), "\n", true);
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    Bag<String> fromDir = Bag.readText(List.of(dir.resolve("d").toString()), 100,
        StandardCharsets.UTF_8);
    assertEquals(all, fromDir.compute(SYNC));
    List<String> ab = new ArrayList<>(a);
    ab.addAll(b);
    assertEquals(ab, Bag.readText(dir.resolve("d") + "/*.txt").compute(SYNC));
    assertEquals(c, Bag.readText(gz.toString()).compute(SYNC));
    assertEquals(List.of("not listed"), Bag.readText(dir.resolve("d") + "/*/*.txt")
        .compute(SYNC));
    assertEquals(all.size() + 1, Bag.readText(dir.resolve("d") + "/**").count().compute(SYNC));
    // the words, counted through the pipeline, match a direct count
    long words = all.stream().flatMap(l -> Arrays.stream(l.split(" ")))
        .filter(w -> !w.isEmpty()).count();
    assertEquals(words, fromDir.flatMap(l -> Arrays.asList(l.split(" ")))
        .filter(w -> !w.isEmpty()).count().compute(SYNC));
  }

  @Test
  void wordCountOnThreadsMatchesStreams() throws IOException {
    List<String> all = new ArrayList<>();
    for (int f = 0; f < 4; f++) {
      List<String> ls = lines(300, 10 + f);
      all.addAll(ls);
      write("wc/part-" + f + ".txt", ls, "\n", true);
    }
    java.util.Map<String, Long> expected = all.stream()
        .flatMap(l -> Arrays.stream(l.split(" "))).filter(w -> !w.isEmpty())
        .collect(Collectors.groupingBy(w -> w, Collectors.counting()));
    try (var threads = Schedulers.threads(2)) {
      java.util.Map<String, Long> got = new java.util.HashMap<>();
      Bag.readText(List.of(dir.resolve("wc").toString()), 2000, StandardCharsets.UTF_8)
          .flatMap(l -> Arrays.asList(l.split(" "))).filter(w -> !w.isEmpty())
          .frequencies().compute(threads).forEach(e -> got.put(e.getKey(), e.getValue()));
      assertEquals(expected, got);
    }
  }

  @Test
  void otherEncodings() throws IOException {
    Charset latin1 = StandardCharsets.ISO_8859_1;
    Path p = dir.resolve("latin1.txt");
    Files.write(p, "café\nnaïve\nplain\n".getBytes(latin1));
    assertEquals(List.of("café", "naïve", "plain"),
        Bag.readText(List.of(p.toString()), 4, latin1).compute(SYNC));
    GraphException e = assertThrows(GraphException.class,
        () -> Bag.readText(List.of(p.toString()), 0, StandardCharsets.UTF_16));
    assertTrue(e.getMessage().contains("not ASCII-compatible"), e.getMessage());
  }

  @Test
  void undecodableBytesNameFileAndOffset() throws IOException {
    Path p = dir.resolve("bad.txt");
    byte[] head = "good line\nsecond é line\nbad ".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = Arrays.copyOf(head, head.length + 6);
    bytes[head.length] = (byte) 0xff;
    bytes[head.length + 1] = 'x';
    bytes[head.length + 2] = '\n';
    bytes[head.length + 3] = 'o';
    bytes[head.length + 4] = 'k';
    bytes[head.length + 5] = '\n';
    Files.write(p, bytes);
    for (long bs : new long[] {0, 5, 12}) {
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> Bag.readText(List.of(p.toString()), bs, StandardCharsets.UTF_8).compute(SYNC));
      String msg = e.getCause().getMessage();
      assertTrue(msg.contains(p.toString()) && msg.contains("byte offset " + head.length)
          && msg.contains("0xff") && msg.contains("UTF-8"), msg);
    }
  }

  @Test
  void missingFilesFailAtBuildTime() {
    GraphException e = assertThrows(GraphException.class,
        () -> Bag.readText(dir.resolve("nope.txt").toString()));
    assertTrue(e.getMessage().contains("nope.txt"), e.getMessage());
    GraphException g = assertThrows(GraphException.class,
        () -> Bag.readText(dir + "/*.nothing"));
    assertTrue(g.getMessage().contains("no file matches"), g.getMessage());
  }

  @Test
  void fileDeletedAfterBuildNamesIt() throws IOException {
    Path p = write("gone.txt", List.of("x"), "\n", true);
    Bag<String> b = Bag.readText(p.toString());
    Files.delete(p);
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> b.compute(SYNC));
    assertTrue(e.getCause().getMessage().contains("gone.txt"), e.getCause().getMessage());
  }

  @Test
  void toTextFilesRoundTrips() throws IOException {
    List<String> lines = lines(120, 5);
    for (String pattern : new String[] {"out-plain/part-*.txt", "out-gz/p*.txt.gz"}) {
      Bag<String> b = Bag.fromCollection(lines, 4).map(String::toUpperCase);
      List<String> paths = b.textFiles(dir.resolve(pattern).toString()).compute(SYNC);
      assertEquals(4, paths.size());
      List<String> back = Bag.readText(paths.toArray(new String[0])).compute(SYNC);
      assertEquals(lines.stream().map(String::toUpperCase).collect(Collectors.toList()), back);
      if (pattern.endsWith(".gz")) {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(Path.of(
            paths.get(0))))) {
          assertTrue(in.readAllBytes().length > 0);
        }
      }
    }
    List<String> paths = Bag.range(5, 2).textFiles(dir.resolve("dirout").toString())
        .compute(SYNC);
    assertEquals(dir.resolve("dirout/part-1.txt").toString(), paths.get(1));
    assertEquals(List.of("2", "3", "4"), Files.readAllLines(Path.of(paths.get(1))));
  }
}
