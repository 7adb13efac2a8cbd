package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
  private static final RunInfo BIG = new RunInfo("synthetic-big", true, 1_000_000, 128, Metric.L2,
      10, 1000, 10_000, 2, "panama-256", "Java 17");

  private static ResultLine line(String engine, String series, double recall, double qps,
      BuildStats build, boolean isDefault) {
    Params params = Params.of().with("setting", series);
    if (isDefault) {
      params = params.with(ResultLine.DEFAULT_KEY, true);
    }
    return new ResultLine(BIG, engine, series, params, build,
        new Measured(1000, recall, qps, 1, 2));
  }

  @Test
  void hnswReferenceIsItsCheapestPointReachingTheRecallTarget() {
    BuildStats b = new BuildStats(100, 700, Double.NaN, 700);
    List<ResultLine> hnsw = List.of(line(HnswEngine.NAME, "h", 0.90, 9000, b, false),
        line(HnswEngine.NAME, "h", 0.96, 5000, b, false),
        line(HnswEngine.NAME, "h", 0.99, 6000, b, false));
    assertEquals(0.96, Targets.hnswReference(hnsw).measured().recall());
    assertEquals(0.99, Targets.hnswReference(hnsw.subList(2, 3)).measured().recall());
    assertEquals(0.90, Targets.hnswReference(hnsw.subList(0, 1)).measured().recall());
  }

  @Test
  void aBigRunIsJudgedAndEveryTargetReported() {
    BuildStats lakeBuild = new BuildStats(10, 40, 560, 45);
    BuildStats hnswBuild = new BuildStats(100, 700, Double.NaN, 700);
    List<ResultLine> lines = List.of(
        line(ExactEngine.NAME, "exact", 1.0, 20, new BuildStats(0, 520, Double.NaN, Double.NaN),
            false),
        line(LakeannEngine.NAME, "l", 0.90, 20_000, lakeBuild, false),
        line(LakeannEngine.NAME, "l", 0.97, 6_000, lakeBuild, true),
        line(HnswEngine.NAME, "h", 0.96, 5_000, hnswBuild, false));
    List<Targets.Row> rows = Targets.evaluate(BIG, lines);
    assertEquals(List.of("pass", "pass", "pass", "n/a: target is for SIFT data, k=10"),
        rows.stream().map(Targets.Row::status).toList());
    assertTrue(rows.get(0).measured().contains("300× exact"), rows.get(0).measured());
  }
}
