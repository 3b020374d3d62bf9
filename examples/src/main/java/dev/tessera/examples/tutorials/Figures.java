package dev.tessera.examples.tutorials;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The pictures of the seed 003 and 004 examples, drawn with XChart (the library the
 * diagnostics module draws its PNG report with): a heat map of a function over a grid and a
 * histogram with a marked interval.
 */
final class Figures {
  private Figures() {}

  /**
   * Writes a heat map of {@code z[i][j]} over {@code xs[i]} and {@code ys[j]} to a PNG of
   * {@code width} x {@code height}; about 8 tick labels per axis, so large grids stay legible,
   * and values rounded to whole numbers.
   */
  static Path heatMap(Path file, String title, String xName, double[] xs, String yName,
      double[] ys, double[][] z, int width, int height) {
    HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xName).yAxisTitle(yName).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setPlotContentSize(1.0);
    chart.getStyler().setShowValue(false);
    chart.getStyler().setDrawBorder(false);
    chart.getStyler().setRangeColors(new Color[] {new Color(0x30123b), new Color(0x28bbec),
        new Color(0xa2fc3c), new Color(0xfb8022), new Color(0x7a0403)});
    chart.getStyler().setHeatMapValueDecimalPattern("0");
    List<String> xl = labels(xs);
    List<String> yl = labels(ys);
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      for (int j = 0; j < ys.length; j++) {
        // whole numbers: XChart prints the legend's extremes in full, unformatted
        cells.add(new Number[] {i, j, Math.round(z[i][j])});
      }
    }
    chart.addSeries(title, xl, yl, cells);
    return save(chart, file);
  }

  /** Labels every k-th value (about 8 in all) and leaves the others blank. */
  private static List<String> labels(double[] values) {
    int every = Math.max(1, values.length / 8);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(i % every == 0 ? String.format(Locale.ROOT, "%.2f", values[i])
          : " ".repeat(1 + i % every)); // distinct blanks: XChart keys categories by label
    }
    return out;
  }

  /**
   * Writes a histogram of {@code values} in {@code bins} equal bins over [lo, hi] to a PNG, the
   * bins inside [markLo, markHi] (a confidence interval) in a darker colour.
   */
  static Path histogram(Path file, String title, String xName, double[] values, int bins,
      double lo, double hi, double markLo, double markHi, int width, int height) {
    long[] inside = new long[bins];
    long[] outside = new long[bins];
    for (double v : values) {
      int b = (int) Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / (hi - lo) * bins)));
      double centre = lo + (b + 0.5) * (hi - lo) / bins;
      if (centre >= markLo && centre <= markHi) {
        inside[b]++;
      } else {
        outside[b]++;
      }
    }
    List<Double> centres = new ArrayList<>();
    List<Long> in = new ArrayList<>();
    List<Long> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      centres.add(lo + (b + 0.5) * (hi - lo) / bins);
      in.add(inside[b]);
      out.add(outside[b]);
    }
    CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xName).yAxisTitle("resamples").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setStacked(true);
    chart.getStyler().setAvailableSpaceFill(0.96);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setXAxisDecimalPattern("0.000");
    chart.getStyler().setXAxisMaxLabelCount(12);
    chart.getStyler().setSeriesColors(new Color[] {new Color(0x1f77b4), new Color(0xaec7e8)});
    chart.addSeries(String.format(Locale.ROOT, "inside the 95%% interval [%.3f, %.3f]", markLo,
        markHi), centres, in);
    chart.addSeries("outside", centres, out);
    return save(chart, file);
  }

  private static Path save(Chart<?, ?> chart, Path file) {
    return Png.save(BitmapEncoder.getBufferedImage(chart), file);
  }
}
