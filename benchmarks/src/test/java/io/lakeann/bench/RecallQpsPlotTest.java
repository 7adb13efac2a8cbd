package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class RecallQpsPlotTest {
  private static final List<RecallQpsPlot.Series> SERIES = List.of(
      new RecallQpsPlot.Series("lakeann", List.of(
          new RecallQpsPlot.Point(0.81, 40_000, false),
          new RecallQpsPlot.Point(0.95, 9_000, true),
          new RecallQpsPlot.Point(0.99, 2_500, false))),
      new RecallQpsPlot.Series("exact", List.of(new RecallQpsPlot.Point(1.0, 31, false))));

  @Test
  void writesAPngOfTheDocumentedSizeWithTheSeriesDrawnHeadless(@TempDir Path dir)
      throws Exception {
    assertTrue(GraphicsEnvironment.isHeadless(), "the tests run as benchmarks/run does: headless");
    Path png = dir.resolve("plot.png");
    RecallQpsPlot.write(png, "test: recall@10 vs QPS", "recall@10", SERIES);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO cannot read " + png);
    assertEquals(RecallQpsPlot.WIDTH, image.getWidth());
    assertEquals(RecallQpsPlot.HEIGHT, image.getHeight());
    // The legend is on the right; the left half holds only the plot, where the first series'
    // colour can come from its markers and line alone.
    int first = RecallQpsPlot.COLORS[0].getRGB();
    int drawn = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth() / 2; x++) {
        drawn += image.getRGB(x, y) == first ? 1 : 0;
      }
    }
    assertTrue(drawn > 20, "pixels of the first series in the plot's left half: " + drawn);
  }

  @Test
  void theYAxisIsLogarithmicAndTheDefaultSettingsAreMarkedAsTheirOwnSeries() {
    XYChart chart = RecallQpsPlot.chart("t", "recall@10", RecallQpsPlot.ONE_THREAD_QPS, SERIES);
    assertTrue(chart.getStyler().isYAxisLogarithmic());
    assertEquals(List.of("lakeann", "exact", RecallQpsPlot.DEFAULT_SETTING),
        List.copyOf(chart.getSeriesMap().keySet()));
    XYSeries marked = chart.getSeriesMap().get(RecallQpsPlot.DEFAULT_SETTING);
    assertArrayEquals(new double[] {0.95}, marked.getXData());
    assertArrayEquals(new double[] {9_000}, marked.getYData());
    assertEquals(XYSeries.XYSeriesRenderStyle.Scatter, marked.getXYSeriesRenderStyle());
  }

  @Test
  void nothingToPlotIsRefused() {
    assertEquals("Cannot plot t: no points", assertThrows(IllegalArgumentException.class,
        () -> RecallQpsPlot.chart("t", "x", "y", List.of(
            new RecallQpsPlot.Series("empty", List.of())))).getMessage());
  }
}
