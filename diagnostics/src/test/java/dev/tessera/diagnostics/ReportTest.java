package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ReportTest {
  static final Path OUT = Path.of("target", "report-test");

  /** Profiles of a small threaded computation: 2 workers, 3 prefixes. */
  record Profiles(Profiler tasks, ResourceProfiler resources, CacheProfiler cache) {
    static Profiles record() {
      Blocks b = Blocks.of(12, 1000, -1, 15);
      try (ThreadedScheduler threads = Schedulers.threads(2);
          Profiler prof = Profiler.start();
          ResourceProfiler res = ResourceProfiler.start(Duration.ofMillis(10));
          CacheProfiler cache = CacheProfiler.start(o -> o instanceof double[] a
              ? a.length * 8L : 8)) {
        b.compute(threads);
        return new Profiles(prof, res, cache);
      }
    }
  }

  @Test
  void htmlIsSelfContainedAndHoldsEveryTask() throws Exception {
    Profiles p = Profiles.record();
    Path html = Diagnostics.visualize(OUT.resolve("report.html"), p.tasks(), p.resources(),
        p.cache());
    String s = Files.readString(html);
    assertFalse(s.contains("<script src"), "no external script");
    assertFalse(s.contains("http://") && !s.contains("http://www.w3.org/2000/svg"));
    assertFalse(s.contains("https://"), "no network access needed");
    assertTrue(s.contains("data-rendered"), "the script is inlined");
    JsonObject json = HtmlReport.json(ReportData.of(java.util.List.of(p.tasks(),
        p.resources(), p.cache())));
    assertEquals(p.tasks().results().size(), json.getAsJsonArray("tasks").size());
    assertEquals(3, json.getAsJsonArray("prefixes").size());
    assertTrue(json.getAsJsonArray("workers").size() >= 2);
    for (Profiler.TaskRecord r : p.tasks().results()) {
      assertTrue(s.contains(r.key().toString().replace("'", "\\u0027"))
          || s.contains(r.key().toString()), r.key().toString());
    }
  }

  @Test
  void keysCannotBreakOutOfTheScript() {
    String json = HtmlReport.render(ReportData.of(java.util.List.of(recordWithKey(
        "</script><script>alert(1)</script>"))));
    assertFalse(json.contains("</script><script>alert"));
  }

  private static Profiler recordWithKey(String prefix) {
    Profiler p = new Profiler();
    p.posttask(null, new dev.tessera.graph.spi.TaskEvent(dev.tessera.graph.core.Key.of(prefix), "w",
        1, 2, null, 0, -1));
    return p;
  }

  @Test
  void pngDecodesWithOnePanelPerChart() throws Exception {
    Profiles p = Profiles.record();
    Path png = Diagnostics.visualize(OUT.resolve("report.png"), p.tasks(), p.resources(),
        p.cache());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(PngReport.WIDTH, img.getWidth());
    // task stream + CPU + memory + results held + bytes held
    assertTrue(img.getHeight() > 4 * 160, "height " + img.getHeight());
    BufferedImage tasksOnly = ImageIO.read(Diagnostics.visualize(OUT.resolve("tasks.png"),
        p.tasks()).toFile());
    assertEquals(PngReport.WIDTH, tasksOnly.getWidth());
    assertTrue(tasksOnly.getHeight() < img.getHeight());
  }

  @Test
  void axisLabelsStayShort() {
    assertEquals("20,000", PngReport.trim(20000));
    assertEquals("150", PngReport.trim(150));
    assertEquals("0.08", PngReport.trim(0.08));
    assertEquals("0", PngReport.trim(0));
  }

  @Test
  void thinningKeepsTheExtremesOfEachPixelColumn() {
    java.util.List<double[]> points = new java.util.ArrayList<>();
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 50_000; i++) {
      points.add(new double[] {i * 1e-4, r.nextDouble()});
    }
    points.set(12_345, new double[] {12_345 * 1e-4, 5.0});
    points.set(40_000, new double[] {40_000 * 1e-4, -3.0});
    java.util.List<double[]> thin = PngReport.thin(points);
    assertTrue(thin.size() <= 4 * (PngReport.WIDTH + 1), thin.size() + " points");
    assertEquals(5.0, thin.stream().mapToDouble(p -> p[1]).max().orElse(0));
    assertEquals(-3.0, thin.stream().mapToDouble(p -> p[1]).min().orElse(0));
    assertEquals(points.get(0), thin.get(0));
    assertEquals(points.get(points.size() - 1), thin.get(thin.size() - 1));
    for (int i = 1; i < thin.size(); i++) {
      assertTrue(thin.get(i)[0] > thin.get(i - 1)[0], "time order kept");
    }
    java.util.List<double[]> few = points.subList(0, 100);
    assertEquals(few, PngReport.thin(few));
  }

  @Test
  void bytesAreShownInTheLargestFittingUnit() {
    assertEquals("B", ReportData.byteUnit(0)[0]);
    assertEquals("B", ReportData.byteUnit(1023)[0]);
    assertEquals("KiB", ReportData.byteUnit(1024)[0]);
    assertEquals("MiB", ReportData.byteUnit(5L << 20)[0]);
    assertEquals((double) (1L << 30), ReportData.byteUnit(3L << 30)[1]);
  }

  @Test
  void profilersThatNeverRanAreAClearError() {
    Profiler idle = new Profiler();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Diagnostics.visualize(OUT.resolve("idle.html"), idle));
    assertTrue(e.getMessage().contains("recorded nothing"), e.getMessage());
    assertTrue(e.getMessage().contains("Profiler.start()"), e.getMessage());
    CacheProfiler idleCache;
    try (CacheProfiler c = CacheProfiler.start()) {
      idleCache = c;
    }
    assertThrows(IllegalStateException.class,
        () -> Diagnostics.visualize(OUT.resolve("idle.png"), idleCache));
    assertThrows(IllegalArgumentException.class,
        () -> Diagnostics.visualize(OUT.resolve("none.html")));
    assertFalse(Files.exists(OUT.resolve("idle.html")));
  }

  @Test
  void badPathsAreClearErrors() throws Exception {
    Profiles p = Profiles.record();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Diagnostics.visualize(OUT.resolve("report.pdf"), p.tasks()));
    assertTrue(e.getMessage().contains("unknown extension .pdf; the format follows the"
        + " extension, use .html, .png"), e.getMessage());
    Files.createDirectories(OUT);
    Path file = OUT.resolve("plain-file");
    Files.writeString(file, "x");
    UncheckedIOException u = assertThrows(UncheckedIOException.class,
        () -> Diagnostics.visualize(file.resolve("report.html"), p.tasks()));
    assertTrue(u.getMessage().contains("cannot write " + file.resolve("report.html")),
        u.getMessage());
  }
}
