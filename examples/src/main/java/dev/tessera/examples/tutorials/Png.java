package dev.tessera.examples.tutorials;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The pictures of the tutorial examples: line charts through XChart (the library the
 * diagnostics draw with) and false-colour images through the JDK's {@code ImageIO}, each
 * written as a PNG file whose path is returned and printed.
 */
final class Png {
  private Png() {}

  /** A white line chart of the given size and titles, its legend inside the plot. */
  static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
    XYChart c = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
    return c;
  }

  /** Writes the chart to {@code dir/name}, creating the folder. */
  static Path write(XYChart chart, Path dir, String name) {
    return write(BitmapEncoder.getBufferedImage(chart), dir, name);
  }

  /**
   * Writes {@code counts[row][column]} as an image, 0 to {@code max} through matplotlib's
   * {@code jet} colour map (the one the Mandelbrot tutorial shows), row 0 at the top. The
   * counts are scaled by their logarithm, log(1 + count) / log(1 + max): with hundreds of
   * iterations most points escape within a few, and a linear scale paints them all one blue.
   */
  static Path image(int[][] counts, int max, Path dir, String name) {
    int h = counts.length;
    int w = counts[0].length;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        img.setRGB(c, r, jet(Math.log1p(counts[r][c]) / Math.log1p(max)));
      }
    }
    return write(img, dir, name);
  }

  /**
   * Writes {@code values[row][column]} as {@code plt.imshow(values, interpolation="nearest")}
   * would: each value a square of {@code scale} pixels, its smallest to its largest value
   * through {@code jet}.
   */
  static Path heat(double[][] values, int scale, Path dir, String name) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : values) {
      for (double v : row) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    int h = values.length;
    int w = values[0].length;
    BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h * scale; y++) {
      for (int x = 0; x < w * scale; x++) {
        img.setRGB(x, y, jet(hi > lo ? (values[y / scale][x / scale] - lo) / (hi - lo) : 0));
      }
    }
    return write(img, dir, name);
  }

  private static Path write(BufferedImage img, Path dir, String name) {
    Path file = save(img, dir.resolve(name));
    System.out.println("  wrote " + file);
    return file;
  }

  /** Writes {@code img} as a PNG file, creating its folder; every example's pictures go here. */
  static Path save(BufferedImage img, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new IOException("no PNG writer in this JVM");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** matplotlib's {@code jet}: dark blue, blue, cyan, yellow, red, dark red over [0, 1]. */
  static int jet(double v) {
    double x = Math.max(0, Math.min(1, v));
    int r = channel(1.5 - Math.abs(4 * x - 3));
    int g = channel(1.5 - Math.abs(4 * x - 2));
    int b = channel(1.5 - Math.abs(4 * x - 1));
    return (r << 16) | (g << 8) | b;
  }

  private static int channel(double v) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
  }
}
