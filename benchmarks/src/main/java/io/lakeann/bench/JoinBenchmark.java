package io.lakeann.bench;

import static org.apache.spark.sql.functions.col;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorSet;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.SnapshotIndex;
import io.lakeann.iceberg.SnapshotRef;
import io.lakeann.spark.AnnJoin;
import io.lakeann.spark.JoinResult;
import io.lakeann.spark.LakeAnn;
import io.lakeann.spark.SparkTables;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code benchmarks/run join}: writes the base and query tables through Spark, computes the
 * ground truth in this JVM (the oracle, not a measured system), then measures lakeann's build,
 * its first join with an empty shard cache (cold) and the same join again (warm), beside the
 * exact cross join users write in Spark SQL (on a subset, extrapolated) and a per-partition HNSW
 * join rebuilt every job (possibly on a subset, extrapolated). Every step runs with a
 * {@link StageLog}, so the report can show where each join's time goes. Prints every result as a
 * JSON line and writes the doc section with its plot. One instance runs once.
 */
final class JoinBenchmark {
  private final JoinOptions options;
  private final String command;
  private final PrintStream stdout;
  private final JoinResults.Where where;
  private final List<JoinReport.Step> steps = new ArrayList<>();

  JoinBenchmark(JoinOptions options, String command, PrintStream stdout) {
    this.options = options;
    this.command = command;
    this.stdout = stdout;
    JoinSpec spec = options.spec;
    this.where = new JoinResults.Where(spec.base(), spec.data().dim(), spec.queries(), spec.k());
  }

  void run() throws IOException {
    MachineInfo machine = MachineInfo.detect();
    String loadBefore = MachineInfo.loadAverage();
    Log.info("%s, load average %s", machine.summary(), loadBefore);
    JoinSpec spec = options.spec;
    BlockVectors baseRows = new BlockVectors(spec.data(), spec.data().seed());
    BlockVectors queryRows = new BlockVectors(spec.data(), ~spec.data().seed());
    try (JoinTables tables = JoinTables.start(options.master)) {
      SparkSession spark = tables.spark();
      int cores = tables.parallelism();
      Log.info("Spark %s on %s: default parallelism %d", spark.version(), options.master, cores);
      Log.info("writing %,d base rows in %d files and %,d queries", spec.base(), options.files,
          spec.queries());
      JoinTables.Written baseTable = tables.write(JoinTables.DOCS, baseRows, spec.base(),
          options.files);
      print(JoinResults.tableLine(where, "write_base", baseTable));
      JoinTables.Written queryTable = tables.write(JoinTables.QUERIES, queryRows, spec.queries(),
          cores);
      print(JoinResults.tableLine(where, "write_queries", queryTable));

      float[] flatQueries = queryRows.rows(spec.queries());
      float[][] queries = SyntheticVectors.rows(flatQueries, where.dim());
      Truths truths = truths(spark, baseRows, flatQueries, queries, machine.cores());

      long targetRows = options.targetRows > 0 ? options.targetRows
          : (spec.base() + cores - 1) / cores;
      JoinResults.Build build = build(spark, targetRows);
      JoinResults.Join cold = join(spark, "cold_join", options.nprobe, truths.full());
      JoinResults.Join warm = join(spark, "warm_join", options.nprobe, truths.full());
      List<JoinResults.Join> sweep = new ArrayList<>();
      for (int nprobe : options.nprobes) {
        sweep.add(join(spark, JoinReport.SWEEP_STEP + nprobe, nprobe, truths.full()));
      }
      List<JoinResults.Filtered> filtered = List.of(
          filtered(spark, JoinTables.ID + " < " + spec.base() / 2, "executors"),
          filtered(spark, JoinTables.ID + " % 2 = 0", "driver"));
      JoinResults.Engine engine = engineSearch(spark, queries);
      JoinResults.Decode decode = decode(spark);
      JoinResults.Exact exact = exact(spark, cores, truths.exactSubset());
      JoinResults.Hnsw hnsw = hnsw(spark, cores, truths.hnswSubset());

      JoinReport.Run run = new JoinReport.Run(machine, loadBefore, MachineInfo.loadAverage(),
          command, options, where, cores, spark.version(), baseTable, queryTable, truths.full(),
          build, cold, warm, sweep, filtered, engine, decode, exact, hnsw, steps);
      Map<String, Object> summary = JoinReport.summary(run);
      print(summary);
      JoinReport.write(options.out, run);
      Log.info("wrote %s and its plot benchmarks-%s.png", options.out, spec.sectionName());
    }
  }

  /**
   * The exact top-k by {@link GroundTruth#exact}: of the first {@code --truth-queries} queries
   * among all base rows (scores lakeann), of those queries among the HNSW subset, and of the exact
   * join's queries among its subset (checks the exact join). The base is generated again here,
   * from the same blocks the tasks wrote; a few rows read back from the tables must equal it.
   */
  private Truths truths(SparkSession spark, BlockVectors baseRows, float[] flatQueries,
      float[][] queries, int threads) {
    int dim = where.dim();
    Log.info("generating the %,d base rows again for the oracle", where.base());
    float[] base = baseRows.rows(where.base());
    checkTable(spark, JoinTables.DOCS, base, where.base(), dim);
    checkTable(spark, JoinTables.QUERIES, flatQueries, queries.length, dim);

    float[][] scored = Arrays.copyOf(queries, options.truthQueries);
    Log.info("exact top-%d of %,d queries over %,d rows on %d threads (the oracle)", where.k(),
        scored.length, where.base(), threads);
    GroundTruth full = subsetTruth(base, where.base(), scored, threads, "full_base");
    GroundTruth hnsw = options.hnswBase == where.base() ? full : subsetTruth(base,
        options.hnswBase, scored, threads, "hnsw_subset");
    GroundTruth exact = subsetTruth(base, options.exactBase,
        Arrays.copyOf(queries, options.exactQueries), threads, "exact_subset");
    return new Truths(full, hnsw, exact);
  }

  /** The exact top-k of {@code queries} among base rows {@code 0 .. rows-1}, printed. */
  private GroundTruth subsetTruth(float[] base, int rows, float[][] queries, int threads,
      String step) {
    GroundTruth truth = GroundTruth.exact(firstRows(base, rows), queries, Metric.L2, where.k(),
        threads);
    Map<String, Object> line = where.line("ground_truth", step);
    line.put("source", truth.source());
    line.put("base_rows", rows);
    line.put("scored_queries", queries.length);
    line.put("seconds", Json.round(truth.seconds(), 3));
    line.put("threads", truth.threads());
    print(line);
    return truth;
  }

  private VectorSet firstRows(float[] base, int rows) {
    long[] ids = new long[rows];
    for (int r = 0; r < rows; r++) {
      ids[r] = r;
    }
    float[] data = rows == where.base() ? base : Arrays.copyOf(base, rows * where.dim());
    return VectorSet.of("base rows 0.." + (rows - 1), ids, data, where.dim());
  }

  /** Refuses to go on unless the first, middle and last rows of {@code table} are {@code rows}. */
  private static void checkTable(SparkSession spark, String table, float[] rows, int count,
      int dim) {
    List<Long> ids = List.of(0L, (long) count / 2, (long) count - 1);
    for (Row row : spark.table(table).where(col(JoinTables.ID).isin(ids.toArray()))
        .collectAsList()) {
      long id = row.getLong(0);
      List<Float> vector = row.getList(1);
      for (int d = 0; d < dim; d++) {
        if (vector.get(d) != rows[(int) id * dim + d]) {
          throw new IllegalStateException(String.format(Locale.ROOT, "Row %d of %s"
              + " differs from the oracle's copy at dimension %d (%s vs %s); the generator is"
              + " not deterministic", id, table, d, vector.get(d), rows[(int) id * dim + d]));
        }
      }
    }
  }

  private JoinResults.Build build(SparkSession spark, long targetRows) {
    Log.info("lakeann: building the index of %s (%,d target rows per shard)", JoinTables.DOCS,
        targetRows);
    StageLog.Logged<BuildResult> built = logged(spark, "build",
        () -> LakeAnn.build(spark, JoinTables.DOCS).column(JoinTables.VECTOR).id(JoinTables.ID)
            .metric(Metric.L2).targetRowsPerShard(targetRows).run());
    JoinResults.Build build = new JoinResults.Build(built.value(), targetRows, built.seconds());
    print(build.fields(where));
    Log.info("lakeann: built %d shards in %.1f s", build.shards(), build.seconds());
    return build;
  }

  /**
   * One lakeann join of the whole query table, timed in two parts (the search {@code run()}
   * does, then producing every row of the DataFrame it returns), and scored on the queries with
   * ground truth; {@code nprobe} 0 leaves each shard's default. The first one starts with an
   * empty index cache.
   */
  private JoinResults.Join join(SparkSession spark, String step, int nprobe,
      GroundTruth truth) {
    IndexCache<Object> cache = IndexCache.global();
    if (step.equals("cold_join")) {
      int dropped = cache.invalidateIf(entry -> true);
      if (dropped > 0) {
        Log.info("%s: dropped %d entries (shards and their states) from the index cache first",
            step, dropped);
      }
    }
    long entriesBefore = cache.stats().entries();
    Log.info("lakeann: %s of %,d queries (%d cache entries: shards and their states)", step,
        where.queries(), entriesBefore);
    AnnJoin join = LakeAnn.annJoin(spark.table(JoinTables.QUERIES), JoinTables.VECTOR)
        .against(JoinTables.DOCS, JoinTables.VECTOR).k(where.k());
    if (nprobe > 0) {
      join = join.nprobe(nprobe);
    }
    AnnJoin planned = join;
    StageLog.Logged<JoinResult> searched = logged(spark, step + "_search", planned::run);
    StageLog.Logged<Boolean> produced = logged(spark, step + "_result", () -> {
      searched.value().rows().write().format("noop").mode("overwrite").save();
      return true;
    });
    long[][] found = new long[truth.ids().length][];
    for (Row row : searched.value().rows().where(col(JoinTables.ID).lt(truth.ids().length))
        .select(JoinTables.ID, "neighbor_id", "rank").collectAsList()) {
      int q = (int) row.getLong(0);
      if (found[q] == null) {
        found[q] = new long[where.k()];
        Arrays.fill(found[q], -1);
      }
      found[q][row.getInt(2) - 1] = row.getLong(1);
    }
    JoinResults.Join result = new JoinResults.Join(step, nprobe, searched.seconds(),
        produced.seconds(), recall(truth, found), found.length, searched.value().stats(),
        entriesBefore);
    searched.value().unpersist();
    print(result.fields(where));
    Log.info("lakeann: %s %.2f s (search %.2f s, result %.2f s), recall %.4f, %d loads",
        step, result.seconds(), result.searchSeconds(), result.resultSeconds(), result.recall(),
        result.stats().loads());
    return result;
  }

  /**
   * A warm join of every query whose {@code filter} matches half the base rows: one Iceberg can
   * express (its rows found on the executors) and one it cannot (positions collected to the
   * driver), with the bytes the tasks sent the driver.
   */
  private JoinResults.Filtered filtered(SparkSession spark, String filter, String evaluatedOn) {
    String step = "filtered_join_" + evaluatedOn;
    HeapMeter.resetPeak();
    StageLog.Logged<JoinResult> searched = logged(spark, step, () -> LakeAnn.annJoin(
        spark.table(JoinTables.QUERIES), JoinTables.VECTOR).against(JoinTables.DOCS,
        JoinTables.VECTOR).k(where.k()).filter(filter).run());
    long heapPeak = HeapMeter.peakSinceReset();
    long rows = searched.value().rows().count();
    searched.value().unpersist();
    long bytes = searched.stages().stream().mapToLong(StageLog.Stage::resultBytes).sum();
    JoinResults.Filtered result = new JoinResults.Filtered(filter, evaluatedOn,
        searched.seconds(), rows, bytes, heapPeak, searched.value().stats());
    print(result.fields(where));
    Log.info("lakeann: %s (%s) %.2f s, %,d bytes of task results to the driver, heap peak %,d"
        + " bytes", step, filter, result.seconds(), bytes, heapPeak);
    return result;
  }

  /** Every query through the snapshot's index in this JVM, one thread, warm cache. */
  private JoinResults.Engine engineSearch(SparkSession spark, float[][] queries) {
    LakeAnnTable table = LakeAnnTable.of(SparkTables.load(spark, JoinTables.DOCS))
        .column(JoinTables.VECTOR).id(JoinTables.ID)
        .config(IndexConfig.defaults().toBuilder().metric(Metric.L2).build());
    SearchParams params = SearchParams.topK(where.k());
    if (options.nprobe > 0) {
      params = params.withNprobe(options.nprobe);
    }
    long loadsBefore = IndexCache.global().stats().loads();
    try (SnapshotIndex index = table.open(SnapshotRef.current())) {
      Log.info("engine: searching %,d queries over %d shards on one thread, no Spark",
          queries.length, index.coverage().shards());
      long start = System.nanoTime();
      index.searchBatch(queries, params);
      double seconds = Clock.secondsSince(start);
      JoinResults.Engine engine = new JoinResults.Engine(queries.length,
          index.coverage().shards(), seconds, IndexCache.global().stats().loads() - loadsBefore);
      print(engine.fields(where));
      return engine;
    }
  }

  /** Reads the query table and decodes each vector to float[], as the join does before searching. */
  private JoinResults.Decode decode(SparkSession spark) {
    StageLog.Logged<Long> decoded = logged(spark, "query_decode",
        () -> spark.table(JoinTables.QUERIES)
            .select(col(JoinTables.VECTOR).cast(DataTypes.createArrayType(DataTypes.FloatType)))
            .queryExecution().toRdd().toJavaRDD()
            .map(row -> row.getArray(0).toFloatArray().length)
            .count());
    JoinResults.Decode decode = new JoinResults.Decode(decoded.value(), decoded.seconds());
    print(decode.fields(where));
    return decode;
  }

  private JoinResults.Exact exact(SparkSession spark, int partitions, GroundTruth truth) {
    Log.info("exact cross join in Spark SQL: %,d queries x %,d base rows", options.exactQueries,
        options.exactBase);
    StageLog.Logged<long[][]> joined = logged(spark, "exact_join",
        () -> ExactCrossJoin.run(spark, options.exactBase, options.exactQueries, where.k(),
            partitions));
    JoinResults.Exact exact = new JoinResults.Exact(options.exactBase, options.exactQueries,
        joined.seconds(), recall(truth, joined.value()));
    print(exact.fields(where));
    Log.info("exact cross join: %.2f s, %,.0f comparisons/s; the full join would take %.0f s",
        exact.seconds(), exact.comparisonsPerSecond(), exact.extrapolatedSeconds(where));
    return exact;
  }

  private JoinResults.Hnsw hnsw(SparkSession spark, int partitions, GroundTruth truth) {
    int m = HnswEngine.DEFAULT_M;
    int efConstruction = HnswEngine.DEFAULT_EF_CONSTRUCTION;
    Log.info("per-partition HNSW join: %,d base rows in %d partitions, M=%d, efConstruction=%d,"
        + " ef=%d", options.hnswBase, partitions, m, efConstruction, options.hnswEf);
    StageLog.Logged<PartitionHnswJoin.Result> joined = logged(spark, "hnsw_join",
        () -> PartitionHnswJoin.run(spark, options.hnswBase, partitions, where.k(), m,
            efConstruction, options.hnswEf));
    JoinResults.Hnsw hnsw = new JoinResults.Hnsw(options.hnswBase, m, efConstruction,
        options.hnswEf, joined.value(), joined.seconds(),
        recall(truth, Arrays.copyOf(joined.value().ids(), truth.ids().length)));
    print(hnsw.fields(where));
    Log.info("per-partition HNSW join: %.2f s (longest build %.2f s, longest search %.2f s),"
        + " recall %.4f", hnsw.seconds(), joined.value().buildSeconds(),
        joined.value().searchSeconds(), hnsw.recall());
    return hnsw;
  }

  /** Runs {@code step} with a {@link StageLog}, prints its stages and keeps them for the report. */
  private <T> StageLog.Logged<T> logged(SparkSession spark, String step,
      Supplier<T> work) {
    StageLog.Logged<T> logged = StageLog.run(spark, step, work);
    JoinResults.stageLines(where, step, logged.stages()).forEach(this::print);
    steps.add(new JoinReport.Step(step, logged.seconds(), logged.jobs(), logged.stages()));
    return logged;
  }

  /** Mean recall@k of {@code found} (one row per query, may be null) against {@code truth}. */
  private static double recall(GroundTruth truth, long[][] found) {
    double sum = 0;
    for (int q = 0; q < truth.ids().length; q++) {
      sum += found[q] == null ? 0 : truth.recall(q, found[q]);
    }
    return sum / truth.ids().length;
  }

  private void print(Map<String, Object> line) {
    Json.println(stdout, line);
  }

  /** The oracle's answers: for lakeann, for the HNSW subset, for the exact join's subset. */
  private record Truths(GroundTruth full, GroundTruth hnswSubset, GroundTruth exactSubset) {}
}
