package dev.tessera.diagnostics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG report: the same panels as the HTML report, drawn with XChart and stacked into one
 * image. Every panel has the same x range and fixed-width y labels, so their time axes line
 * up. In the task stream each prefix is one series whose segments (one per task) are separated
 * by NaN points, which XChart draws as gaps; a task shorter than a pixel is widened to one.
 */
final class PngReport {
  private PngReport() {}

  static final int WIDTH = 1000;
  private static final int LABEL_CHARS = 14;

  static BufferedImage render(ReportData d) {
    List<BufferedImage> panels = new ArrayList<>();
    if (d.hasTasks) {
      panels.add(BitmapEncoder.getBufferedImage(taskStream(d)));
    }
    if (d.hasResources) {
      XYChart cpu = chart("CPU (100% = one core)", Math.max(160, 0), d, "%");
      add(cpu, "CPU %", d.resources.stream().map(r -> new double[] {r.time(), r.cpuPercent()})
          .toList(), new Color(0x4e79a7), false);
      panels.add(BitmapEncoder.getBufferedImage(cpu));
      XYChart mem = chart("Memory (resident incl. off-heap; Java heap in use)", 180, d, "MiB");
      add(mem, "resident MiB", d.resources.stream().map(r -> new double[] {r.time(),
          r.rssMiB()}).toList(), new Color(0xe15759), false);
      add(mem, "heap MiB", d.resources.stream().map(r -> new double[] {r.time(),
          r.heapMiB()}).toList(), new Color(0x59a14f), false);
      panels.add(BitmapEncoder.getBufferedImage(mem));
    }
    if (d.hasCache) {
      XYChart cache = chart("Results held by the scheduler", 160, d, "");
      add(cache, "results", d.cache.stream().map(c -> new double[] {c.time(), c.held()})
          .toList(), new Color(0xb07aa1), true);
      panels.add(BitmapEncoder.getBufferedImage(cache));
      if (d.cacheBytes) {
        XYChart bytes = chart("Bytes held by the scheduler", 160, d, "MiB");
        add(bytes, "MiB", d.cache.stream().map(c -> new double[] {c.time(), c.mib()})
            .toList(), new Color(0x9c755f), true);
        panels.add(BitmapEncoder.getBufferedImage(bytes));
      }
    }
    int height = panels.stream().mapToInt(BufferedImage::getHeight).sum();
    BufferedImage out = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      int y = 0;
      for (BufferedImage p : panels) {
        g.drawImage(p, 0, y, null);
        y += p.getHeight();
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static XYChart chart(String title, int height, ReportData d, String unit) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(height).title(title)
        .xAxisTitle("seconds").build();
    XYStyler s = c.getStyler();
    c.getStyler().setXAxisMin(0.0).setXAxisMax(d.end);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    s.setAxisTickLabelsFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
    s.setPlotGridVerticalLinesVisible(false);
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    c.getStyler().setYAxisTickLabelsFormattingFunction(v -> pad(trim(v) + " " + unit));
    c.getStyler().setYAxisMin(0.0);
    return c;
  }

  private static String trim(double v) {
    String s = String.format("%.3g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  /** Right-aligns a y label in a fixed width, so every panel's plot starts at the same x. */
  private static String pad(String label) {
    String s = label.length() > LABEL_CHARS ? "…" + label.substring(label.length()
        - LABEL_CHARS + 1) : label;
    return " ".repeat(LABEL_CHARS - s.length()) + s;
  }

  private static void add(XYChart c, String name, List<double[]> points, Color color,
      boolean step) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (step && i > 0) {
        xs.add(points.get(i)[0]);
        ys.add(points.get(i - 1)[1]);
      }
      xs.add(points.get(i)[0]);
      ys.add(points.get(i)[1]);
    }
    if (xs.isEmpty()) {
      xs.add(0.0);
      ys.add(0.0);
    }
    XYSeries s = c.addSeries(name, xs, ys);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineWidth(1.5f);
  }

  private static XYChart taskStream(ReportData d) {
    int rows = Math.max(1, d.workers.size());
    int rowPx = Math.max(8, Math.min(24, 240 / rows));
    XYChart c = chart("Task stream (one row per worker, colour by prefix)",
        110 + rows * rowPx + 20 * ((d.prefixes.size() + 5) / 6), d, "");
    XYStyler s = c.getStyler();
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    c.getStyler().setYAxisMin(-0.5).setYAxisMax(rows - 0.5);
    c.getStyler().setYAxisTickMarkSpacingHint(Math.max(10, rowPx));
    c.getStyler().setPlotGridHorizontalLinesVisible(false);
    Function<Double, String> workerName = v -> {
      long i = Math.round(v);
      return Math.abs(v - i) < 1e-6 && i >= 0 && i < d.workers.size()
          ? pad(d.workers.get((int) i)) : "";
    };
    c.getStyler().setYAxisTickLabelsFormattingFunction(workerName);
    double minWidth = d.end / WIDTH;
    float thickness = Math.max(4f, rowPx * 0.7f);
    for (int p = 0; p < d.prefixes.size(); p++) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (ReportData.Bar b : d.bars) {
        if (b.prefix() != p) {
          continue;
        }
        xs.add(b.start());
        ys.add((double) b.worker());
        xs.add(Math.max(b.end(), b.start() + minWidth));
        ys.add((double) b.worker());
        xs.add(b.end());
        ys.add(Double.NaN);
      }
      XYSeries series = c.addSeries(d.prefixes.get(p), xs, ys);
      series.setMarker(SeriesMarkers.NONE);
      series.setLineColor(Color.decode(ReportData.color(p)));
      series.setLineStyle(new BasicStroke(thickness, BasicStroke.CAP_BUTT,
          BasicStroke.JOIN_MITER));
    }
    return c;
  }
}
