package io.lakeann.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws recall (x, linear) against queries per second (y, log scale) into a PNG: one line per
 * series in sweep order, highlighted points ringed, a legend, axis labels and a title. Uses only
 * java.awt on an off-screen image, so it works headless. Stateless.
 */
final class RecallQpsPlot {
  /** One measured setting. */
  record Point(double recall, double qps, boolean highlighted) {}

  /** The points of one curve, in the order they are joined. */
  record Series(String label, List<Point> points) {}

  static final int WIDTH = 1000;
  static final int HEIGHT = 640;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final int PAD = 12;
  private static final Color[] COLORS = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf), new Color(0x000080), new Color(0x006400)};

  private RecallQpsPlot() {}

  /** A point and the label of the series it belongs to. */
  record Labeled(String label, Point point) {}

  /** One series per distinct label, in first-seen order, each with its points in given order. */
  static List<Series> group(List<Labeled> points) {
    Map<String, List<Point>> byLabel = new LinkedHashMap<>();
    for (Labeled p : points) {
      byLabel.computeIfAbsent(p.label(), l -> new ArrayList<>()).add(p.point());
    }
    List<Series> series = new ArrayList<>();
    byLabel.forEach((label, list) -> series.add(new Series(label, List.copyOf(list))));
    return series;
  }

  /** One series per distinct {@link ResultLine#series()}, in first-seen order; defaults ringed. */
  static List<Series> fromResults(List<ResultLine> lines) {
    return group(lines.stream().map(line -> new Labeled(line.series(), new Point(
        line.measured().recall(), line.measured().qps(), line.isDefault()))).toList());
  }

  /** The y axis of the search benchmarks. */
  static final String ONE_THREAD_QPS = "queries per second, one thread (log scale)";

  static void write(Path file, String title, String xLabel, List<Series> series)
      throws IOException {
    write(file, title, xLabel, ONE_THREAD_QPS, series);
  }

  /** Plots {@code series} with the QPS axis labelled {@code yLabel}. */
  static void write(Path file, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    List<Point> all = new ArrayList<>();
    series.forEach(s -> all.addAll(s.points()));
    if (all.isEmpty()) {
      throw new IllegalArgumentException("Cannot plot " + title + ": no points");
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      Axes axes = Axes.fit(all);
      drawGrid(g, axes, xLabel, yLabel);
      for (int i = 0; i < series.size(); i++) {
        drawSeries(g, axes, series.get(i), COLORS[i % COLORS.length]);
      }
      drawLegend(g, series, all.stream().anyMatch(Point::highlighted));
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      centre(g, title, WIDTH / 2, TOP / 2 + 6);
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("No PNG writer available to write " + file);
    }
  }

  /**
   * Data ranges and their mapping to pixels: recall from a round value below the smallest up to 1,
   * QPS over whole decades.
   */
  private record Axes(double xMin, double xStep, int decadeMin, int decadeMax) {
    static Axes fit(List<Point> points) {
      double minRecall = 1;
      double minQps = Double.MAX_VALUE;
      double maxQps = 0;
      for (Point p : points) {
        minRecall = Math.min(minRecall, p.recall());
        minQps = Math.min(minQps, p.qps());
        maxQps = Math.max(maxQps, p.qps());
      }
      double span = 1 - minRecall;
      double step = span > 0.4 ? 0.1 : span > 0.15 ? 0.05 : 0.02;
      double xMin = Math.min(1 - step, Math.floor(minRecall / step) * step);
      int lo = (int) Math.floor(Math.log10(minQps));
      int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(maxQps)));
      return new Axes(xMin, step, lo, hi);
    }

    /** Recall to pixels, keeping {@link #PAD} pixels free at both ends for markers. */
    double x(double recall) {
      return LEFT + PAD + (recall - xMin) / (1 - xMin) * (WIDTH - LEFT - RIGHT - 2 * PAD);
    }

    double y(double qps) {
      double t = (Math.log10(qps) - decadeMin) / (decadeMax - decadeMin);
      return HEIGHT - BOTTOM - t * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static void drawGrid(Graphics2D g, Axes axes, String xLabel, String yLabel) {
    int plotRight = WIDTH - RIGHT;
    int plotBottom = HEIGHT - BOTTOM;
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    g.setFont(small);
    for (int d = axes.decadeMin(); d <= axes.decadeMax(); d++) {
      for (int m = 1; m <= 9 && (m == 1 || d < axes.decadeMax()); m++) {
        int y = (int) Math.round(axes.y(m * Math.pow(10, d)));
        g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
        g.drawLine(LEFT, y, plotRight, y);
        if (m == 1) {
          g.setColor(Color.DARK_GRAY);
          String label = decadeLabel(d);
          g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
      }
    }
    int ticks = (int) Math.round((1 - axes.xMin()) / axes.xStep());
    for (int i = 0; i <= ticks; i++) {
      double recall = axes.xMin() + i * axes.xStep();
      int x = (int) Math.round(axes.x(recall));
      g.setColor(new Color(0xdddddd));
      g.drawLine(x, TOP, x, plotBottom);
      g.setColor(Color.DARK_GRAY);
      centre(g, String.format(Locale.ROOT, "%.2f", recall), x, plotBottom + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotRight - LEFT, plotBottom - TOP);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    centre(g, xLabel, (LEFT + plotRight) / 2, HEIGHT - 22);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centre(g, yLabel, -(TOP + plotBottom) / 2, 28);
    g.setTransform(saved);
  }

  private static void drawSeries(Graphics2D g, Axes axes, Series series, Color color) {
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    Path2D.Double line = new Path2D.Double();
    for (int i = 0; i < series.points().size(); i++) {
      Point p = series.points().get(i);
      if (i == 0) {
        line.moveTo(axes.x(p.recall()), axes.y(p.qps()));
      } else {
        line.lineTo(axes.x(p.recall()), axes.y(p.qps()));
      }
    }
    g.draw(line);
    for (Point p : series.points()) {
      double x = axes.x(p.recall());
      double y = axes.y(p.qps());
      g.setColor(color);
      g.fill(new Ellipse2D.Double(x - 4, y - 4, 8, 8));
      if (p.highlighted()) {
        g.setColor(Color.BLACK);
        g.draw(new Ellipse2D.Double(x - 9, y - 9, 18, 18));
      }
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void drawLegend(Graphics2D g, List<Series> series, boolean anyHighlighted) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    int rows = series.size() + (anyHighlighted ? 1 : 0);
    int width = 0;
    for (Series s : series) {
      width = Math.max(width, fm.stringWidth(s.label()));
    }
    width += 50;
    int height = rows * 20 + 10;
    int x0 = LEFT + 12;
    int y0 = HEIGHT - BOTTOM - 12 - height;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(x0, y0, width, height);
    g.setColor(Color.GRAY);
    g.drawRect(x0, y0, width, height);
    for (int i = 0; i < rows; i++) {
      int y = y0 + 20 + i * 20;
      if (i < series.size()) {
        g.setColor(COLORS[i % COLORS.length]);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(x0 + 8, y - 4, x0 + 32, y - 4);
        g.fill(new Ellipse2D.Double(x0 + 16, y - 8, 8, 8));
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.drawString(series.get(i).label(), x0 + 40, y);
      } else {
        g.setColor(Color.BLACK);
        g.draw(new Ellipse2D.Double(x0 + 11, y - 13, 18, 18));
        g.drawString("default setting", x0 + 40, y);
      }
    }
  }

  private static String decadeLabel(int decade) {
    if (decade < 0) {
      return String.format(Locale.ROOT, "%s", Math.pow(10, decade));
    }
    String[] suffix = {"", "k", "M", "G"};
    int group = Math.min(decade / 3, suffix.length - 1);
    long mantissa = (long) Math.pow(10, decade - 3 * group);
    return mantissa + suffix[group];
  }

  private static void centre(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }
}
