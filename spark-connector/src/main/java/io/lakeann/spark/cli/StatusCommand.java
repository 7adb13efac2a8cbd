package io.lakeann.spark.cli;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.cache.CacheStats;
import io.lakeann.spark.ExecutorCaches;
import io.lakeann.iceberg.BundleManifest;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.Coverage;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.NoIndexException;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.SnapshotIndex;
import io.lakeann.iceberg.SnapshotRef;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;

/**
 * {@code status}: for each indexed vector column of a table (or the one named), the bundles
 * registered per snapshot, and what serves the current snapshot: its own bundle, or an
 * ancestor's with the rows changed since searched exactly or masked (read from the
 * {@link Coverage} of the opened {@link SnapshotIndex}); then this JVM's cache counters, and the
 * table's own counters in every JVM of the session by kind. Immutable.
 */
final class StatusCommand implements Command {
  static final String NAME = "status";
  static final Set<String> FLAGS = Set.of("table", "column");
  static final String USAGE = String.join("\n",
      "usage: lakeann [OPTIONS] status --table T [--column C]",
      "",
      "The lakeann indexes of Iceberg table T (of column C, or of every indexed column):",
      "  bundles   one per indexed snapshot, newest first: snapshot_id, witness, metric,",
      "            dimension, shards, rows, masked_rows, bytes, statistics_file",
      "  current   the current snapshot and what serves it: own_bundle true, or the ancestor",
      "            bundle_snapshot_id with delta_rows (added since, searched exactly) and",
      "            masked_rows (removed since); refresh_due when a build would pay off",
      "then shard_cache: the counters of this JVM's cache (the driver's; in local mode also",
      "the executors'), after opening the current snapshot's index; and table_cache: per JVM",
      "(driver, then each executor), the counters of this table's entries by kind (shard,",
      "view, delta): bytes, peak_bytes, entries, hits, misses, loads, evictions, ...",
      "",
      "example",
      "  lakeann --warehouse wh status --table lake.db.docs");

  private final String table;
  private final String column;

  StatusCommand(String table, String column) {
    this.table = table;
    this.column = column;
  }

  static StatusCommand parse(Flags flags) {
    return new StatusCommand(flags.required("table", "the Iceberg table, e.g. lake.db.docs"),
        flags.optional("column"));
  }

  @Override
  public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
    Table base = CliTables.iceberg(spark, table, "--table");
    base.refresh();
    Snapshot current = base.currentSnapshot();
    List<Integer> fields = new ArrayList<>();
    if (column != null) {
      fields.add(ColumnBinding.vectorField(base.name(), base.schema(), column).fieldId());
    } else {
      fields.addAll(new BundleStore(base, BundleStore.DEFAULT_PART_BYTES).indexedFields());
    }
    List<Object> columns = new ArrayList<>();
    for (int field : fields) {
      columns.add(column(base, field, current));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", NAME);
    m.put("table", table);
    m.put("current_snapshot_id", current == null ? null : current.snapshotId());
    m.put("columns", columns);
    m.put("shard_cache", cache(ShardCache.global().stats()));
    m.put("table_cache", tableCache(spark, base.name()));
    return m;
  }

  /** Per JVM of the session, the counters of {@code owner}'s cache entries by kind. */
  private static List<Object> tableCache(SparkSession spark, String owner) {
    List<Object> out = new ArrayList<>();
    for (ExecutorCaches.JvmCache jvm : ExecutorCaches.collect(spark)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("executor_id", jvm.executorId());
      m.put("answered", jvm.answered());
      Map<String, Object> kinds = new LinkedHashMap<>();
      jvm.of(owner).forEach((kind, stats) -> kinds.put(kind, cache(stats)));
      m.put("kinds", kinds);
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> column(Table base, int field, Snapshot current) {
    Types.NestedField vector = base.schema().findField(field);
    Map<String, Object> m = new LinkedHashMap<>();
    RegisteredBundle any = new BundleStore(base, BundleStore.DEFAULT_PART_BYTES)
        .anyReadable(field).orElse(null);
    if (any == null) {
      m.put("column", vector == null ? column : vector.name());
      m.put("id_column", null);
      m.put("bundles", List.of());
      m.put("current", current == null ? null : unserved(current, String.format(Locale.ROOT,
          "no lakeann index; build one: %s build --table %s --column %s --id ID_COLUMN",
          Main.name(), table, vector == null ? column : vector.name())));
      return m;
    }
    ColumnBinding binding = any.manifest().binding().renamedIn(base.schema());
    m.put("column", binding.vectorColumn());
    m.put("id_column", binding.idColumn());
    if (vector == null) {
      m.put("error", "the column was dropped from the table's schema; its indexes serve no "
          + "snapshot after the drop");
      return m;
    }
    LakeAnnTable indexed = LakeAnnTable.of(base).column(binding.vectorColumn())
        .id(binding.idColumn());
    try {
      List<Object> bundles = new ArrayList<>();
      for (RegisteredBundle bundle : indexed.bundles()) {
        bundles.add(bundle(bundle));
      }
      m.put("bundles", bundles);
      m.put("current", current == null ? null : coverage(indexed, current));
    } catch (LakeAnnException e) {
      if (column != null) {
        throw e;
      }
      m.put("error", e.getMessage());
    }
    return m;
  }

  private static Map<String, Object> bundle(RegisteredBundle bundle) {
    BundleManifest manifest = bundle.manifest();
    long masked = 0;
    for (var shard : manifest.shards()) {
      masked += shard.maskedRows();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshot_id", bundle.snapshotId());
    m.put("witness", manifest.witness().toString());
    m.put("metric", manifest.config().metric().shortName());
    m.put("dimension", manifest.dim());
    m.put("shards", manifest.shards().size());
    m.put("rows", manifest.liveRows());
    m.put("masked_rows", masked);
    m.put("skipped_null_vectors", manifest.skippedNulls());
    m.put("bytes", manifest.bytes());
    m.put("statistics_file", bundle.statisticsPath());
    m.put("statistics_file_bytes", bundle.statisticsSize());
    return m;
  }

  /** What serves the current snapshot, from the coverage of its opened index. */
  private Map<String, Object> coverage(LakeAnnTable indexed, Snapshot current) {
    Coverage c;
    try (SnapshotIndex index = indexed.open(SnapshotRef.current())) {
      c = index.coverage();
    } catch (NoIndexException e) {
      return unserved(current, e.getMessage());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshot_id", c.snapshotId());
    m.put("served", true);
    m.put("own_bundle", c.bundleSnapshotId() == c.snapshotId());
    m.put("bundle_snapshot_id", c.bundleSnapshotId());
    m.put("shards", c.shards());
    m.put("indexed_rows", c.indexedRows());
    m.put("delta_rows", c.deltaRows());
    m.put("masked_rows", c.maskedRows());
    m.put("skipped_null_vectors", c.skippedNullVectors());
    m.put("refresh_due", c.refreshDue());
    return m;
  }

  private static Map<String, Object> unserved(Snapshot current, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshot_id", current.snapshotId());
    m.put("served", false);
    m.put("own_bundle", false);
    m.put("bundle_snapshot_id", null);
    m.put("reason", reason);
    return m;
  }

  private static Map<String, Object> cache(CacheStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("budget_bytes", s.budgetBytes());
    m.put("bytes", s.bytes());
    m.put("peak_bytes", s.peakBytes());
    m.put("entries", s.entries());
    m.put("hits", s.hits());
    m.put("misses", s.misses());
    m.put("shared_hits", s.sharedHits());
    m.put("hit_rate", Main.rounded(s.hitRate()));
    m.put("loads", s.loads());
    m.put("load_failures", s.loadFailures());
    m.put("load_millis_total", Main.rounded(s.loadMillisTotal()));
    m.put("evictions", s.evictions());
    m.put("invalidations", s.invalidations());
    m.put("bypasses", s.bypasses());
    return m;
  }
}
