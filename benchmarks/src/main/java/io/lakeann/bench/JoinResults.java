package io.lakeann.bench;

import io.lakeann.iceberg.BuildResult;
import io.lakeann.spark.JoinStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code benchmarks/run join} measured, one record per step, each with the JSON line it
 * prints; the report reads the same values. All immutable.
 */
final class JoinResults {
  private JoinResults() {}

  /** The fields every JSON line starts with: the sizes of the full join. */
  record Where(int base, int dim, int queries, int k) {
    /** A new line: {@code type}, {@code step}, then the sizes. */
    Map<String, Object> line(String type, String step) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("type", type);
      f.put("step", step);
      f.put("base", base);
      f.put("dim", dim);
      f.put("queries", queries);
      f.put("k", k);
      return f;
    }

    /** Query × base-row pairs of the full join. */
    double comparisons() {
      return (double) base * queries;
    }
  }

  /** A table as written through Spark. */
  static Map<String, Object> tableLine(Where where, String step, JoinTables.Written written) {
    Map<String, Object> f = where.line("table", step);
    f.put("table", written.table());
    f.put("rows", written.rows());
    f.put("files", written.files());
    f.put("bytes", written.bytes());
    f.put("seconds", Json.round(written.seconds(), 3));
    return f;
  }

  /** lakeann's distributed build: {@code LakeAnn.build(...).run()}, timed around the call. */
  record Build(BuildResult result, long targetRows, double seconds) {
    int shards() {
      return result.bundle().manifest().shards().size();
    }

    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("lakeann", "build");
      f.put("seconds", Json.round(seconds, 3));
      f.put("shards", shards());
      f.put("target_rows_per_shard", targetRows);
      f.put("rows_read", result.rowsRead());
      f.put("bundle_bytes", result.bundle().statisticsSize());
      return f;
    }
  }

  /**
   * One lakeann join of every query: {@code run()} (which searches in one Spark job) and then
   * writing its result DataFrame to Spark's {@code noop} sink, so every result row is produced.
   *
   * @param nprobe IVF lists probed per shard (0: each shard's default)
   * @param searchSeconds wall time of {@code run()}
   * @param resultSeconds wall time of materializing the returned DataFrame
   * @param recall mean recall@k over the queries with ground truth
   * @param cacheEntriesBefore shards resident in the JVM's index cache when the join started
   */
  record Join(String step, int nprobe, double searchSeconds, double resultSeconds,
      double recall, int scoredQueries, JoinStats stats, long cacheEntriesBefore) {
    double seconds() {
      return searchSeconds + resultSeconds;
    }

    double qps(Where where) {
      return where.queries() / seconds();
    }

    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("lakeann", step);
      f.put("nprobe", nprobe == 0 ? "default" : nprobe);
      f.put("seconds", Json.round(seconds(), 3));
      f.put("search_seconds", Json.round(searchSeconds, 3));
      f.put("result_seconds", Json.round(resultSeconds, 3));
      f.put("recall_at_k", Json.round(recall, 4));
      f.put("scored_queries", scoredQueries);
      f.put("qps", Json.round(qps(where), 1));
      f.put("cache_entries_before", cacheEntriesBefore);
      f.put("shards", stats.shards());
      f.put("delta_groups", stats.deltaGroups());
      f.put("query_blocks", stats.queryBlocks());
      f.put("tasks", stats.tasks());
      f.put("loads", stats.loads());
      f.put("cache_hits", stats.cacheHits());
      f.put("indexed_rows", stats.indexedRows());
      f.put("delta_rows", stats.deltaRows());
      f.put("masked_rows", stats.maskedRows());
      f.put("skipped_null_queries", stats.skippedNullQueries());
      f.put("join_stats_seconds", Json.round(stats.seconds(), 3));
      return f;
    }
  }

  /**
   * A warm join whose filter on the base table matches half its rows, and the bytes its Spark
   * tasks sent the driver as results.
   *
   * @param evaluatedOn where the matching rows were found: "executors" (the filter as an Iceberg
   *     expression) or "driver" (positions collected)
   */
  record Filtered(String filter, String evaluatedOn, double seconds, long rows,
      long driverResultBytes, long heapPeakBytes, JoinStats stats) {
    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("lakeann", "filtered_join");
      f.put("filter", filter);
      f.put("evaluated_on", evaluatedOn);
      f.put("seconds", Json.round(seconds, 3));
      f.put("result_rows", rows);
      f.put("driver_result_bytes", driverResultBytes);
      f.put("heap_peak_bytes", heapPeakBytes);
      f.put("indexed_rows", stats.indexedRows());
      f.put("delta_rows", stats.deltaRows());
      return f;
    }
  }

  /**
   * The same search without Spark: every query through the snapshot's index in this JVM on one
   * thread, its shards taken from the cache the joins filled.
   */
  record Engine(int queries, int shards, double seconds, long loads) {
    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("lakeann", "engine_search");
      f.put("searched_queries", queries);
      f.put("shards", shards);
      f.put("seconds", Json.round(seconds, 3));
      f.put("threads", 1);
      f.put("loads", loads);
      return f;
    }
  }

  /** Reading the query table in Spark and decoding every vector to float[], and nothing else. */
  record Decode(long vectors, double seconds) {
    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("lakeann", "query_decode");
      f.put("vectors", vectors);
      f.put("seconds", Json.round(seconds, 3));
      return f;
    }
  }

  /** The Spark exact cross join on a subset, and its throughput extrapolated to the full join. */
  record Exact(int baseRows, int queries, double seconds, double recall) {
    double comparisons() {
      return (double) baseRows * queries;
    }

    double comparisonsPerSecond() {
      return comparisons() / seconds;
    }

    /** The full join at the measured comparisons per second (linear in base rows × queries). */
    double extrapolatedSeconds(Where where) {
      return where.comparisons() / comparisonsPerSecond();
    }

    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("exact_join", "cross_join");
      f.put("base_rows", baseRows);
      f.put("joined_queries", queries);
      f.put("comparisons", (long) comparisons());
      f.put("seconds", Json.round(seconds, 3));
      f.put("comparisons_per_second", Json.round(comparisonsPerSecond(), 0));
      f.put("recall_at_k", Json.round(recall, 4));
      f.put("extrapolated", baseRows != where.base() || queries != where.queries());
      f.put("extrapolated_seconds", Json.round(extrapolatedSeconds(where), 1));
      f.put("extrapolated_qps", Json.round(where.queries() / extrapolatedSeconds(where), 3));
      return f;
    }
  }

  /**
   * The per-partition HNSW join on the first {@code baseRows} rows, end to end (build and join in
   * one job), and its time extrapolated to the full base: collecting the queries and the
   * longest search stay as measured, the rest (reading, shuffling, building) scales linearly with
   * the base rows.
   */
  record Hnsw(int baseRows, int m, int efConstruction, int ef, PartitionHnswJoin.Result run,
      double seconds, double recall) {
    double extrapolatedSeconds(Where where) {
      double fixed = run.queriesSeconds() + run.searchSeconds();
      return fixed + (seconds - fixed) * where.base() / baseRows;
    }

    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("hnsw_join", "build_and_join");
      f.put("base_rows", baseRows);
      f.put("partitions", run.partitions());
      f.put("M", m);
      f.put("ef_construction", efConstruction);
      f.put("ef", ef);
      f.put("seconds", Json.round(seconds, 3));
      f.put("queries_seconds", Json.round(run.queriesSeconds(), 3));
      f.put("max_task_build_seconds", Json.round(run.buildSeconds(), 3));
      f.put("max_task_search_seconds", Json.round(run.searchSeconds(), 3));
      f.put("recall_at_k", Json.round(recall, 4));
      f.put("recall_base_rows", baseRows);
      f.put("extrapolated", baseRows != where.base());
      f.put("extrapolated_seconds", Json.round(extrapolatedSeconds(where), 1));
      f.put("extrapolated_qps", Json.round(where.queries() / extrapolatedSeconds(where), 3));
      return f;
    }
  }

  /** The stages of one measured step, as JSON lines. */
  static List<Map<String, Object>> stageLines(Where where, String step,
      List<StageLog.Stage> stages) {
    return stages.stream().map(s -> {
      Map<String, Object> f = where.line("stage", step);
      s.addTo(f);
      return f;
    }).toList();
  }
}
