package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerSummaryTest {
  private static final RunInfo RUN = new RunInfo("d", true, 1000, 8, Metric.L2, 10, 100, 1000, 2,
      "panama-256", "Java 25");
  private static final BuildStats BUILD = new BuildStats(1.5, 60, 100, Double.NaN);

  private static ResultLine line(String engine, String series, String mode, Params params,
      double recall, double qps) {
    return new ResultLine(RUN, engine, series, params, BUILD,
        new Measured(100, recall, qps, Double.NaN, Double.NaN), mode, "simd");
  }

  private static ResultLine point(String engine, String mode, int ef, double recall, double qps) {
    return line(engine, engine + " curve", mode, Params.of().with("ef", ef), recall, qps);
  }

  @Test
  void bestAtEachRecallIsAMeasuredPointOrNotReached() {
    List<ResultLine> lines = List.of(point("g", "single", 10, 0.89, 9000),
        point("g", "single", 20, 0.93, 7000), point("g", "single", 40, 0.97, 3000),
        point("g", "single", 80, 0.96, 4000));
    PeerSummary.Curve curve = PeerSummary.curves(lines).get(0);
    assertEquals(7000, curve.best().get(0).orElseThrow().measured().qps());
    assertEquals(4000, curve.best().get(1).orElseThrow().measured().qps());
    assertTrue(curve.best().get(2).isEmpty());
  }

  @Test
  void singleAndBatchAreSeparateCurves() {
    List<PeerSummary.Curve> curves = PeerSummary.curves(List.of(point("g", "single", 10, 0.9, 5),
        point("g", "batch", 10, 0.9, 50), point("g", "single", 20, 0.95, 4)));
    assertEquals(List.of("single", "batch"), curves.stream().map(PeerSummary.Curve::mode)
        .toList());
  }

  @Test
  void defaultIsComparedWithTheFastestLakeannPointOfItsModeAtItsRecall() {
    Params base = Params.of().with("nprobe", 8);
    List<ResultLine> lines = List.of(
        line(LakeannEngine.NAME, "a", "single", base, 0.97, 8000),
        line(LakeannEngine.NAME, "b", "single", Params.of().with("nprobe", 4), 0.96, 9000),
        line(LakeannEngine.NAME, "a", "single", base.with(ResultLine.DEFAULT_KEY, true), 0.96,
            6000),
        line(LakeannEngine.NAME, "a", "batch", base.with(ResultLine.DEFAULT_KEY, true), 0.99,
            20000),
        line("other", "o", "single", base, 0.99, 99000));
    List<PeerSummary.Default> defaults = PeerSummary.defaults(lines);
    assertEquals(2, defaults.size());
    assertEquals(9000, defaults.get(0).best().measured().qps());
    assertEquals(6000.0 / 9000, defaults.get(0).fraction(), 1e-12);
    assertEquals("batch", defaults.get(1).mode());
    assertEquals(1.0, defaults.get(1).fraction());
  }

  @Test
  void aRunReplacesOnlyTheRowsOfItsOwnRuntime() {
    List<ResultLine> java25 = List.of(point("g", "single", 10, 0.95, 1000));
    String first = PeerSummary.section("d", "Java 25, panama-256", "d-java25", 10, java25,
        List.of(), "");
    RunInfo java17 = new RunInfo("d", true, 1000, 8, Metric.L2, 10, 100, 1000, 2, "panama-256",
        "Java 17");
    ResultLine old = new ResultLine(java17, "g", "g curve", Params.of().with("ef", 10), BUILD,
        new Measured(100, 0.91, 500, 1, 1));
    String second = PeerSummary.section("d", "Java 17, panama-256", "d-java17", 10,
        List.of(old), List.of(new PeerSummary.Skip("jvector", "needs Java 21+")), first);
    String again = PeerSummary.section("d", "Java 25, panama-256", "d-java25", 10,
        List.of(point("g", "single", 10, 0.95, 2000)), List.of(), second);
    List<String> rows = PeerSummary.keptRows(again, PeerSummary.CURVES_HEADER, "none");
    assertEquals(3, rows.size());
    assertTrue(rows.get(0).startsWith("| Java 17, panama-256 | g |"), rows.get(0));
    assertTrue(rows.get(0).contains("500 (ef=10: 0.9100)"), rows.get(0));
    assertTrue(rows.get(1).contains("not run: needs Java 21+"), rows.get(1));
    assertTrue(rows.get(2).startsWith("| Java 25, panama-256 |")
        && rows.get(2).contains("2,000 (ef=10: 0.9500)"), rows.get(2));
  }

  @Test
  void knobIsTheLastParamOrDefault() {
    Params p = Params.of().with("M", 16).with("ef", 40);
    assertEquals("ef=40", p.knob());
    assertEquals("default", p.with(ResultLine.DEFAULT_KEY, true).knob());
  }
}
