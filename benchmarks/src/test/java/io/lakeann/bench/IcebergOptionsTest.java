package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeann.core.Metric;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcebergOptionsTest {
  private static final Path REPO = Path.of("/repo");
  private static final String SPEC = "n=1000,dim=8,clusters=2,queries=5,seed=7";

  private static String error(String... args) {
    return assertThrows(UsageException.class,
        () -> IcebergOptions.parse(List.of(args), REPO)).getMessage();
  }

  @Test
  void syntheticRunGetsTheDocumentedDefaults() {
    IcebergOptions o = IcebergOptions.parse(List.of("--synthetic", SPEC), REPO);
    assertEquals(8, o.files);
    assertEquals(0.05, o.delta);
    assertEquals(50_000, o.targetRows);
    assertEquals(10, o.k);
    assertEquals(Metric.L2, o.metric);
    assertEquals(Measured.Timing.DEFAULT, o.timing);
    assertEquals(REPO.resolve("docs/benchmarks.md"), o.out);
    assertEquals("iceberg-synthetic-n1000-dim8-clusters2-seed7", o.sectionName());
  }

  @Test
  void badValuesAreNamedWithTheFix() {
    assertEquals("--synthetic is required: the generated data, e.g. --synthetic"
        + " n=200000,dim=128,clusters=200,queries=200,seed=7", error("--files", "4"));
    assertEquals("--delta 1.5: must be a number > 0 and <= 1.0, e.g. --delta 0.05",
        error("--synthetic", SPEC, "--delta", "1.5"));
    assertEquals("--files 2000: more data files than the 1000 rows of --synthetic; use --files"
        + " 1000 or less", error("--synthetic", SPEC, "--files", "2000"));
    assertEquals("unknown flag '--nprobes'; iceberg takes --delta, --files, --k, --metric, --out,"
        + " --search-seconds, --synthetic, --target-rows",
        error("--synthetic", SPEC, "--nprobes", "4"));
  }
}
