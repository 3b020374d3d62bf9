package dev.tessera.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Tessera;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of seed 004 at a small size, on 2 worker JVMs shared by the class (and the
 * default scheduler where the example compares both): answers checked against direct
 * computations, reports and pictures read back. No timings.
 */
class Seed004ExamplesTest {
  private static ProcessScheduler jvms;

  @TempDir
  Path out;

  @BeforeAll
  static void startWorkers() {
    jvms = Schedulers.processes(2);
  }

  @AfterAll
  static void stopWorkers() {
    jvms.close();
  }

  static BufferedImage png(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, file + " is not a decodable image");
    assertTrue(image.getWidth() > 100 && image.getHeight() > 100,
        file + ": " + image.getWidth() + " x " + image.getHeight());
    return image;
  }

  @Test
  void myFunctionPool() {
    MyFunctionPool.Result r = MyFunctionPool.run(1000, Tessera.scheduler(), jvms);
    assertEquals(List.of(1L, 4L, 9L), r.threePool());
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), r.roots());
    assertEquals(999L * 1000 * 1999 / 6, r.sumOfSquares()); // sum of x^2 for x < 1000
  }

  @Test
  void raySquaresCounters() {
    RaySquaresCounters.Result r = RaySquaresCounters.run(50, 20, jvms);
    assertEquals(List.of(0, 1, 4, 9), r.squares());
    assertEquals(List.of(1, 1, 1, 1), r.counts());
    assertEquals(49L * 50 * 99 / 6, r.sumOfSquares());
    assertEquals(List.of(20, 20, 20, 20), r.manyCounts());
  }

  @Test
  void randomArray() {
    RandomArray.Result r = RandomArray.run(120, 50, jvms);
    assertEquals(2 * r.meanOfX(), r.mean(), 1e-12);      // mean(x + x.T) = 2 mean(x)
    assertEquals(r.mean() * 120 * 120, r.sum(), 1e-8);
    assertEquals(1.0, r.mean(), 0.05);                    // uniform on [0, 1): 2 x 0.5
  }

  @Test
  void csvGroupby() {
    List<CsvGroupby.Group> g = CsvGroupby.run(out, 3, 2000, jvms);
    assertEquals(26, g.size());
    long rows = g.stream().mapToLong(CsvGroupby.Group::count).sum();
    assertTrue(rows > 2500 && rows < 3500, rows + " rows with y > 0 of 6000");
    assertEquals("Alice", g.get(0).name());
    assertTrue(Files.exists(out.resolve("timeseries/part-2.csv")));
  }

  @Test
  void wordCount() {
    WordCount.Result r = WordCount.run(out, 3, 300, jvms);
    assertEquals(10, r.top().size());
    assertEquals("the", r.top().get(0).getKey()); // rank 1 of the Zipf-like vocabulary
    long total = r.counts().values().stream().mapToLong(Long::longValue).sum();
    assertTrue(total >= 3 * 300 * 5 && total < 3 * 300 * 15, total + " words");
    for (int i = 1; i < r.top().size(); i++) {
      Map.Entry<String, Long> prev = r.top().get(i - 1);
      assertTrue(prev.getValue() >= r.top().get(i).getValue(), "descending: " + r.top());
    }
  }

  @Test
  void qrProfiled() throws IOException {
    QrProfiled.Result r = QrProfiled.run(600, 60, 100, jvms, out);
    assertTrue(r.reconstruction() < 1e-12, "reconstruction " + r.reconstruction());
    String html = Files.readString(r.html());
    assertTrue(html.startsWith("<!DOCTYPE html>") || html.startsWith("<html"), html.substring(0,
        Math.min(80, html.length())));
    for (String part : List.of("qr-block", "qr-stacked", "CPU", "Tessera profile")) {
      assertTrue(html.contains(part), "the report shows " + part);
    }
    BufferedImage image = png(r.png());
    assertEquals(1000, image.getWidth());
  }

  @Test
  void transposeGraph() throws IOException {
    TransposeGraph.Result r = TransposeGraph.run(jvms, out);
    assertEquals(225, r.y().length());
    assertEquals(450.0, r.y().sumNumber().doubleValue(), 0.0);
    String svg = Files.readString(r.svg());
    assertTrue(svg.contains("<svg"), "an SVG");
    png(r.png());
    // as in the tutorial's picture: 9 blocks of ones, 9 transposes, 9 sums, one node each
    assertEquals(9, count(r.dot(), "\"label\"=\"full ("), "blocks of ones");
    assertEquals(9, count(r.dot(), "\"label\"=\"transpose ("), "transposed blocks");
    assertEquals(9, count(r.dot(), "\"label\"=\"add ("), "sums");
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
