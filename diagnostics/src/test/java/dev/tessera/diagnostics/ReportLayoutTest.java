package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.TaskEvent;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile report stays readable: stable rows, separate bars, round axes. */
class ReportLayoutTest {
  /** A profiler holding the given (worker, prefix, start ms, end ms) records, in that order. */
  private static Profiler recorded(Object[]... records) {
    Profiler p = new Profiler();
    long t0 = 1_000_000_000L;
    for (Object[] r : records) {
      p.posttask(null, new TaskEvent(Key.of(String.format("%s-%08x", r[1], r[2]), 0), (String) r[0],
          t0 + (int) r[2] * 1_000_000L, t0 + (int) r[3] * 1_000_000L, null, 0, -1));
    }
    return p;
  }

  @Test
  void rowsAndColoursDoNotDependOnTheOrderTasksFinished() {
    Object[][] a = {{"worker-10", "sum", 0, 5}, {"worker-2", "load", 1, 3}, {"main", "add", 2, 4}};
    Object[][] b = {a[2], a[0], a[1]};
    for (Object[][] order : new Object[][][] {a, b}) {
      ReportData d = ReportData.of(List.of(recorded(order)));
      assertEquals(List.of("main", "worker-2", "worker-10"), d.workers);
      assertEquals(List.of("add", "load", "sum"), d.prefixes);
    }
    assertTrue(ReportData.natural("w-2", "w-10") < 0);
    assertTrue(ReportData.natural("w-10", "w-10") == 0);
    assertTrue(ReportData.natural("a", "b") < 0);
  }

  @Test
  void adjacentTasksAreDrawnAsSeparateBars() throws Exception {
    // one worker runs 10 tasks of 100 ms back to back: ten bars, not one
    List<Object[]> rs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rs.add(new Object[] {"w", "t", 100 * i, 100 * (i + 1)});
    }
    ReportData d = ReportData.of(List.of(recorded(rs.toArray(new Object[0][]))));
    BufferedImage img = PngReport.render(d);
    javax.imageio.ImageIO.write(img, "png", java.nio.file.Files.createDirectories(
        java.nio.file.Path.of("target", "report-test")).resolve("adjacent.png").toFile());
    // the bar colour of prefix 0 along the middle of the only row
    int color = java.awt.Color.decode(ReportData.color(0)).getRGB() & 0xffffff;
    int row = -1;
    for (int y = 0; y < img.getHeight() && row < 0; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == color) {
          row = y + 3;
          break;
        }
      }
    }
    assertTrue(row > 0, "no bar drawn");
    int runs = 0;
    boolean in = false;
    for (int x = 0; x < img.getWidth() * 0.9; x++) { // the legend swatch is further down
      boolean bar = (img.getRGB(x, row) & 0xffffff) == color;
      if (bar && !in) {
        runs++;
      }
      in = bar;
    }
    assertEquals(10, runs, "one bar per task, with a gap between neighbours");
  }

  @Test
  void axesEndAtRoundNumbers() {
    assertEquals(60.0, PngReport.niceCeil(57));
    assertEquals(1.0, PngReport.niceCeil(1.0));
    assertEquals(1.2, PngReport.niceCeil(1.1), 1e-12);
    assertEquals(0.25, PngReport.niceCeil(0.23), 1e-12);
    assertEquals(200.0, PngReport.niceCeil(187));
    assertEquals(1.0, PngReport.niceCeil(0));
    assertEquals("0.02", PngReport.trim(0.02)); // not ".02"
  }
}
