package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreOptionsTest {
  private static final Path REPO = Path.of("/repo");

  private static CoreOptions parse(String... args) {
    return CoreOptions.parse(List.of(args), REPO);
  }

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  @Test
  void syntheticRunGetsTheDocumentedDefaults() {
    CoreOptions o = parse("--synthetic", "n=100,dim=8,clusters=2,queries=5,seed=7",
        "--metric=cosine", "--nprobes", "1,3");
    assertEquals(10, o.k);
    assertEquals(Metric.COSINE, o.metric);
    assertEquals(List.of(1, 3), o.nprobes);
    assertEquals(List.of(10, 20, 40, 80, 160, 320), o.hnswEfs);
    assertEquals(Long.MAX_VALUE, o.maxHnswN);
    assertEquals("synthetic-n100-dim8-clusters2-seed7", o.datasetName);
    assertEquals(REPO.resolve("docs/benchmarks.md"), o.out);
  }

  @Test
  void unknownFlagsAndMissingValuesAreNamed() {
    assertTrue(error("--nprobe", "3").startsWith("unknown flag '--nprobe'; core takes --base,"));
    assertEquals("--k needs a value: write --k VALUE or --k=VALUE",
        error("--synthetic", "n=100,dim=8,clusters=2,queries=5,seed=7", "--k"));
    assertEquals("--k 0 is out of range; give a number >= 1",
        error("--synthetic", "n=100,dim=8,clusters=2,queries=5,seed=7", "--k", "0"));
  }

  @Test
  void missingFilesAreNamedWithTheFix() {
    assertEquals("--base /no/such/base.fvecs: no readable file there; pass the path of an existing"
        + " .fvecs file", error("--base", "/no/such/base.fvecs"));
  }

  @Test
  void dataMustBeGivenOneWay() {
    assertEquals("No data: give --synthetic SPEC, or --base F.fvecs and --queries F.fvecs (e.g."
        + " --synthetic n=20000,dim=128,clusters=100,queries=200,seed=7)", error("--k", "5"));
  }

  @Test
  void badMetricsAndListsAreNamed() {
    assertEquals("--metric manhattan: Unknown metric 'manhattan': use one of l2, ip (inner"
        + " product), cosine", error("--synthetic", "n=100,dim=8,clusters=2,queries=5,seed=7", "--metric", "manhattan"));
    assertEquals("--hnsw-efs 10,x: 'x' is not a whole number >= 1; give a comma-separated list,"
        + " e.g. --hnsw-efs 10,20,40,80,160,320", error("--synthetic", "n=100,dim=8,clusters=2,queries=5,seed=7", "--hnsw-efs", "10,x"));
  }
}
