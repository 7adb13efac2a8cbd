package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecallQpsPlotTest {

  @Test
  void writesAReadablePngOfTheDocumentedSize(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plot.png");
    RecallQpsPlot.write(png, "test: recall@10 vs QPS", "recall@10", List.of(
        new RecallQpsPlot.Series("lakeann", List.of(
            new RecallQpsPlot.Point(0.81, 40_000, false),
            new RecallQpsPlot.Point(0.95, 9_000, true),
            new RecallQpsPlot.Point(0.99, 2_500, false))),
        new RecallQpsPlot.Series("exact", List.of(new RecallQpsPlot.Point(1.0, 31, false)))));
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO cannot read " + png);
    assertEquals(RecallQpsPlot.WIDTH, image.getWidth());
    assertEquals(RecallQpsPlot.HEIGHT, image.getHeight());
  }
}
