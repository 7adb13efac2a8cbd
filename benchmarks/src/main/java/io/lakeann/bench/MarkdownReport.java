package io.lakeann.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one run into the benchmark doc: a section per run name between {@code <!-- bench:NAME -->}
 * and {@code <!-- /bench:NAME -->} markers, with a recall/QPS plot saved beside the doc as
 * {@code benchmarks-NAME.png}. A {@code core} section (named after its dataset) shows the machine,
 * the command, every result line and the verdict on each target; other subcommands render their
 * own sections and merge them here. Rewriting replaces the section of the same name and keeps the
 * others in place; the header above the sections is always regenerated.
 */
final class MarkdownReport {
  static final String HEADER = String.join("\n",
      "# lakeann benchmarks",
      "",
      "Speed, memory and recall of lakeann (IVF-RaBitQ, `index-core`) beside an exact SIMD scan",
      "and the Java graph indexes — hnswlib-core, Apache Lucene 10.3.2's HNSW in its float32, int7",
      "and BBQ formats, and jvector 3.0.6 — all measured in one JVM and one run per dataset, with",
      "one search thread; of its Iceberg layer (`iceberg-backend`) beside Iceberg's generic reader",
      "and an exact scan; and of its ANN join in Spark (`spark-connector`) beside the exact cross",
      "join and per-partition HNSW. Each section below is written by the benchmark itself:",
      "re-running replaces its section (and plots) and keeps the others. `benchmarks/run core`",
      "writes two per run: `DATASET-javaN-KERNELS`, everything the run measured on that JVM with",
      "lakeann's kernels, and `DATASET`, the summary at recall 0.90 / 0.95 / 0.98, whose rows of",
      "each runtime (JVM and kernels) come from that runtime's latest run. Sections named",
      "`iceberg-...` come from `benchmarks/run iceberg`, `join-...` from `benchmarks/run join`.",
      "",
      "The acceptance matrix of the core benchmark (five datasets; the JDK 25 runs with every peer,",
      "then the Java 17 runs of lakeann alone; about 30 minutes on two idle cores by estimate,",
      "most of it the graph builds at 1M rows, of which the slowest are left out and named in",
      "the report; `LAKEANN_MATRIX_FULL=1` keeps them):",
      "",
      "```bash",
      "benchmarks/matrix            # or: benchmarks/matrix java25 | java17",
      "```",
      "",
      "Single runs (from any directory; the script builds the project with the JDK it runs on,",
      "`LAKEANN_BENCH_HEAP` sets the heap, default 16g, and `LAKEANN_BENCH_JVM_OPTS` adds JVM",
      "flags, e.g. `-Dlakeann.kernels=scalar` for lakeann without its SIMD kernels):",
      "",
      "```bash",
      "# Lucene 10 and jvector need Java 21+: on Java 17 the run says so and goes on without them",
      "JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run core \\",
      "    --base ../shared/data/sift5k/base.fvecs --queries ../shared/data/sift5k/queries.fvecs \\",
      "    --gt ../shared/data/sift5k/groundtruth.ivecs --k 10 --metric l2",
      "JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run core \\",
      "    --base ../shared/data/wordnet20k/base.fvecs --queries ../shared/data/wordnet20k/queries.fvecs \\",
      "    --gt ../shared/data/wordnet20k/groundtruth.ivecs --k 10 --metric cosine",
      "benchmarks/run core --synthetic n=100000,dim=128,shape=gaussian",
      "benchmarks/run core --synthetic n=200000,dim=32,shape=uniform",
      "benchmarks/run core --synthetic n=1000000,dim=128,clusters=1000,queries=10000,seed=7 \\",
      "    --truth-queries 1000 --max-hnsw-n 200000",
      "benchmarks/run iceberg --synthetic n=200000,dim=128,clusters=200,queries=200,seed=7",
      "benchmarks/run join --synthetic base=1000000,dim=128,queries=10000,k=10",
      "benchmarks/run core --help    # every flag (also: benchmarks/run iceberg|join --help)",
      "```",
      "",
      "Every result is also printed as one JSON line on stdout (`mode` single or batch, `kernels`",
      "the SIMD code the engine ran with, `jvm`). How to read the tables: QPS and latencies are for",
      "one search thread after a warm-up over the same queries; *batch* QPS is one call over all",
      "batch queries (10,000, or all the dataset has) on one thread: single searches in a loop",
      "for every engine (lakeann's join searches a shard that way; no graph has a batch search).",
      "recall@k is |found ∩",
      "true top-k| / k averaged over the queries with ground truth. Each graph is swept over its",
      "search effort (hnswlib's ef, the number of candidates Lucene's `KnnFloatVectorQuery` asks",
      "for, jvector's rerankK); Lucene's int7 and BBQ candidates are rescored from the float32",
      "vectors Lucene stores beside the codes (`RescoreTopNQuery.createFullPrecisionRescorerQuery`;",
      "Lucene does not rescore them itself), each index is force-merged to one segment, and graph",
      "builds use all build threads (hnswlib's `addAll`, Lucene's indexing threads and merge",
      "workers, jvector's pool). *bytes/vector* is lakeann's own count of its arrays without the",
      "float32 originals (with them in parentheses), the float32 row and id for the exact scan, the",
      "measured heap growth for hnswlib, the index files per row for Lucene (for int7 and BBQ",
      "without the float32 file, which only the rescoring reads, and with it in parentheses), and",
      "jvector's count of its graph plus the float32 row. *heap bytes/vector* is the heap growth",
      "across the build, after full collections, per row.",
      "");

  private static final Pattern SECTION = Pattern.compile(
      "<!-- bench:([A-Za-z0-9._-]+) -->.*?<!-- /bench:\\1 -->", Pattern.DOTALL);

  private MarkdownReport() {}

  /** Everything one section shows. */
  record Run(MachineInfo machine, String command, RunInfo info, GroundTruth truth,
      List<ResultLine> lines, List<String> notes, List<PeerSummary.Skip> skips) {}

  /** The y axis of the batch plots. */
  static final String BATCH_QPS = "queries per second in batches, one thread (log scale)";

  /**
   * Writes this run's section (named by {@link RunInfo#sectionName}) with its plots beside
   * {@code doc}, one of single queries and one of batches, then the dataset's summary section
   * ({@link PeerSummary}), keeping the summary rows of other runtimes.
   */
  static void write(Path doc, Run run) throws IOException {
    RunInfo info = run.info();
    String name = info.sectionName();
    List<ResultLine> single = run.lines().stream().filter(l -> !l.isBatch()).toList();
    List<ResultLine> batch = run.lines().stream().filter(ResultLine::isBatch).toList();
    String batchPlot = batch.isEmpty() ? null : "benchmarks-" + name + "-batch.png";
    if (batchPlot != null) {
      Path folder = doc.toAbsolutePath().getParent();
      Files.createDirectories(folder);
      RecallQpsPlot.write(folder.resolve(batchPlot), plotTitle(name + " (batches)", info.k()),
          "recall@" + info.k(), BATCH_QPS, RecallQpsPlot.fromResults(batch));
    }
    write(doc, name, info.k(), RecallQpsPlot.fromResults(single),
        plotName -> section(run, plotName, batchPlot));
    String existing = Files.readString(doc, StandardCharsets.UTF_8);
    String summary = PeerSummary.section(info.dataset(), info.runtime(), name, info.k(),
        run.lines(), run.skips(), sectionText(existing, info.dataset()));
    Files.writeString(doc, merge(existing, info.dataset(), summary), StandardCharsets.UTF_8);
  }

  /** The marked block {@code name} of {@code doc}, or "" when it has none. */
  static String sectionText(String doc, String name) {
    Matcher m = SECTION.matcher(doc);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group();
      }
    }
    return "";
  }

  /**
   * Plots {@code series} (recall@k against QPS) beside {@code doc} as {@code benchmarks-NAME.png}
   * and merges the section {@code section} renders, given the plot's file name, into {@code doc}.
   */
  static void write(Path doc, String name, int k, List<RecallQpsPlot.Series> series,
      Function<String, String> section) throws IOException {
    write(doc, name, k, RecallQpsPlot.ONE_THREAD_QPS, series, section);
  }

  /** {@link #write(Path, String, int, List, Function)} with the plot's QPS axis {@code yLabel}. */
  static void write(Path doc, String name, int k, String yLabel,
      List<RecallQpsPlot.Series> series, Function<String, String> section) throws IOException {
    Path folder = doc.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    String plotName = "benchmarks-" + name + ".png";
    RecallQpsPlot.write(folder.resolve(plotName), plotTitle(name, k), "recall@" + k, yLabel,
        series);
    String existing = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    Files.writeString(doc, merge(existing, name, section.apply(plotName)),
        StandardCharsets.UTF_8);
  }

  /**
   * The doc with {@code section} (a marked block for {@code name}) in place of the old block of
   * that name, or appended after the others; the header regenerated.
   */
  static String merge(String existing, String name, String section) {
    Map<String, String> sections = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(existing);
    while (m.find()) {
      sections.put(m.group(1), m.group());
    }
    sections.put(name, section.strip());
    return HEADER + "\n" + String.join("\n\n", sections.values()) + "\n";
  }

  static String section(Run run, String plotName, String batchPlotName) {
    RunInfo info = run.info();
    String name = info.sectionName();
    List<String> out = new ArrayList<>(opening(name, run.machine(), run.command()));
    out.add(String.format(Locale.ROOT, "Data: %,d rows × %d dims (%s), %,d queries timed one at"
        + " a time and %,d in a batch (recall over the %,d with ground truth), metric %s, k = %d;"
        + " builds on %d threads (graph builds"
        + " too: hnswlib's addAll, Lucene's indexing threads and merge workers, jvector's pool)."
        + " Ground truth: %s. Summary across runtimes: [%s](#%s).", info.n(), info.dim(),
        info.synthetic() ? "synthetic" : "from files", info.queries(), info.batchQueries(),
        run.truth().ids().length, info.metricName(), info.k(), info.buildThreads(), truth(run.truth()), info.dataset(),
        info.dataset()));
    for (String note : run.notes()) {
      out.add("");
      out.add("Note: " + note);
    }
    out.add("");
    out.add(plotLink(name, info.k(), plotName));
    if (batchPlotName != null) {
      out.add("");
      out.add(plotLink(name + " (batches)", info.k(), batchPlotName));
    }
    out.add("");
    out.add("### Results");
    out.add("");
    out.add("| engine | mode | SIMD | setting | recall@" + info.k() + " | QPS | p50 ms | p99 ms"
        + " | build s | bytes/vector | heap bytes/vector |");
    out.add("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (ResultLine line : run.lines()) {
      out.add(row(line));
    }
    out.add("");
    out.add("### Against the targets");
    out.add("");
    out.add("| target | this run | status |");
    out.add("|---|---|---|");
    List<ResultLine> single = run.lines().stream().filter(l -> !l.isBatch()).toList();
    for (Targets.Row t : Targets.evaluate(info, single)) {
      out.add("| " + t.target() + " | " + t.measured() + " | " + t.status() + " |");
    }
    out.add(closing(name));
    return String.join("\n", out);
  }

  /**
   * The first lines of section {@code name}: its start marker, its title, where and when it ran
   * and the command that wrote it, then a blank line.
   */
  static List<String> opening(String name, MachineInfo machine, String command) {
    return List.of(
        "<!-- bench:" + name + " -->",
        "## " + name,
        "",
        String.format(Locale.ROOT, "Run %s on %s (%d cores), %s, %s, max heap %s, kernels `%s`.",
            machine.date(), machine.cpu(), machine.cores(), machine.os(), machine.jvm(),
            Fmt.gib(machine.maxHeapBytes()), machine.kernels()),
        "",
        "```bash",
        command,
        "```",
        "");
  }

  /** One row of a markdown table: {@code | cell | cell |}. */
  static String tableRow(Object... cells) {
    StringBuilder s = new StringBuilder("|");
    for (Object cell : cells) {
      s.append(' ').append(cell).append(" |");
    }
    return s.toString();
  }

  /** The markdown image of the plot {@link #write} saved for section {@code name}. */
  static String plotLink(String name, int k, String plotName) {
    return "![" + plotTitle(name, k) + "](" + plotName + ")";
  }

  private static String plotTitle(String name, int k) {
    return name + ": recall@" + k + " vs QPS";
  }

  /** The end marker of section {@code name}. */
  static String closing(String name) {
    return "<!-- /bench:" + name + " -->";
  }

  /** How the truth was obtained, for the data line of a section. */
  static String truth(GroundTruth truth) {
    return truth.threads() == 0 ? "`" + truth.source() + "`"
        : String.format(Locale.ROOT, "%s on %d threads over the first %,d queries (%s s, not"
            + " timed as QPS)", truth.source(), truth.threads(), truth.ids().length,
            Fmt.seconds(truth.seconds()));
  }

  private static String row(ResultLine line) {
    BuildStats b = line.build();
    Measured m = line.measured();
    String setting = line.isDefault() ? "**" + line.params() + "**" : line.params().toString();
    return tableRow(line.engine(), line.mode(), line.kernels(), setting, Fmt.recall(m.recall()),
        Fmt.qps(m.qps()), ms(m.p50Ms()), ms(m.p99Ms()), Fmt.seconds(b.seconds()),
        Fmt.bytes(b), Fmt.bytes(b.heapBytesPerVector()));
  }

  private static String ms(double ms) {
    return Double.isNaN(ms) ? "–" : Fmt.ms(ms);
  }
}
