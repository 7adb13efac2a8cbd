package io.lakeann.bench;

import io.lakeann.bench.JoinResults.Where;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The doc section of {@code benchmarks/run join}: the run and the data, a results table (lakeann
 * build, cold and warm join; the exact cross join and per-partition HNSW, measured and
 * extrapolated), where each Spark step's time went stage by stage, and the verdict on each goal
 * of the join; with a recall against end-to-end queries/s plot. Merged into the benchmark doc by
 * {@link MarkdownReport}. Stateless.
 */
final class JoinReport {
  static final double RECALL = 0.95;
  static final double BUILD_SECONDS = 30;
  static final double COLD_JOIN_SECONDS = 20;
  static final double WARM_JOIN_SECONDS = 5;
  static final double OVER_EXACT = 50;
  static final double OVER_HNSW = 3;
  static final String TARGET_MASTER = "local[2]";
  private static final String FOR = "target is for --synthetic base=1000000,dim=128,"
      + "queries=10000,k=10 on --master " + TARGET_MASTER;

  /** Steps of the nprobe sweep start with this. */
  static final String SWEEP_STEP = "warm_join_nprobe_";

  private JoinReport() {}

  /** One measured step and the Spark stages it ran. */
  record Step(String name, double seconds, int jobs, List<StageLog.Stage> stages) {}

  /** Everything the section shows. */
  record Run(MachineInfo machine, String loadBefore, String loadAfter, String command,
      JoinOptions options, Where where,
      int parallelism, String sparkVersion, JoinTables.Written baseTable,
      JoinTables.Written queryTable, GroundTruth truth, JoinResults.Build build,
      JoinResults.Join cold, JoinResults.Join warm, List<JoinResults.Join> sweep,
      List<JoinResults.Filtered> filtered, JoinResults.Engine engine,
      JoinResults.Decode decode, JoinResults.Exact exact, JoinResults.Hnsw hnsw,
      List<Step> steps) {

    /** Whether the goals apply: the data and the master they were set for. */
    boolean targetRun() {
      return where.base() == 1_000_000 && where.dim() == 128 && where.queries() == 10_000
          && where.k() == 10 && options.master.equals(TARGET_MASTER);
    }

    /** lakeann's end to end: the build and then the first join. */
    double buildAndColdSeconds() {
      return build.seconds() + cold.seconds();
    }

    /** How many times the exact cross join's (extrapolated) time a join took. */
    double overExact(JoinResults.Join join) {
      return exact.extrapolatedSeconds(where) / join.seconds();
    }

    /** Per-partition HNSW's (extrapolated) build and join over lakeann's build and cold join. */
    double overHnsw() {
      return hnsw.extrapolatedSeconds(where) / buildAndColdSeconds();
    }
  }

  static void write(Path doc, Run run) throws IOException {
    MarkdownReport.write(doc, run.options().spec.sectionName(), run.where().k(),
        "queries per second, end to end on " + run.options().master + " (log scale)",
        series(run), plotName -> section(run, plotName));
  }

  /** The last JSON line: the ratios and the verdict on every goal. */
  static Map<String, Object> summary(Run run) {
    Map<String, Object> f = run.where().line("summary", "targets");
    f.put("load_average_before", run.loadBefore());
    f.put("load_average_after", run.loadAfter());
    f.put("recall_at_k", Json.round(run.cold().recall(), 4));
    f.put("build_seconds", Json.round(run.build().seconds(), 3));
    f.put("cold_join_seconds", Json.round(run.cold().seconds(), 3));
    f.put("warm_join_seconds", Json.round(run.warm().seconds(), 3));
    f.put("warm_join_loads", run.warm().stats().loads());
    f.put("cold_join_over_exact", Json.round(run.overExact(run.cold()), 1));
    f.put("warm_join_over_exact", Json.round(run.overExact(run.warm()), 1));
    f.put("end_to_end_over_hnsw", Json.round(run.overHnsw(), 2));
    f.put("exact_extrapolated", run.exact().baseRows() != run.where().base()
        || run.exact().queries() != run.where().queries());
    f.put("hnsw_extrapolated", run.hnsw().baseRows() != run.where().base());
    Map<String, Object> verdicts = new LinkedHashMap<>();
    for (Targets.Row row : targets(run)) {
      verdicts.put(row.target(), row.status());
    }
    f.put("targets", verdicts);
    return f;
  }

  /** One single-point series per system, so the legend names each. */
  static List<RecallQpsPlot.Series> series(Run run) {
    Where w = run.where();
    List<RecallQpsPlot.Labeled> points = new ArrayList<>();
    for (JoinResults.Join j : run.sweep()) {
      points.add(point("lakeann warm join, nprobe " + nprobes(run), j.recall(), j.qps(w)));
    }
    points.add(point("lakeann warm join" + nprobeNote(run.warm()), run.warm().recall(),
        run.warm().qps(w)));
    points.add(point("lakeann cold join (empty shard cache)", run.cold().recall(),
        run.cold().qps(w)));
    points.add(point("lakeann build + cold join", run.cold().recall(),
        w.queries() / run.buildAndColdSeconds()));
    points.add(point("per-partition HNSW, build + join" + extrapolatedNote(
        run.hnsw().baseRows() != w.base()), run.hnsw().recall(),
        w.queries() / run.hnsw().extrapolatedSeconds(w)));
    points.add(point("exact cross join (Spark SQL)" + extrapolatedNote(
        run.exact().baseRows() != w.base() || run.exact().queries() != w.queries()),
        run.exact().recall(), w.queries() / run.exact().extrapolatedSeconds(w)));
    return RecallQpsPlot.group(points);
  }

  private static RecallQpsPlot.Labeled point(String label, double recall, double qps) {
    return new RecallQpsPlot.Labeled(label, new RecallQpsPlot.Point(recall, qps, false));
  }

  /** The swept nprobes, e.g. {@code 2, 4, 8}. */
  private static String nprobes(Run run) {
    return String.join(", ", run.sweep().stream().map(j -> String.valueOf(j.nprobe())).toList());
  }

  private static String nprobeNote(JoinResults.Join join) {
    return join.nprobe() == 0 ? " (default nprobe)" : " (nprobe " + join.nprobe() + ")";
  }

  private static String extrapolatedNote(boolean extrapolated) {
    return extrapolated ? ", extrapolated" : "";
  }

  static String section(Run run, String plotName) {
    JoinOptions o = run.options();
    Where w = run.where();
    String name = o.spec.sectionName();
    List<String> out = new ArrayList<>(MarkdownReport.opening(name, run.machine(),
        run.command()));
    out.add(String.format(Locale.ROOT, "Data: %,d base rows × %d dims (synthetic, %d clusters,"
        + " seed %d) and %,d queries from the same clusters, k = %d, metric l2. Both are Iceberg"
        + " tables (format v2, Hadoop catalog on local disk) written through Spark with the rows"
        + " generated inside the tasks: `%s` (%d Parquet files, %s MiB) and `%s` (%d files)."
        + " Spark %s on `%s` (default parallelism %d) inside the benchmark's JVM, so the driver"
        + " is the executor.",
        w.base(), w.dim(), o.spec.data().clusters(), o.spec.data().seed(), w.queries(), w.k(),
        JoinTables.DOCS, run.baseTable().files(), mib(run.baseTable().bytes()),
        JoinTables.QUERIES, run.queryTable().files(), run.sparkVersion(), o.master,
        run.parallelism()));
    out.add("");
    out.add(String.format(Locale.ROOT, "The machine's cores are shared with other work, so"
        + " single timings are noisy (task CPU seconds, in the stage table, vary less than wall"
        + " time); every ratio below is from this one run. Load averages (1, 5, 15 min, this"
        + " run's own threads included): %s at the start, %s at the end.", run.loadBefore(),
        run.loadAfter()));
    out.add("");
    out.add(String.format(Locale.ROOT, "Ground truth (the oracle, not a measured system): exact"
        + " search (`ExactSearch`) in the benchmark's JVM over the base rows generated again from"
        + " the same seeds (first, middle and last rows of both tables checked equal), for the"
        + " first %,d queries (%s s on %d threads); every recall below is over those queries.",
        run.truth().ids().length, Fmt.seconds(run.truth().seconds()), run.truth().threads()));
    out.add("");
    out.add(MarkdownReport.plotLink(name, w.k(), plotName));
    out.add("");
    results(run, out);
    filters(run, out);
    stages(run, out);
    out.add("");
    out.add("### Against the targets");
    out.add("");
    out.add("| target | this run | status |");
    out.add("|---|---|---|");
    for (Targets.Row t : targets(run)) {
      out.add(MarkdownReport.tableRow(t.target(), t.measured(), t.status()));
    }
    out.add(MarkdownReport.closing(name));
    return String.join("\n", out);
  }

  private static void results(Run run, List<String> out) {
    Where w = run.where();
    JoinResults.Build b = run.build();
    JoinResults.Exact e = run.exact();
    JoinResults.Hnsw h = run.hnsw();
    String full = size(w.base(), w.queries());
    out.add("### Results");
    out.add("");
    out.add("| system | step | base rows × queries | recall@" + w.k() + " | seconds"
        + " | queries/s end to end |");
    out.add("|---|---|---|---:|---:|---:|");
    out.add(MarkdownReport.tableRow("lakeann", String.format(Locale.ROOT, "build: %d shards"
        + " (target %,d rows each), one Spark task per shard", b.shards(), b.targetRows()),
        String.format(Locale.ROOT, "%,d", w.base()), "–", Fmt.seconds(b.seconds()), "–"));
    out.add(joinRow(w, "cold join: the first, shard cache empty" + nprobeNote(run.cold()),
        run.cold()));
    out.add(joinRow(w, "warm join: the same join again" + nprobeNote(run.warm()), run.warm()));
    for (JoinResults.Join j : run.sweep()) {
      out.add(joinRow(w, "warm join, nprobe " + j.nprobe(), j));
    }
    out.add(MarkdownReport.tableRow("lakeann", "build + cold join", full,
        Fmt.recall(run.cold().recall()), Fmt.seconds(run.buildAndColdSeconds()),
        Fmt.qps(w.queries() / run.buildAndColdSeconds())));
    out.add(MarkdownReport.tableRow("exact cross join (Spark SQL)", "measured",
        size(e.baseRows(), e.queries()), Fmt.recall(e.recall()), Fmt.seconds(e.seconds()),
        Fmt.qps(e.queries() / e.seconds())));
    out.add(MarkdownReport.tableRow("exact cross join (Spark SQL)", "**extrapolated** from"
        + " the measured comparisons/s", full, "–", Fmt.seconds(e.extrapolatedSeconds(w)),
        Fmt.qps(w.queries() / e.extrapolatedSeconds(w))));
    out.add(MarkdownReport.tableRow("per-partition HNSW", String.format(Locale.ROOT,
        "build + join, measured (M=%d, efConstruction=%d, ef=%d, %d partitions)", h.m(),
        h.efConstruction(), h.ef(), h.run().partitions()), size(h.baseRows(), w.queries()),
        Fmt.recall(h.recall()), Fmt.seconds(h.seconds()), Fmt.qps(w.queries() / h.seconds())));
    if (h.baseRows() != w.base()) {
      out.add(MarkdownReport.tableRow("per-partition HNSW", "build + join, **extrapolated**"
          + " to the full base", full, "–", Fmt.seconds(h.extrapolatedSeconds(w)),
          Fmt.qps(w.queries() / h.extrapolatedSeconds(w))));
    }
    out.add("");
    out.add(String.format(Locale.ROOT, "*lakeann join* seconds are `LakeAnn.annJoin(queries,"
        + " \"%s\").against(\"%s\", \"%s\").k(%d)%s.run()` (it searches in one Spark job) plus"
        + " producing every row of the DataFrame it returns (query columns, `neighbor_id`,"
        + " `distance`, `rank`, `snapshot_id`) into Spark's `noop` sink; queries/s divide all"
        + " %,d queries by that. The cold join runs first, with the JVM's index cache empty"
        + " and no local shard files (the bundle's Puffin file, just written, is read from the"
        + " OS page cache): it loaded %d shards (%d cached before it); the warm join loaded %d"
        + " (%d cache hits).", JoinTables.VECTOR, JoinTables.DOCS, JoinTables.VECTOR,
        w.k(), run.options().nprobe > 0 ? ".nprobe(" + run.options().nprobe + ")" : "",
        w.queries(), run.cold().stats().loads(), run.cold().cacheEntriesBefore(),
        run.warm().stats().loads(), run.warm().stats().cacheHits()));
    out.add("");
    out.add(String.format(Locale.ROOT, "*Exact cross join*: `broadcast(queries).crossJoin(base)`"
        + " with the base in one partition per core, squared L2 by a Java UDF over the two"
        + " `array<float>` columns (`%s`; the same distance with SQL higher-order functions,"
        + " `aggregate(zip_with(...))`, was 2.5 to 8 times slower in development), `row_number()`"
        + " over a window per query ordered by distance, rows with rank ≤ %d collected. Measured"
        + " on the first %,d base rows × first %,d queries"
        + " (recall against the oracle on the same subset: %s): %s comparisons/s. The full join"
        + " is **extrapolated** at that rate (%,d × %,d comparisons), not run.",
        ExactCrossJoin.DISTANCE, w.k(), e.baseRows(), e.queries(), Fmt.recall(e.recall()),
        String.format(Locale.ROOT, "%,.0f", e.comparisonsPerSecond()), w.base(), w.queries()));
    out.add("");
    out.add(String.format(Locale.ROOT, "*Per-partition HNSW* (what hnswlib-spark does): the"
        + " queries collected and broadcast (%s s), the base repartitioned into %d partitions,"
        + " an hnswlib-core index built in each task on one thread (longest %s s), every query"
        + " searched in every partition (longest %s s), top-%d merged per query by"
        + " `reduceByKey`; nothing is kept, so every job builds again.%s", Fmt.seconds(
        h.run().queriesSeconds()), h.run().partitions(), Fmt.seconds(h.run().buildSeconds()),
        Fmt.seconds(h.run().searchSeconds()), w.k(), h.baseRows() == w.base() ? ""
        : String.format(Locale.ROOT, " Run on the first %,d base rows (recall against the"
            + " oracle of that subset) and **extrapolated** to %,d rows: collecting the queries"
            + " and the longest search kept as measured, everything else (reading, shuffling,"
            + " building) scaled linearly with the rows. Building HNSW grows as n log n and its"
            + " search with log n, so this favours HNSW.", h.baseRows(), w.base())));
  }

  private static void filters(Run run, List<String> out) {
    out.add("");
    out.add("### Filters");
    out.add("");
    out.add("Warm joins of every query whose filter on the base table matches half its rows. A"
        + " filter Iceberg can express is evaluated where each shard is searched; one it cannot"
        + " (arithmetic) is run through Spark and its matching positions collected to the driver."
        + " *Driver bytes* sum what the join's Spark tasks sent the driver as results"
        + " (`TaskMetrics.resultSize`). *Heap peak* is the JVM's heap at its highest during the"
        + " join (the sum of the heap pools' peaks, from a collected heap); under `local[N]` the"
        + " driver and the executors share that heap.");
    out.add("");
    out.add("| filter | matching rows found on | seconds | result rows | driver bytes "
        + "| heap peak |");
    out.add("|---|---|---:|---:|---:|---:|");
    for (JoinResults.Filtered f : run.filtered()) {
      out.add(MarkdownReport.tableRow("`" + f.filter() + "`", f.evaluatedOn(),
          Fmt.seconds(f.seconds()), String.format(Locale.ROOT, "%,d", f.rows()),
          String.format(Locale.ROOT, "%,d", f.driverResultBytes()),
          String.format(Locale.ROOT, "%.0f MiB", f.heapPeakBytes() / (1024.0 * 1024))));
    }
  }

  private static String joinRow(Where w, String step, JoinResults.Join join) {
    return MarkdownReport.tableRow("lakeann", step, size(w.base(), w.queries()),
        Fmt.recall(join.recall()), Fmt.seconds(join.seconds()) + " (search "
            + Fmt.seconds(join.searchSeconds()) + " + result " + Fmt.seconds(join.resultSeconds())
            + ")", Fmt.qps(join.qps(w)));
  }

  private static void stages(Run run, List<String> out) {
    out.add("");
    out.add("### Where the time goes");
    out.add("");
    out.add("Every Spark stage of every measured step (from a listener: wall time from"
        + " submission to completion; task, CPU and GC seconds summed over the stage's tasks)."
        + " *outside stages* is the step's wall time during which no stage ran: driver work"
        + " such as planning, loading table metadata and collecting results. The stages of the"
        + " nprobe sweep's joins are in the JSON lines only.");
    out.add("");
    out.add("| step | stage | tasks | wall s | task s | CPU s | GC s | shuffle write MiB"
        + " | shuffle read MiB |");
    out.add("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Step step : run.steps()) {
      if (step.name().startsWith(SWEEP_STEP)) {
        continue;
      }
      double inStages = 0;
      for (StageLog.Stage s : step.stages()) {
        inStages += Double.isNaN(s.seconds()) ? 0 : s.seconds();
        out.add(MarkdownReport.tableRow(step.name(), "`" + s.name() + "`", s.tasks(),
            Fmt.seconds(s.seconds()), Fmt.seconds(s.taskSeconds()), Fmt.seconds(s.cpuSeconds()),
            Fmt.seconds(s.gcSeconds()), mib(s.shuffleWriteBytes()), mib(s.shuffleReadBytes())));
      }
      out.add(MarkdownReport.tableRow("**" + step.name() + "**", String.format(Locale.ROOT,
          "**step total** (Spark jobs: %d; outside stages %s s)", step.jobs(),
          Fmt.seconds(Math.max(0, step.seconds() - inStages))), "", "**"
          + Fmt.seconds(step.seconds()) + "**", "", "", "", "", ""));
    }
    out.add("");
    out.add(dominant(run, run.cold()) + " " + dominant(run, run.warm()));
    JoinResults.Engine e = run.engine();
    int lanes = Math.max(1, Math.min(e.shards(), run.parallelism()));
    out.add("");
    out.add(String.format(Locale.ROOT, "For comparison, without Spark: the same %,d queries"
        + " through the same %d shards in this JVM on one thread (`SnapshotIndex.searchBatch`,"
        + " shards from the cache the joins filled, %d loads) take %s s, i.e. about %s s when"
        + " the shards are searched in parallel on %d cores as the join's tasks do; reading the"
        + " query table in Spark and decoding every vector to `float[]` alone takes %s s.",
        e.queries(), e.shards(), e.loads(), Fmt.seconds(e.seconds()),
        Fmt.seconds(e.seconds() / lanes), lanes, Fmt.seconds(run.decode().seconds())));
  }

  /**
   * One sentence on where {@code join}'s time went: its longest stage, the rest of its stages,
   * the time outside stages, and producing the result.
   */
  private static String dominant(Run run, JoinResults.Join join) {
    Step search = step(run, join.step() + "_search");
    Step result = step(run, join.step() + "_result");
    StageLog.Stage longest = null;
    double inStages = 0;
    for (StageLog.Stage s : search.stages()) {
      inStages += Double.isNaN(s.seconds()) ? 0 : s.seconds();
      if (longest == null || s.seconds() > longest.seconds()) {
        longest = s;
      }
    }
    if (longest == null) {
      return "";
    }
    return String.format(Locale.ROOT, "Of the %s's %s s, its longest stage (`%s`, %d tasks)"
        + " took %s s (%.0f%%; %s CPU-s), its other stages %s s, the driver outside stages %s s"
        + " and producing the result DataFrame %s s.", join.step().replace('_', ' '),
        Fmt.seconds(join.seconds()), longest.name(), longest.tasks(),
        Fmt.seconds(longest.seconds()), 100 * longest.seconds() / join.seconds(),
        Fmt.seconds(longest.cpuSeconds()), Fmt.seconds(inStages - longest.seconds()),
        Fmt.seconds(Math.max(0, search.seconds() - inStages)), Fmt.seconds(result.seconds()));
  }

  private static Step step(Run run, String name) {
    return run.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** The goals of the ANN join, judged from this run. */
  static List<Targets.Row> targets(Run run) {
    Where w = run.where();
    boolean applies = run.targetRun();
    List<Targets.Row> rows = new ArrayList<>();
    double recall = Math.min(run.cold().recall(), run.warm().recall());
    rows.add(new Targets.Row(String.format(Locale.ROOT, "join recall@10 ≥ %.2f", RECALL),
        "cold " + Fmt.recall(run.cold().recall()) + ", warm " + Fmt.recall(run.warm().recall()),
        Targets.verdict(applies, recall >= RECALL, FOR)));
    rows.add(new Targets.Row(String.format(Locale.ROOT, "build ≤ %.0f s", BUILD_SECONDS),
        Fmt.seconds(run.build().seconds()) + " s (" + run.build().shards() + " shards)",
        Targets.verdict(applies, run.build().seconds() <= BUILD_SECONDS, FOR)));
    rows.add(new Targets.Row(String.format(Locale.ROOT, "cold join ≤ %.0f s", COLD_JOIN_SECONDS),
        Fmt.seconds(run.cold().seconds()) + " s (" + run.cold().stats().loads()
            + " shards loaded)",
        Targets.verdict(applies, run.cold().seconds() <= COLD_JOIN_SECONDS, FOR)));
    String tuned = run.sweep().stream().filter(j -> j.recall() >= RECALL)
        .min(Comparator.comparingDouble(JoinResults.Join::seconds))
        .map(j -> String.format(Locale.ROOT, "; not judged: the fastest swept nprobe with recall"
            + " ≥ %.2f, nprobe %d, took %s s (recall %s, %d loads)", RECALL, j.nprobe(),
            Fmt.seconds(j.seconds()), Fmt.recall(j.recall()), j.stats().loads()))
        .orElse(run.sweep().isEmpty() ? "" : String.format(Locale.ROOT, "; no swept nprobe"
            + " reached recall %.2f", RECALL));
    rows.add(new Targets.Row(String.format(Locale.ROOT, "warm join ≤ %.0f s, loading nothing",
        WARM_JOIN_SECONDS), Fmt.seconds(run.warm().seconds()) + " s, "
            + run.warm().stats().loads() + " loads" + nprobeNote(run.warm()) + tuned,
        Targets.verdict(applies, run.warm().seconds() <= WARM_JOIN_SECONDS
            && run.warm().stats().loads() == 0, FOR)));
    JoinResults.Exact e = run.exact();
    rows.add(new Targets.Row(String.format(Locale.ROOT, "≥ %.0f× the exact cross join's"
        + " throughput", OVER_EXACT), String.format(Locale.ROOT, "cold join %s queries/s vs"
            + " exact %s queries/s (extrapolated from %,d × %,d) = %s; warm join %s",
        Fmt.qps(run.cold().qps(w)), Fmt.qps(w.queries() / e.extrapolatedSeconds(w)),
        e.baseRows(), e.queries(), Fmt.times(run.overExact(run.cold())),
        Fmt.times(run.overExact(run.warm()))),
        Targets.verdict(applies, run.overExact(run.cold()) >= OVER_EXACT, FOR)));
    JoinResults.Hnsw h = run.hnsw();
    rows.add(new Targets.Row(String.format(Locale.ROOT, "≥ %.0f× per-partition HNSW end to end"
        + " (build + join)", OVER_HNSW), String.format(Locale.ROOT, "lakeann build + cold join"
            + " %s s vs HNSW %s s%s (recall %s vs %s) = %s",
        Fmt.seconds(run.buildAndColdSeconds()), Fmt.seconds(h.extrapolatedSeconds(w)),
        h.baseRows() == w.base() ? "" : String.format(Locale.ROOT,
            ", extrapolated from %,d rows", h.baseRows()),
        Fmt.recall(run.cold().recall()), Fmt.recall(h.recall()), Fmt.times(run.overHnsw())),
        Targets.verdict(applies, run.overHnsw() >= OVER_HNSW, FOR)));
    return rows;
  }

  private static String size(int base, int queries) {
    return String.format(Locale.ROOT, "%,d × %,d", base, queries);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 20));
  }
}
