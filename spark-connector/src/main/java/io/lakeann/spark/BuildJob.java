package io.lakeann.spark;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.BuiltShard;
import io.lakeann.iceberg.BundleBuild;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.LocalFiles;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardPlanner;
import io.lakeann.iceberg.SnapshotRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the index of an Iceberg table across the cluster: the Iceberg layer plans the shards,
 * one Spark task builds each shard on an executor and stages its bytes under the table's
 * metadata folder, and the driver publishes the bundle with the snapshot in one commit. Shards
 * of an earlier bundle that are still valid are reused on the driver without a task. Re-running
 * on an unchanged snapshot is a no-op. Immutable; {@link #run} does the work.
 *
 * <pre>{@code
 * BuildResult r = LakeAnn.build(spark, "lake.db.docs").column("embedding").id("doc_id")
 *     .metric(Metric.COSINE).run();
 * }</pre>
 */
public final class BuildJob {
  private static final Logger LOG = LoggerFactory.getLogger(BuildJob.class);

  private final SparkSession spark;
  private final String table;
  private final String column;
  private final String id;
  private final IndexConfig config;
  private final long targetRows;
  private final SnapshotRef snapshot;
  private final boolean repair;

  BuildJob(SparkSession spark, String table) {
    this(spark, table, null, null, IndexConfig.defaults(), ShardPlanner.DEFAULT_TARGET_ROWS,
        SnapshotRef.current(), false);
  }

  private BuildJob(SparkSession spark, String table, String column, String id,
      IndexConfig config, long targetRows, SnapshotRef snapshot, boolean repair) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.table = table;
    this.column = column;
    this.id = id;
    this.config = config;
    this.targetRows = targetRows;
    this.snapshot = snapshot;
    this.repair = repair;
  }

  /** The vector column (list&lt;float&gt; or binary float32). */
  public BuildJob column(String name) {
    return new BuildJob(spark, table, name, id, config, targetRows, snapshot, repair);
  }

  /** The id column (long, int or string). */
  public BuildJob id(String name) {
    return new BuildJob(spark, table, column, name, config, targetRows, snapshot, repair);
  }

  public BuildJob metric(Metric metric) {
    return config(config.toBuilder().metric(Objects.requireNonNull(metric, "metric")).build());
  }

  /** Every index knob ({@link IndexConfig}); its thread count is replaced by each task's cpus. */
  public BuildJob config(IndexConfig value) {
    return new BuildJob(spark, table, column, id, Objects.requireNonNull(value, "config"),
        targetRows, snapshot, repair);
  }

  public BuildJob targetRowsPerShard(long value) {
    InvalidRequestException.check(value > 0, "Invalid target rows per shard: %s (must be > 0)",
        value);
    return new BuildJob(spark, table, column, id, config, value, snapshot, repair);
  }

  /** The snapshot to index (default: current). */
  public BuildJob snapshot(SnapshotRef ref) {
    return new BuildJob(spark, table, column, id, config, targetRows,
        Objects.requireNonNull(ref, "snapshot"), repair);
  }

  /**
   * Whether to repair (default false): first read and verify every shard of the bundle the
   * build starts from (the snapshot's own, else the nearest ancestor's), then rebuild the damaged
   * ones from their rows and register the result, even over an equal bundle. A join that finds
   * a damaged shard searches its rows exactly and says to run this.
   */
  public BuildJob repair(boolean value) {
    return new BuildJob(spark, table, column, id, config, targetRows, snapshot, value);
  }

  /** The Iceberg layer's view of this job's table and settings. */
  LakeAnnTable lakeAnnTable() {
    return LakeAnnTable.of(SparkTables.load(spark, table)).column(column).id(id).config(config)
        .targetRowsPerShard(targetRows);
  }

  /** Builds and publishes; returns what was done (a no-op result when already registered). */
  public BuildResult run() {
    long start = System.nanoTime();
    LakeAnnTable indexed = lakeAnnTable();
    ShardStaging.removeStale(indexed.table(), stagingMaxAge());
    LakeAnnTable.Plan plan = indexed.plan(snapshot, repair);
    if (plan.registered() != null) {
      return BuildResult.registered(plan.registered(), seconds(start));
    }
    BundleBuild build = plan.build();
    Table base = indexed.table();
    ShardStaging staging = ShardStaging.forBuild(base);
    List<String> staged = new CopyOnWriteArrayList<>();
    Thread cleanup = staging.deleteOnShutdown(base.io(), staged);
    Path dir = LocalFiles.tempDir("lakeann-publish-");
    try {
      List<BuiltShard> built = runShards(build, base, staging, staged, dir);
      BuildResult result = BuildResult.of(indexed.store().publish(build.manifest(built),
          built.stream().map(BuiltShard::file).toList(), plan.repaired() > 0), built,
          plan.repaired(), seconds(start));
      if (result.alreadyRegistered()) {
        LOG.info("lakeann build of {} at snapshot {}: an equal bundle was registered while this "
            + "build ran; its {} built shards were discarded", build.binding().describe(),
            build.snapshotId(), result.shardsBuilt());
        return result;
      }
      LOG.info("lakeann build of {} at snapshot {} done in {} s: {} shards built ({} of them "
          + "repaired), {} reused, {} re-masked, {} rows read, {} null vectors skipped",
          build.binding().describe(), build.snapshotId(),
          String.format(Locale.ROOT, "%.1f", result.seconds()), result.shardsBuilt(),
          result.shardsRepaired(), result.shardsReused(), result.shardsRemasked(),
          result.rowsRead(), result.skippedNullVectors());
      return result;
    } finally {
      staging.delete(base.io(), staged);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        LOG.debug("The JVM is shutting down; its hook deletes {}", staging.folder());
      }
      LocalFiles.deleteTree(dir);
    }
  }

  /** How long a staging folder may go unchanged before a build deletes it as a dead build's. */
  private Duration stagingMaxAge() {
    String value = spark.conf().get(ShardStaging.MAX_AGE_KEY, ShardStaging.DEFAULT_MAX_AGE);
    try {
      return Duration.ofSeconds(JavaUtils.timeStringAsSec(value));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(String.format(Locale.ROOT,
          "Invalid %s: '%s'; give a duration such as 30min, 6h or 2d", ShardStaging.MAX_AGE_KEY,
          value));
    }
  }

  private List<BuiltShard> runShards(BundleBuild build, Table base, ShardStaging staging,
      List<String> staged, Path dir) {
    int count = build.shards().size();
    List<Integer> remote = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      if (build.shards().get(s).action() != ShardPlanner.Action.REUSE) {
        remote.add(s);
      }
    }
    BuiltShard[] built = new BuiltShard[count];
    if (!remote.isEmpty()) {
      for (StagedShard shard : buildOnExecutors(build, base, staging, remote)) {
        Path local = null;
        if (shard.location() != null) {
          staged.add(shard.location());
          local = ShardStaging.local(base.io(), shard.location(), dir);
        }
        built[shard.index()] = new BuiltShard(shard.entry(), local, shard.dim(), shard.made());
      }
    }
    for (int s = 0; s < count; s++) {
      if (built[s] == null) {
        built[s] = build.runShard(s, base, ShardCache.global(), dir.resolve("reused-" + s));
      }
    }
    return List.of(built);
  }

  private List<StagedShard> buildOnExecutors(BundleBuild build, Table base, ShardStaging staging,
      List<Integer> shards) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Table table = SerializableTable.copyOf(base);
    LongAccumulator rows = spark.sparkContext().longAccumulator("lakeann build rows");
    String what = build.binding().describe();
    Progress progress = new Progress(what, shards.size(), rows);
    spark.sparkContext().addSparkListener(progress);
    jsc.setJobDescription(String.format(Locale.ROOT, "lakeann build %s at snapshot %d: %d shards",
        what, build.snapshotId(), shards.size()));
    try {
      return jsc.parallelize(shards, shards.size())
          .map(s -> buildShard(build, table, staging, s, rows))
          .collect();
    } finally {
      spark.sparkContext().removeSparkListener(progress);
      jsc.setJobDescription(null);
    }
  }

  /** Runs on an executor: builds one shard with the task's cpus and stages it. */
  private static StagedShard buildShard(BundleBuild build, Table table, ShardStaging staging,
      int shard, LongAccumulator rows) {
    BundleBuild withThreads = new BundleBuild(build.tableUuid(), build.snapshotId(),
        build.binding(), build.config().toBuilder().threads(ExecutorSide.taskThreads()).build(),
        build.targetRowsPerShard(), build.maxMaskedFraction(), build.rowLineage(),
        build.previous(), build.shards());
    Path dir = LocalFiles.tempDir("lakeann-shard-");
    try {
      BuiltShard built = withThreads.runShard(shard, table, ShardCache.global(),
          dir.resolve("shard.rbpx"));
      rows.add(built.entry().rows());
      String location = built.file() == null ? null
          : staging.upload(table.io(), built.file(), shard);
      return new StagedShard(shard, built.entry(), built.dim(), built.made(), location,
          ExecutorSide.location());
    } finally {
      LocalFiles.deleteTree(dir);
    }
  }

  /** Logs shards done / total and rows per second as build tasks finish. */
  private static final class Progress extends SparkListener {
    private final String what;
    private final int total;
    private final LongAccumulator rows;
    private final long start = System.nanoTime();
    private int done;

    Progress(String what, int total, LongAccumulator rows) {
      this.what = what;
      this.total = total;
      this.rows = rows;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
      done++;
      double secs = seconds(start);
      LOG.info("lakeann build {}: {}/{} shards done, {} rows, {} rows/s", what,
          Math.min(done, total), total, rows.value(),
          String.format(Locale.ROOT, "%.0f", rows.value() / Math.max(secs, 1e-9)));
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
