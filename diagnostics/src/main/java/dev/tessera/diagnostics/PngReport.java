package dev.tessera.diagnostics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG report: the same panels as the HTML report, drawn with XChart and stacked into one
 * image. Every panel has the same x range and the plots are aligned (see {@link #stack}), so
 * their time axes line up. In the task stream each prefix is one series whose segments (one per task) are separated
 * by NaN points, which XChart draws as gaps; a task shorter than a pixel is widened to one, a
 * task of three pixels or more ends a pixel early, so that adjacent tasks show as separate
 * bars. Legends sit below the plots (never over a line), axes end at round numbers.
 */
final class PngReport {
  private PngReport() {}

  static final int WIDTH = 1000;
  private static final int LABEL_CHARS = 18;

  static BufferedImage render(ReportData d) {
    List<XYChart> panels = new ArrayList<>();
    if (d.hasTasks) {
      panels.add(taskStream(d));
    }
    if (d.hasResources) {
      XYChart cpu = chart("CPU (100% = one core)", 160, d, "%");
      add(cpu, "CPU %", d.resources.stream().map(r -> new double[] {r.time(), r.cpuPercent()})
          .toList(), new Color(0x4e79a7), false);
      panels.add(cpu);
      XYChart mem = chart("Memory (resident incl. off-heap; Java heap in use)", 180, d, "MiB");
      add(mem, "resident MiB", d.resources.stream().map(r -> new double[] {r.time(),
          r.rssMiB()}).toList(), new Color(0xe15759), false);
      add(mem, "heap MiB", d.resources.stream().map(r -> new double[] {r.time(),
          r.heapMiB()}).toList(), new Color(0x59a14f), false);
      panels.add(mem);
    }
    if (d.hasCache) {
      XYChart cache = chart("Results held by the scheduler", 160, d, "");
      add(cache, "results", d.cache.stream().map(c -> new double[] {c.time(), c.held()})
          .toList(), new Color(0xb07aa1), true);
      panels.add(cache);
      if (d.cacheBytes) {
        long max = d.cache.stream().mapToLong(ReportData.Cache::bytes).max().orElse(0);
        Object[] unit = ReportData.byteUnit(max);
        double size = (Double) unit[1];
        XYChart bytes = chart("Bytes held by the scheduler", 160, d, (String) unit[0]);
        add(bytes, (String) unit[0], d.cache.stream().map(c -> new double[] {c.time(),
            Math.max(0, c.bytes()) / size}).toList(), new Color(0x9c755f), true);
        panels.add(bytes);
      }
    }
    return stack(panels, d.hasTasks ? d.workers : null);
  }

  /**
   * Stacks the charts so that their plot areas line up. XChart sizes each plot by its own y
   * labels, so each chart is drawn once to find its plot (the border is drawn magenta, a colour
   * used nowhere else), then drawn again narrower and shifted right by the difference. The task
   * stream's worker names are drawn here, beside its rows: XChart drops every y label of a
   * chart when some ticks (between rows) must stay unlabelled.
   */
  private static BufferedImage stack(List<XYChart> charts, List<String> workers) {
    int n = charts.size();
    int[][] plot = new int[n][];
    int maxLeft = 0;
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    int nameWidth = 0;
    if (workers != null) {
      BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scratch.createGraphics();
      for (String w : workers) {
        nameWidth = Math.max(nameWidth, g.getFontMetrics(font).stringWidth(shorten(w)));
      }
      g.dispose();
    }
    for (int i = 0; i < n; i++) {
      plot[i] = plotBox(BitmapEncoder.getBufferedImage(charts.get(i)));
      int need = plot[i][0] + (i == 0 && workers != null ? nameWidth + 8 : 0);
      maxLeft = Math.max(maxLeft, need);
    }
    int height = charts.stream().mapToInt(XYChart::getHeight).sum();
    BufferedImage out = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      int y = 0;
      for (int i = 0; i < n; i++) {
        XYChart c = charts.get(i);
        int shift = maxLeft - plot[i][0];
        c.getStyler().setPlotBorderColor(Color.DARK_GRAY);
        BufferedImage img = new BufferedImage(WIDTH - shift, c.getHeight(),
            BufferedImage.TYPE_INT_RGB);
        Graphics2D cg = img.createGraphics();
        try {
          c.paint(cg, WIDTH - shift, c.getHeight());
        } finally {
          cg.dispose();
        }
        g.drawImage(img, shift, y, null);
        if (i == 0 && workers != null) {
          // rows r = 0..rows-1 on a y axis from -1 (plot bottom) to rows (plot top)
          int top = plot[i][1];
          int bottom = plot[i][2];
          int rows = Math.max(1, workers.size());
          g.setColor(Color.DARK_GRAY);
          g.setFont(font);
          for (int r = 0; r < workers.size(); r++) {
            String name = shorten(workers.get(r));
            double cy = bottom - (bottom - top) * (r + 1.0) / (rows + 1);
            int w = g.getFontMetrics().stringWidth(name);
            g.drawString(name, maxLeft - 6 - w, y + (int) Math.round(cy) + 4);
          }
        }
        y += c.getHeight();
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static final Color MARKER = new Color(255, 0, 255);

  private static boolean marker(int rgb) {
    // magenta, possibly blended with white by anti-aliasing
    return ((rgb >> 16) & 255) > 200 && ((rgb >> 8) & 255) < 150 && (rgb & 255) > 200;
  }

  /** The plot's left x, top y and bottom y in a chart drawn with the magenta border. */
  private static int[] plotBox(BufferedImage img) {
    int mid = img.getHeight() / 2;
    int left = 0;
    for (int x = 0; x < img.getWidth(); x++) {
      if (marker(img.getRGB(x, mid))) {
        left = x;
        break;
      }
    }
    int column = Math.min(img.getWidth() - 1, left + 3);
    int top = 0;
    int bottom = img.getHeight() - 1;
    for (int y = 0; y < img.getHeight(); y++) {
      if (marker(img.getRGB(column, y))) {
        top = y;
        break;
      }
    }
    for (int y = img.getHeight() - 1; y >= 0; y--) {
      if (marker(img.getRGB(column, y))) {
        bottom = y;
        break;
      }
    }
    return new int[] {left, top, bottom};
  }

  private static XYChart chart(String title, int height, ReportData d, String unit) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(height + 22).title(title)
        .xAxisTitle("seconds").build();
    XYStyler s = c.getStyler();
    c.getStyler().setXAxisMin(0.0).setXAxisMax(niceCeil(d.end));
    c.getStyler().setXAxisTickLabelsFormattingFunction(PngReport::trim);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // never over a line
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setPlotBorderColor(MARKER);
    s.setPlotGridVerticalLinesVisible(false);
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    c.getStyler().setYAxisTickLabelsFormattingFunction(v -> trim(v) + " " + unit);
    c.getStyler().setYAxisMin(0.0);
    return c;
  }

  /**
   * {@return the smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of
   * ten) at or above {@code v}}, for an axis whose ticks fall on round numbers; at most 25%
   * above {@code v}.
   *
   * @param v positive
   */
  static double niceCeil(double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * mag >= v * (1 - 1e-12)) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  /** A short axis label: {@code 20,000}, {@code 150}, {@code 0.08}, {@code 1.5e-05}. */
  static String trim(double v) {
    if (Math.abs(v) >= 1000 && Math.abs(v) < 1e15) {
      return String.format(java.util.Locale.ROOT, "%,.0f", v);
    }
    String s = String.format(java.util.Locale.ROOT, "%.3g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  private static String shorten(String label) {
    return label.length() <= LABEL_CHARS ? label
        : "…" + label.substring(label.length() - LABEL_CHARS + 1);
  }

  private static void add(XYChart c, String name, List<double[]> all, Color color,
      boolean step) {
    List<double[]> points = thin(all);
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
    double max = 0;
    for (Double y : ys) {
      max = Math.max(max, y);
    }
    Double current = c.getStyler().getYAxisMax();
    c.getStyler().setYAxisMax(Math.max(current == null ? 0 : current, niceCeil(max * 1.05)));
  }

  /**
   * Keeps, of the points that fall in one pixel column, the first, the lowest, the highest and
   * the last (in time order): the drawn line looks the same, with at most 4 points per pixel.
   */
  static List<double[]> thin(List<double[]> points) {
    if (points.size() <= 4 * WIDTH) {
      return points;
    }
    double t0 = points.get(0)[0];
    double span = Math.max(1e-12, points.get(points.size() - 1)[0] - t0);
    List<double[]> out = new ArrayList<>();
    int i = 0;
    while (i < points.size()) {
      long column = (long) ((points.get(i)[0] - t0) / span * WIDTH);
      int j = i;
      int lo = i;
      int hi = i;
      while (j < points.size() && (long) ((points.get(j)[0] - t0) / span * WIDTH) == column) {
        if (points.get(j)[1] < points.get(lo)[1]) {
          lo = j;
        }
        if (points.get(j)[1] > points.get(hi)[1]) {
          hi = j;
        }
        j++;
      }
      java.util.TreeSet<Integer> keep = new java.util.TreeSet<>(List.of(i, lo, hi, j - 1));
      for (int k : keep) {
        out.add(points.get(k));
      }
      i = j;
    }
    return out;
  }

  private static XYChart taskStream(ReportData d) {
    int rows = Math.max(1, d.workers.size());
    int rowPx = Math.max(8, Math.min(24, 240 / rows));
    XYChart c = chart("Task stream (one row per worker, colour by prefix)",
        110 + (rows + 2) * rowPx + 20 * ((d.prefixes.size() + 5) / 6), d, "");
    XYStyler s = c.getStyler();
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    // rows 0..rows-1 with half a row of space above and below
    c.getStyler().setYAxisMin(-1.0).setYAxisMax((double) rows);
    c.getStyler().setPlotGridHorizontalLinesVisible(false);
    s.setYAxisTicksVisible(false); // the worker names are drawn by stack()
    double minWidth = niceCeil(d.end) / (WIDTH * 0.8); // about a pixel of the plot
    float thickness = Math.max(4f, rowPx * 0.7f);
    for (int p = 0; p < d.prefixes.size(); p++) {
      List<ReportData.Bar> bars = new ArrayList<>();
      for (ReportData.Bar b : d.bars) {
        if (b.prefix() == p) {
          bars.add(b);
        }
      }
      bars.sort(Comparator.comparingInt(ReportData.Bar::worker)
          .thenComparingDouble(ReportData.Bar::start));
      // Short bars (under three pixels) less than a pixel apart merge into one segment: the
      // image is the same, and XChart draws tens of thousands of tasks in a fraction of the
      // time. Longer bars end a pixel early: the gap shows where one task ends and the next
      // begins.
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      int i = 0;
      while (i < bars.size()) {
        ReportData.Bar first = bars.get(i);
        double end = first.end();
        int j = i + 1;
        boolean tiny = end - first.start() < 3 * minWidth;
        while (tiny && j < bars.size() && bars.get(j).worker() == first.worker()
            && bars.get(j).start() - end < minWidth
            && bars.get(j).end() - bars.get(j).start() < 3 * minWidth) {
          end = Math.max(end, bars.get(j).end());
          j++;
        }
        double drawnEnd = end - first.start() >= 3 * minWidth ? end - minWidth : end;
        xs.add(first.start());
        ys.add((double) first.worker());
        xs.add(Math.max(drawnEnd, first.start() + minWidth));
        ys.add((double) first.worker());
        xs.add(end);
        ys.add(Double.NaN);
        i = j;
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
