package io.lakeann.spark.cli;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.BundleManifest;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.ShardPlanner;
import io.lakeann.iceberg.SnapshotRef;
import io.lakeann.spark.BuildJob;
import io.lakeann.spark.LakeAnn;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code build}: builds (or refreshes) the index of one vector column of an Iceberg table across
 * the cluster with {@link BuildJob} and publishes it with the snapshot. Immutable.
 */
final class BuildCommand implements Command {
  static final String NAME = "build";
  static final Set<String> FLAGS = Set.of("table", "column", "id", "metric", "target-rows",
      "snapshot");
  static final Set<String> SWITCHES = Set.of("repair");
  static final String USAGE = String.join("\n",
      "usage: lakeann [OPTIONS] build --table T --column C --id C [--metric l2|ip|cosine]",
      "                              [--target-rows N] [--snapshot REF] [--repair]",
      "",
      "Builds the index of vector column C of Iceberg table T at its current snapshot, one Spark",
      "task per shard, and publishes it with the snapshot (a Puffin statistics file). Shards of",
      "an earlier bundle whose data files are unchanged are reused; on a snapshot that already",
      "has an equal index nothing is done (already_registered: true).",
      "",
      "  --table T         Iceberg table, catalog.namespace.table (e.g. lake.db.docs)",
      "  --column C        vector column: array<float>, array<double> (read as float32), or",
      "                    binary holding little-endian float32",
      "  --id C            id column: bigint, int or string",
      "  --metric M        l2 (default), ip (inner product) or cosine",
      "  --target-rows N   rows per shard (default " + ShardPlanner.DEFAULT_TARGET_ROWS + ")",
      "  --snapshot REF    snapshot to index: current (default), an id, tag:NAME or branch:NAME",
      "  --repair          first read and verify every shard of the index the build starts",
      "                    from, and rebuild the damaged ones from their rows (a join that",
      "                    finds a damaged shard searches it exactly and tells you to run this)",
      "",
      "prints {\"command\":\"build\",\"table\":...,\"snapshot_id\":...,\"already_registered\":...,",
      "  \"shards\":...,\"shards_built\":...,\"shards_reused\":...,\"shards_remasked\":...,",
      "  \"shards_repaired\":...,",
      "  \"rows\":...,\"rows_read\":...,\"skipped_null_vectors\":...,\"witness\":...,",
      "  \"statistics_file\":...,\"seconds\":...}",
      "",
      "example",
      "  lakeann --warehouse wh build --table lake.db.docs --column embedding --id doc_id "
          + "--metric cosine");

  private final String table;
  private final String column;
  private final String id;
  private final Metric metric;
  private final long targetRows;
  private final SnapshotRef snapshot;
  private final boolean repair;

  BuildCommand(String table, String column, String id, Metric metric, long targetRows,
      SnapshotRef snapshot, boolean repair) {
    this.table = table;
    this.column = column;
    this.id = id;
    this.metric = metric;
    this.targetRows = targetRows;
    this.snapshot = snapshot;
    this.repair = repair;
  }

  static BuildCommand parse(Flags flags) {
    String table = flags.required("table", "the Iceberg table to index, e.g. lake.db.docs");
    String column = flags.required("column", "the vector column (array<float> or binary)");
    String id = flags.required("id", "the id column (bigint, int or string)");
    Metric metric = null;
    if (flags.optional("metric") != null) {
      metric = valueOf("--metric", () -> Metric.parse(flags.optional("metric")));
    }
    long targetRows = flags.number("target-rows", ShardPlanner.DEFAULT_TARGET_ROWS, 1);
    SnapshotRef snapshot = flags.optional("snapshot") == null ? SnapshotRef.current()
        : valueOf("--snapshot", () -> SnapshotRef.parse(flags.optional("snapshot")));
    return new BuildCommand(table, column, id, metric, targetRows, snapshot,
        flags.on("repair"));
  }

  /** A flag value parsed by lakeann's own parser; its refusal becomes a usage error. */
  static <T> T valueOf(String flag, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (LakeAnnException e) {
      throw new UsageException("%s: %s", flag, e.getMessage());
    }
  }

  @Override
  public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
    CliTables.checkCatalog(spark, table, "--table");
    BuildJob job = LakeAnn.build(spark, table).column(column).id(id).targetRowsPerShard(targetRows)
        .snapshot(snapshot).repair(repair);
    if (metric != null) {
      job = job.metric(metric);
    }
    return summary(table, job.run());
  }

  /** The summary of a build of {@code table}. */
  static Map<String, Object> summary(String table, BuildResult result) {
    RegisteredBundle bundle = result.bundle();
    BundleManifest manifest = bundle.manifest();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", NAME);
    m.put("table", table);
    m.put("column", manifest.binding().vectorColumn());
    m.put("id_column", manifest.binding().idColumn());
    m.put("snapshot_id", bundle.snapshotId());
    m.put("already_registered", result.alreadyRegistered());
    m.put("metric", manifest.config().metric().shortName());
    m.put("dimension", manifest.dim());
    m.put("shards", manifest.shards().size());
    m.put("shards_built", result.shardsBuilt());
    m.put("shards_reused", result.shardsReused());
    m.put("shards_remasked", result.shardsRemasked());
    m.put("shards_repaired", result.shardsRepaired());
    m.put("rows", manifest.liveRows());
    m.put("rows_read", result.rowsRead());
    m.put("skipped_null_vectors", result.skippedNullVectors());
    m.put("bytes", manifest.bytes());
    m.put("witness", manifest.witness().toString());
    m.put("statistics_file", bundle.statisticsPath());
    m.put("build_seconds", Main.rounded(result.seconds()));
    return m;
  }
}
