package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EffortSweepTest {
  @Test
  void batchesStopAfterTheFirstPointReachingTheStopRecallWhileSinglesGoOn() {
    CoreOptions options = CoreOptions.parse(List.of("--synthetic", "n=50,dim=4,shape=uniform,"
        + "queries=20", "--single-queries", "5", "--batch-stop-recall", "0.5"), Path.of("/r"));
    Dataset data = Dataset.load(options);
    GroundTruth truth = GroundTruth.exact(data, Metric.L2, 3, 1);
    RunInfo info = new RunInfo(data.name(), true, data.size(), data.dim(), Metric.L2, 3,
        data.queries().length, data.batchQueries().length, 1, "scalar", "Java 17");
    RunContext context = new RunContext(options, data, truth, info, line -> { }, List.of());
    List<ResultLine> lines = new ArrayList<>();
    // Effort e answers with the true top-3 for e >= 2 and with the wrong rows below.
    new EffortSweep(context, "e", "e curve", "effort", Params.of(),
        new BuildStats(0, 0, Double.NaN, Double.NaN), "none")
        .run(List.of(1, 2, 3), effort -> {
          return (q, k) -> effort >= 2 ? truthOf(truth, data, q) : new long[] {-1, -2, -3};
        }, null, lines::add);
    assertEquals(List.of("single", "batch", "single", "batch", "single"),
        lines.stream().map(ResultLine::mode).toList());
    assertEquals(20, lines.get(1).measured().queries());
    assertEquals(5, lines.get(0).measured().queries());
    assertEquals(0.0, lines.get(1).measured().recall());
    assertEquals(1.0, lines.get(3).measured().recall());
    assertTrue(Double.isNaN(lines.get(3).measured().p50Ms()));
  }

  /** The true ids of the batch query that is {@code q}. */
  private static long[] truthOf(GroundTruth truth, Dataset data, float[] q) {
    for (int i = 0; i < data.batchQueries().length; i++) {
      if (data.batchQueries()[i] == q) {
        return truth.ids()[i];
      }
    }
    throw new AssertionError("not a batch query");
  }
}
