package io.lakeann.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots recall (x, linear) against queries per second (y, log scale, over whole decades) as a PNG
 * with XChart: one line per series, the highlighted points (the default settings) ringed by one
 * extra series, with a legend, axis labels and a title. Draws off-screen, so it works headless.
 * Stateless.
 */
final class RecallQpsPlot {
  /** One measured setting. */
  record Point(double recall, double qps, boolean highlighted) {}

  /** The points of one curve, in the order they are joined. */
  record Series(String label, List<Point> points) {}

  /** A point and the label of the series it belongs to. */
  record Labeled(String label, Point point) {}

  static final int WIDTH = 1200;
  static final int HEIGHT = 640;
  /** The legend entry of the highlighted points. */
  static final String DEFAULT_SETTING = "default setting";
  /** The y axis of the search benchmarks. */
  static final String ONE_THREAD_QPS = "queries per second, one thread (log scale)";

  /** The colours of the series, in order (repeated when there are more series). */
  static final Color[] COLORS = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf), new Color(0x000080), new Color(0x006400)};

  private RecallQpsPlot() {}

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

  /**
   * One series per distinct {@link ResultLine#series()}, in first-seen order, its points by
   * increasing recall, so that the sweeps of one engine (recall targets, nprobes) make one curve;
   * defaults highlighted.
   */
  static List<Series> fromResults(List<ResultLine> lines) {
    return group(lines.stream().map(line -> new Labeled(line.series(), new Point(
        line.measured().recall(), line.measured().qps(), line.isDefault())))
        .sorted(Comparator.comparingDouble(p -> p.point().recall())).toList());
  }

  static void write(Path file, String title, String xLabel, List<Series> series)
      throws IOException {
    write(file, title, xLabel, ONE_THREAD_QPS, series);
  }

  /** Plots {@code series} with the QPS axis labelled {@code yLabel}. */
  static void write(Path file, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    XYChart chart = chart(title, xLabel, yLabel, series);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }

  /**
   * The chart of {@code series}, the highlighted points of all of them last.
   *
   * @throws IllegalArgumentException when no series has a point, or a QPS is not finite and > 0
   */
  static XYChart chart(String title, String xLabel, String yLabel, List<Series> series) {
    DoubleSummaryStatistics qpsRange = series.stream().flatMap(s -> s.points().stream())
        .mapToDouble(Point::qps).summaryStatistics();
    if (qpsRange.getCount() == 0) {
      throw new IllegalArgumentException("Cannot plot " + title + ": no points");
    }
    if (!(qpsRange.getMin() > 0 && qpsRange.getMax() < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("Cannot plot " + title + " on a log scale: QPS from "
          + qpsRange.getMin() + " to " + qpsRange.getMax() + " (must be finite and > 0)");
    }
    double decadeMin = Math.pow(10, Math.floor(Math.log10(qpsRange.getMin())));
    double decadeMax = Math.pow(10, Math.ceil(Math.log10(qpsRange.getMax())));
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE)
        .setChartBackgroundColor(Color.WHITE).setSeriesColors(COLORS).setMarkerSize(8);
    chart.getStyler().setYAxisLogarithmic(true).setYAxisMin(decadeMin)
        .setYAxisMax(Math.max(10 * decadeMin, decadeMax))
        .setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("#,##0");
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    List<Point> highlighted = new ArrayList<>();
    for (Series s : series) {
      if (!s.points().isEmpty()) {
        chart.addSeries(s.label(), recalls(s.points()), qps(s.points()))
            .setMarker(SeriesMarkers.CIRCLE);
      }
      s.points().stream().filter(Point::highlighted).forEach(highlighted::add);
    }
    if (!highlighted.isEmpty()) {
      XYSeries marked = chart.addSeries(DEFAULT_SETTING, recalls(highlighted), qps(highlighted));
      marked.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
          .setMarker(new Ring()).setMarkerColor(Color.BLACK);
    }
    return chart;
  }

  /** An unfilled circle around a point, twice the size of the series' markers. */
  private static final class Ring extends Marker {
    @Override
    public void paint(Graphics2D g, double x, double y, int size) {
      g.setStroke(new BasicStroke(1.5f));
      g.draw(new Ellipse2D.Double(x - size, y - size, 2 * size, 2 * size));
    }
  }

  private static double[] recalls(List<Point> points) {
    return points.stream().mapToDouble(Point::recall).toArray();
  }

  private static double[] qps(List<Point> points) {
    return points.stream().mapToDouble(Point::qps).toArray();
  }
}
