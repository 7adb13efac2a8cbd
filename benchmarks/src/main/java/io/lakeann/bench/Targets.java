package io.lakeann.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The goals the benchmark holds lakeann to, each judged from one run's result lines. Every ratio is
 * computed on every run; a goal stated for other data (most are for synthetic 1M x 128) is marked
 * n/a rather than pass or fail. "Equal recall" compares the best lakeann setting whose recall is at
 * least that of the HNSW reference point (no interpolation).
 */
final class Targets {
  static final double RECALL = 0.95;
  static final double SPEEDUP_OVER_EXACT = 200;
  static final double BUILD_SPEEDUP_OVER_HNSW = 5;
  static final double MEMORY_SHARE_OF_HNSW = 0.25;
  static final double BUILD_SECONDS_1M = 20;
  static final int BUILD_THREADS_1M = 2;
  static final double SIFT_RECALL = 0.98;

  private static final String FOR_1M = "target is for synthetic n=1000000, dim=128, k=10";

  /** One line of the summary: the goal, what this run measured, and the verdict. */
  record Row(String target, String measured, String status) {}

  private Targets() {}

  static List<Row> evaluate(RunInfo run, List<ResultLine> lines) {
    boolean big = run.synthetic() && run.n() == 1_000_000 && run.dim() == 128 && run.k() == 10;
    List<ResultLine> lakeann = engine(lines, LakeannEngine.NAME);
    List<ResultLine> hnsw = engine(lines, HnswEngine.NAME);
    List<Row> rows = new ArrayList<>();
    rows.add(speedOverExact(big, lakeann, engine(lines, ExactEngine.NAME)));
    Map<String, List<ResultLine>> bySeries = new LinkedHashMap<>();
    for (ResultLine line : lakeann) {
      bySeries.computeIfAbsent(line.series(), s -> new ArrayList<>()).add(line);
    }
    bySeries.forEach((series, points) -> rows.add(hnsw.isEmpty()
        ? new Row(hnswTarget(series), "HNSW was not run (see --max-hnsw-n)",
            notApplicable("HNSW not measured"))
        : againstHnsw(big, series, points, hnswReference(hnsw))));
    rows.add(buildTime(big && run.buildThreads() == BUILD_THREADS_1M, lakeann));
    rows.add(siftRecall(run, lakeann));
    return rows;
  }

  private static Row speedOverExact(boolean big, List<ResultLine> lakeann,
      List<ResultLine> exact) {
    String target = String.format(Locale.ROOT, "recall@10 ≥ %.2f at ≥ %.0f× exact QPS (synthetic"
        + " 1M × 128)", RECALL, SPEEDUP_OVER_EXACT);
    if (exact.isEmpty()) {
      return new Row(target, "exact scan not measured", notApplicable("exact scan not measured"));
    }
    double exactQps = exact.get(0).measured().qps();
    Optional<ResultLine> best = bestAtRecall(lakeann, RECALL);
    if (best.isEmpty()) {
      return new Row(target, "no lakeann setting reaches recall " + RECALL + " (best "
          + Fmt.recall(bestRecall(lakeann)) + ")", verdict(big, false, FOR_1M));
    }
    Measured m = best.get().measured();
    double ratio = m.qps() / exactQps;
    return new Row(target, describe(best.get()) + ": recall " + Fmt.recall(m.recall()) + ", "
        + Fmt.qps(m.qps()) + " QPS = " + Fmt.times(ratio) + " exact (" + Fmt.qps(exactQps)
        + " QPS)", verdict(big, ratio >= SPEEDUP_OVER_EXACT, FOR_1M));
  }

  /**
   * One lakeann configuration against the HNSW reference point: QPS at equal recall, build speed
   * and memory (the index without originals, as lakeann counts it, vs HNSW's measured heap), all
   * three required at once.
   */
  private static Row againstHnsw(boolean big, String series, List<ResultLine> points,
      ResultLine ref) {
    Measured hnsw = ref.measured();
    BuildStats build = points.get(0).build();
    double speedup = ref.build().seconds() / build.seconds();
    double share = build.bytesPerVector() / ref.build().heapBytesPerVector();
    double shareWithOriginals = build.bytesPerVectorWithOriginals()
        / ref.build().heapBytesPerVector();
    Optional<ResultLine> match = bestAtRecall(points, hnsw.recall());
    String qps = match.isEmpty() ? "does not reach that recall (best "
        + Fmt.recall(bestRecall(points)) + ")"
        : "at " + match.get().params() + ", recall " + Fmt.recall(match.get().measured().recall())
            + ": " + Fmt.qps(match.get().measured().qps()) + " QPS = "
            + Fmt.times(match.get().measured().qps() / hnsw.qps()) + " HNSW";
    String measured = "HNSW " + ref.params() + ": recall " + Fmt.recall(hnsw.recall()) + ", "
        + Fmt.qps(hnsw.qps()) + " QPS, built in " + Fmt.seconds(ref.build().seconds()) + " s, "
        + Fmt.bytes(ref.build().heapBytesPerVector()) + " B/vector heap. lakeann " + qps
        + "; built " + Fmt.times(speedup) + " faster (" + Fmt.seconds(build.seconds())
        + " s); memory " + Fmt.times(share) + " of HNSW ("
        + Fmt.bytes(build.bytesPerVector()) + " B/vector"
        + (shareWithOriginals != share ? "; " + Fmt.times(shareWithOriginals) + " with originals"
            : "")
        + ")";
    boolean ok = match.isPresent() && match.get().measured().qps() >= hnsw.qps()
        && speedup >= BUILD_SPEEDUP_OVER_HNSW && share <= MEMORY_SHARE_OF_HNSW;
    return new Row(hnswTarget(series), measured, verdict(big, ok, FOR_1M));
  }

  private static Row buildTime(boolean applicable, List<ResultLine> lakeann) {
    String target = String.format(Locale.ROOT, "build of 1M × 128 on %d threads ≤ %.0f s (default"
        + " config)", BUILD_THREADS_1M, BUILD_SECONDS_1M);
    Optional<ResultLine> def = defaultSetting(lakeann);
    if (def.isEmpty()) {
      return new Row(target, "default setting not measured", notApplicable("not measured"));
    }
    double seconds = def.get().build().seconds();
    return new Row(target, Fmt.seconds(seconds) + " s on " + def.get().run().buildThreads()
        + " threads", verdict(applicable, seconds <= BUILD_SECONDS_1M,
        FOR_1M + ", --build-threads " + BUILD_THREADS_1M));
  }

  private static Row siftRecall(RunInfo run, List<ResultLine> lakeann) {
    String target = String.format(Locale.ROOT, "SIFT (sift5k) recall@10 ≥ %.2f (default setting)",
        SIFT_RECALL);
    boolean sift = run.dataset().toLowerCase(Locale.ROOT).startsWith("sift") && run.k() == 10;
    Optional<ResultLine> def = defaultSetting(lakeann);
    if (def.isEmpty()) {
      return new Row(target, "default setting not measured", notApplicable("not measured"));
    }
    double recall = def.get().measured().recall();
    return new Row(target, describe(def.get()) + ": recall " + Fmt.recall(recall),
        verdict(sift, recall >= SIFT_RECALL, "target is for SIFT data, k=10"));
  }

  /**
   * The HNSW point lakeann is compared with: the least accurate one that still reaches
   * {@link #RECALL} (the cheapest ef that does), or the most accurate one when none does.
   */
  static ResultLine hnswReference(List<ResultLine> hnsw) {
    Comparator<ResultLine> byRecall = Comparator.comparingDouble(l -> l.measured().recall());
    return hnsw.stream().filter(l -> l.measured().recall() >= RECALL).min(byRecall)
        .orElseGet(() -> hnsw.stream().max(byRecall).orElseThrow());
  }

  /** The fastest of {@code lines} with recall at least {@code recall}. */
  static Optional<ResultLine> bestAtRecall(List<ResultLine> lines, double recall) {
    return lines.stream().filter(l -> l.measured().recall() >= recall)
        .max(Comparator.comparingDouble(l -> l.measured().qps()));
  }

  private static Optional<ResultLine> defaultSetting(List<ResultLine> lakeann) {
    return lakeann.stream().filter(ResultLine::isDefault).findFirst();
  }

  private static double bestRecall(List<ResultLine> lines) {
    return lines.stream().mapToDouble(l -> l.measured().recall()).max().orElse(0);
  }

  private static List<ResultLine> engine(List<ResultLine> lines, String engine) {
    return lines.stream().filter(l -> l.engine().equals(engine)).toList();
  }

  private static String describe(ResultLine line) {
    return line.engine() + " " + line.params();
  }

  private static String hnswTarget(String series) {
    return String.format(Locale.ROOT, "at equal recall: QPS ≥ HNSW, build ≥ %.0f× faster, memory"
        + " ≤ %.2f× (index without originals vs HNSW heap) — %s", BUILD_SPEEDUP_OVER_HNSW,
        MEMORY_SHARE_OF_HNSW, series);
  }

  /** {@code pass}, {@code **FAIL**}, or {@code n/a: reason} when the goal does not apply. */
  static String verdict(boolean applicable, boolean ok, String notApplicableReason) {
    return !applicable ? notApplicable(notApplicableReason) : ok ? "pass" : "**FAIL**";
  }

  static String notApplicable(String reason) {
    return "n/a: " + reason;
  }
}
