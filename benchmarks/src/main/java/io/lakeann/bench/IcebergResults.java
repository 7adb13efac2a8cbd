package io.lakeann.bench;

import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.ColumnBinding.VectorEncoding;
import io.lakeann.iceberg.Coverage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code benchmarks/run iceberg} measured for one vector encoding, one record per step, each
 * with the JSON line(s) it prints; the report reads the same values. All immutable.
 */
final class IcebergResults {
  private IcebergResults() {}

  /**
   * The fields every JSON line starts with: the encoding ({@code null} for a line about every
   * encoding, such as the ground truth) and the size of the base data.
   */
  record Where(VectorEncoding encoding, int n, int dim) {
    /** {@code list_float}, {@code binary_f32}, or {@code all}. */
    String encodingName() {
      return encoding == null ? "all" : encoding.name().toLowerCase(Locale.ROOT);
    }

    /** A new line: {@code type}, {@code key} (engine or step) = {@code value}, then the rest. */
    Map<String, Object> line(String type, String key, String value) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("type", type);
      f.put(key, value);
      f.put("encoding", encodingName());
      f.put("n", n);
      f.put("dim", dim);
      return f;
    }
  }

  /** The table as written: its data files, their bytes and the time to write and commit them. */
  record Write(int files, long dataBytes, double seconds) {
    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("table", "step", "write");
      f.put("files", files);
      f.put("data_bytes", dataBytes);
      f.put("data_bytes_per_row", Json.round((double) dataBytes / where.n(), 1));
      f.put("seconds", Json.round(seconds, 3));
      return f;
    }
  }

  /** Rows per second reading all live ids and vectors: lakeann's reader and Iceberg's. */
  record Read(long rows, int passes, double readerRowsPerSecond,
      double genericRowsPerSecond) {
    static final String READER = "lakeann-shard-reader";
    static final String GENERIC = "iceberg-generics";

    List<Map<String, Object>> lines(Where where) {
      return List.of(line(where, READER, readerRowsPerSecond),
          line(where, GENERIC, genericRowsPerSecond));
    }

    private Map<String, Object> line(Where where, String engine, double rowsPerSecond) {
      Map<String, Object> f = where.line("read", "engine", engine);
      f.put("rows", rows);
      f.put("passes", passes);
      f.put("rows_per_second", Json.round(rowsPerSecond, 0));
      return f;
    }
  }

  /** The first build of the table's snapshot and the no-op build that follows it. */
  record Build(BuildResult first, BuildResult again) {
    /** The Puffin statistics file holding the bundle, per indexed row. */
    double bundleBytesPerVector() {
      return (double) first.bundle().statisticsSize() / first.bundle().manifest().liveRows();
    }

    int shards() {
      return first.bundle().manifest().shards().size();
    }

    List<Map<String, Object>> lines(Where where) {
      Map<String, Object> built = buildLine(where, "build", "build", first);
      built.put("shards", shards());
      built.put("bundle_bytes", first.bundle().statisticsSize());
      built.put("bundle_bytes_per_vector", Json.round(bundleBytesPerVector(), 1));
      Map<String, Object> noop = where.line("build", "step", "noop_build");
      noop.put("seconds", Json.round(again.seconds(), 4));
      noop.put("already_registered", again.alreadyRegistered());
      return List.of(built, noop);
    }
  }

  /** Opening the current snapshot with an empty cache and then again with the same cache. */
  record Open(double coldMs, double warmMs, int warmPasses, int shards) {
    List<Map<String, Object>> lines(Where where) {
      Map<String, Object> cold = where.line("open", "step", "cold");
      cold.put("ms", Json.round(coldMs, 2));
      cold.put("shards", shards);
      Map<String, Object> warm = where.line("open", "step", "warm");
      warm.put("ms", Json.round(warmMs, 2));
      warm.put("shards", shards);
      warm.put("passes", warmPasses);
      return List.of(cold, warm);
    }
  }

  /** What a search covers, in the order the benchmark reaches it: which snapshot, which bundle. */
  enum State {
    BUILT("built", "as built"),
    CHANGED("changed_via_old_bundle", "changed, old bundle + exact delta"),
    REFRESHED("refreshed", "changed, after refresh");

    final String key;
    final String label;

    State(String key, String label) {
      this.key = key;
      this.label = label;
    }
  }

  /** One engine searching one snapshot on one thread. */
  record Search(String engine, State state, long liveRows, int k, Measured measured) {
    static final String LAKEANN = "lakeann-iceberg";
    static final String EXACT = "exact";

    Map<String, Object> fields(Where where) {
      Map<String, Object> f = where.line("search", "engine", engine);
      f.put("state", state.key);
      f.put("live_rows", liveRows);
      f.put("k", k);
      measured.addTo(f);
      return f;
    }
  }

  /**
   * The table change (rows appended as one file, ids removed by one equality delete file), the
   * new snapshot opened through the old bundle, the refresh that follows, and a full rebuild of
   * the same snapshot with a config that shares nothing with the old bundle.
   */
  record Change(long appendedRows, long deletedIds, double commitSeconds, double openMs,
      Coverage coverage, BuildResult refresh, BuildResult fullRebuild) {
    List<Map<String, Object>> lines(Where where) {
      Map<String, Object> apply = where.line("change", "step", "apply");
      apply.put("appended_rows", appendedRows);
      apply.put("deleted_ids", deletedIds);
      apply.put("seconds", Json.round(commitSeconds, 3));
      Map<String, Object> open = where.line("change", "step", "open_via_old_bundle");
      open.put("ms", Json.round(openMs, 2));
      open.put("indexed_rows", coverage.indexedRows());
      open.put("delta_rows", coverage.deltaRows());
      open.put("masked_rows", coverage.maskedRows());
      open.put("refresh_due", coverage.refreshDue());
      return List.of(apply, open, buildLine(where, "change", "refresh", refresh),
          buildLine(where, "change", "full_rebuild", fullRebuild));
    }
  }

  /** Everything measured for one encoding. */
  record Encoding(Where where, Write write, Read read, Build build, Open open,
      List<Search> searches, Change change) {
    Encoding {
      searches = List.copyOf(searches);
    }
  }

  private static Map<String, Object> buildLine(Where where, String type, String step,
      BuildResult result) {
    Map<String, Object> f = where.line(type, "step", step);
    f.put("seconds", Json.round(result.seconds(), 3));
    f.put("shards_built", result.shardsBuilt());
    f.put("shards_reused", result.shardsReused());
    f.put("shards_remasked", result.shardsRemasked());
    f.put("rows_read", result.rowsRead());
    return f;
  }
}
