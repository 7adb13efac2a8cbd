package io.lakeann.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-dataset summary of {@code benchmarks/run core}: for every engine curve (series) and mode
 * (single queries, batch), the best measured QPS among its points with recall at least 0.90, 0.95
 * and 0.98 (a measured point, never interpolated, or "not reached"), its build time and bytes per
 * vector; then lakeann at its defaults (the line marked {@code "default": true}) beside the best
 * lakeann point of the same mode that reaches the same recall. Rows carry the run's runtime (JVM
 * and lakeann kernels), and a run replaces only the rows of its own runtime, so one section shows
 * the Java 17 run and the JDK 25 run side by side. Stateless.
 */
final class PeerSummary {
  /** The recall levels of the summary's columns. */
  static final List<Double> RECALLS = List.of(0.90, 0.95, 0.98);

  static final String CURVES_HEADER = "| runtime | engine | curve | mode | SIMD | build s"
      + " | bytes/vector | QPS at recall ≥ 0.90 | QPS at recall ≥ 0.95 | QPS at recall ≥ 0.98 |";
  static final String DEFAULTS_HEADER = "| runtime | mode | lakeann default | recall | QPS"
      + " | best lakeann point at ≥ that recall | default ÷ best |";

  private PeerSummary() {}

  /** An engine that did not run, and why. */
  record Skip(String engine, String reason) {}

  /**
   * One curve: its lines in sweep order and, for each of {@link #RECALLS}, the fastest of them
   * that reaches it (empty: none does).
   */
  record Curve(String engine, String series, String mode, String kernels, BuildStats build,
      List<Optional<ResultLine>> best) {}

  /** The lakeann default of one mode and the fastest lakeann point of that mode at its recall. */
  record Default(String mode, ResultLine line, ResultLine best) {
    double fraction() {
      return line.measured().qps() / best.measured().qps();
    }
  }

  /** One curve per (series, mode), in first-seen order. */
  static List<Curve> curves(List<ResultLine> lines) {
    Map<String, List<ResultLine>> byCurve = new LinkedHashMap<>();
    for (ResultLine line : lines) {
      byCurve.computeIfAbsent(line.series() + "\n" + line.mode(), c -> new ArrayList<>())
          .add(line);
    }
    List<Curve> curves = new ArrayList<>();
    for (List<ResultLine> points : byCurve.values()) {
      ResultLine first = points.get(0);
      List<Optional<ResultLine>> best = new ArrayList<>();
      for (double recall : RECALLS) {
        best.add(Targets.bestAtRecall(points, recall));
      }
      curves.add(new Curve(first.engine(), first.series(), first.mode(), first.kernels(),
          first.build(), List.copyOf(best)));
    }
    return curves;
  }

  /** lakeann's default line of each mode that has one, with its best same-recall point. */
  static List<Default> defaults(List<ResultLine> lines) {
    List<Default> out = new ArrayList<>();
    for (String mode : List.of(ResultLine.SINGLE, ResultLine.BATCH)) {
      List<ResultLine> lakeann = lines.stream()
          .filter(l -> l.engine().equals(LakeannEngine.NAME) && l.mode().equals(mode)).toList();
      lakeann.stream().filter(ResultLine::isDefault).findFirst().ifPresent(def -> out.add(
          new Default(mode, def, Targets.bestAtRecall(lakeann, def.measured().recall())
              .orElseThrow())));
    }
    return out;
  }

  /**
   * The summary section {@code name} for this run's {@code lines} (run on {@code runtime}),
   * keeping the rows of other runtimes from {@code existing}, the old section's text ("" when
   * there is none).
   */
  static String section(String name, String runtime, String runSection, int k,
      List<ResultLine> lines, List<Skip> skips, String existing) {
    List<String> curveRows = keptRows(existing, CURVES_HEADER, runtime);
    for (Curve c : curves(lines)) {
      List<Object> cells = new ArrayList<>(List.of(runtime, c.engine(), c.series(), c.mode(),
          c.kernels(), Fmt.seconds(c.build().seconds()), Fmt.bytes(c.build())));
      for (Optional<ResultLine> best : c.best()) {
        cells.add(best.map(PeerSummary::point).orElse("not reached"));
      }
      curveRows.add(MarkdownReport.tableRow(cells.toArray()));
    }
    for (Skip s : skips) {
      curveRows.add(MarkdownReport.tableRow(runtime, s.engine(), "–", "–", "–", "–", "–",
          "not run: " + s.reason(), "–", "–"));
    }
    List<String> defaultRows = keptRows(existing, DEFAULTS_HEADER, runtime);
    for (Default d : defaults(lines)) {
      Measured m = d.line().measured();
      defaultRows.add(MarkdownReport.tableRow(runtime, d.mode(), d.line().params(),
          Fmt.recall(m.recall()), Fmt.qps(m.qps()), Fmt.qps(d.best().measured().qps()) + " at "
              + d.best().params() + " (recall " + Fmt.recall(d.best().measured().recall()) + ")",
          Fmt.times(d.fraction())));
    }
    curveRows.sort(Comparator.comparing(PeerSummary::runtimeOf));
    defaultRows.sort(Comparator.comparing(PeerSummary::runtimeOf));
    List<String> out = new ArrayList<>();
    out.add("<!-- bench:" + name + " -->");
    out.add("## " + name + ": lakeann and its peers at equal recall");
    out.add("");
    out.add("Best measured QPS (one search thread) among each curve's points whose recall@" + k
        + " reaches the level — a measured point, not interpolated: QPS (setting: recall). Single"
        + " queries and batches (all batch queries in one call on one thread; graph peers loop"
        + " single searches). *runtime* is the JVM and lakeann's kernels of the run; *SIMD* what"
        + " the engine itself ran with. Each runtime's rows come from its latest run, whose full"
        + " section is `" + name + "-java...`; this run's is [" + runSection + "](#"
        + runSection + ").");
    out.add("");
    out.add(CURVES_HEADER);
    out.add("|---|---|---|---|---|---:|---:|---:|---:|---:|");
    out.addAll(curveRows);
    out.add("");
    out.add("lakeann at its defaults (the setting marked `default`) against the fastest lakeann"
        + " point of the same mode whose recall is at least the default's.");
    out.add("");
    out.add(DEFAULTS_HEADER);
    out.add("|---|---|---|---:|---:|---|---:|");
    out.addAll(defaultRows);
    out.add(MarkdownReport.closing(name));
    return String.join("\n", out);
  }

  /** {@code QPS (setting: recall)} of a measured point; the setting is its last knob. */
  static String point(ResultLine line) {
    return Fmt.qps(line.measured().qps()) + " (" + line.params().knob() + ": "
        + Fmt.recall(line.measured().recall()) + ")";
  }

  /**
   * The rows of the table under {@code header} in {@code existing} whose runtime is not
   * {@code runtime}, in order.
   */
  static List<String> keptRows(String existing, String header, String runtime) {
    List<String> kept = new ArrayList<>();
    boolean inTable = false;
    for (String line : existing.split("\n", -1)) {
      if (line.equals(header)) {
        inTable = true;
      } else if (!inTable || !line.startsWith("|")) {
        inTable = false;
      } else if (!line.startsWith("|---") && !runtimeOf(line).equals(runtime)) {
        kept.add(line);
      }
    }
    return kept;
  }

  /** The first cell of a table row. */
  private static String runtimeOf(String row) {
    int end = row.indexOf('|', 1);
    return end < 0 ? "" : row.substring(1, end).trim();
  }
}
