package io.lakeann.iceberg;

import io.lakeann.core.EmptyInputException;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the Iceberg layer: one vector column (and id column) of one table, with the
 * settings to build, refresh and search its index. Immutable: every setter returns a new value;
 * {@link #build}, {@link #open} and {@link #searcher} do the work.
 *
 * <pre>{@code
 * LakeAnnTable docs = LakeAnnTable.of(table).column("embedding").id("doc_id")
 *     .config(IndexConfig.builder().metric(Metric.COSINE).build());
 * docs.build();                                   // publish a bundle for the current snapshot
 * try (Searcher s = docs.searcher(Consistency.fresh())) {
 *   List<Hit> hits = s.search(query, SearchParams.topK(10)).hits();
 * }
 * }</pre>
 */
public final class LakeAnnTable {
  private static final Logger LOG = LoggerFactory.getLogger(LakeAnnTable.class);
  /** Default rows added or masked since the bundle beyond which a refresh is due. */
  public static final long DEFAULT_MAX_DELTA_ROWS = 100_000;
  /** Default share of an old shard's rows that may be masked before a refresh rebuilds it. */
  public static final double DEFAULT_MAX_MASKED_FRACTION = 0.25;

  private final Table table;
  private final String vectorColumn;
  private final String idColumn;
  private final IndexConfig config;
  private final long targetRows;
  private final long partBytes;
  private final long maxDeltaRows;
  private final double maxMaskedFraction;
  private final ShardCache cache;
  private final Path workDir;

  private LakeAnnTable(Table table, String vectorColumn, String idColumn, IndexConfig config,
      long targetRows, long partBytes, long maxDeltaRows, double maxMaskedFraction,
      ShardCache cache, Path workDir) {
    this.table = table;
    this.vectorColumn = vectorColumn;
    this.idColumn = idColumn;
    this.config = config;
    this.targetRows = targetRows;
    this.partBytes = partBytes;
    this.maxDeltaRows = maxDeltaRows;
    this.maxMaskedFraction = maxMaskedFraction;
    this.cache = cache;
    this.workDir = workDir;
  }

  /** {@code table} with the documented defaults; name the columns next. */
  public static LakeAnnTable of(Table table) {
    return new LakeAnnTable(Objects.requireNonNull(table, "table"), null, null,
        IndexConfig.defaults(), ShardPlanner.DEFAULT_TARGET_ROWS, BundleStore.DEFAULT_PART_BYTES,
        DEFAULT_MAX_DELTA_ROWS, DEFAULT_MAX_MASKED_FRACTION, null, null);
  }

  public LakeAnnTable column(String name) {
    return new LakeAnnTable(table, name, idColumn, config, targetRows, partBytes, maxDeltaRows,
        maxMaskedFraction, cache, workDir);
  }

  public LakeAnnTable id(String name) {
    return new LakeAnnTable(table, vectorColumn, name, config, targetRows, partBytes,
        maxDeltaRows, maxMaskedFraction, cache, workDir);
  }

  public LakeAnnTable config(IndexConfig value) {
    return new LakeAnnTable(table, vectorColumn, idColumn, Objects.requireNonNull(value),
        targetRows, partBytes, maxDeltaRows, maxMaskedFraction, cache, workDir);
  }

  /** Target rows per shard (default {@link ShardPlanner#DEFAULT_TARGET_ROWS}). */
  public LakeAnnTable targetRowsPerShard(long value) {
    InvalidRequestException.check(value > 0 && value <= io.lakeann.core.format.RbpxHeader.MAX_ROWS,
        "Invalid target rows per shard: %s (must be in [1, %s])", value,
        io.lakeann.core.format.RbpxHeader.MAX_ROWS);
    return new LakeAnnTable(table, vectorColumn, idColumn, config, value, partBytes,
        maxDeltaRows, maxMaskedFraction, cache, workDir);
  }

  /** Largest Puffin blob per shard part (default {@link BundleStore#DEFAULT_PART_BYTES}). */
  public LakeAnnTable partBytes(long value) {
    return new LakeAnnTable(table, vectorColumn, idColumn, config, targetRows, value,
        maxDeltaRows, maxMaskedFraction, cache, workDir);
  }

  /** Rows added or masked since the bundle beyond which lookups report a refresh is due. */
  public LakeAnnTable maxDeltaRows(long value) {
    InvalidRequestException.check(value >= 0, "Invalid max delta rows: %s (must be >= 0)", value);
    return new LakeAnnTable(table, vectorColumn, idColumn, config, targetRows, partBytes, value,
        maxMaskedFraction, cache, workDir);
  }

  /** Share of an old shard's rows that may be masked before a refresh rebuilds the shard. */
  public LakeAnnTable maxMaskedFraction(double value) {
    InvalidRequestException.check(value >= 0 && value <= 1,
        "Invalid max masked fraction: %s (must be in [0, 1])", value);
    return new LakeAnnTable(table, vectorColumn, idColumn, config, targetRows, partBytes,
        maxDeltaRows, value, cache, workDir);
  }

  /** The shard cache to load into (default {@link ShardCache#global()}). */
  public LakeAnnTable cache(ShardCache value) {
    return new LakeAnnTable(table, vectorColumn, idColumn, config, targetRows, partBytes,
        maxDeltaRows, maxMaskedFraction, Objects.requireNonNull(value), workDir);
  }

  /** Local directory for shard files being built (default: a new temporary directory). */
  public LakeAnnTable workDir(Path value) {
    return new LakeAnnTable(table, vectorColumn, idColumn, config, targetRows, partBytes,
        maxDeltaRows, maxMaskedFraction, cache, Objects.requireNonNull(value));
  }

  public Table table() {
    return table;
  }

  public IndexConfig config() {
    return config;
  }

  /** The columns, resolved in the table's current schema. */
  public ColumnBinding binding() {
    return ColumnBinding.resolve(table.name(), table.schema(), vectorColumn, idColumn);
  }

  public BundleStore store() {
    return new BundleStore(table, partBytes);
  }

  public ShardCache shardCache() {
    return cache != null ? cache : ShardCache.global();
  }

  /** Builds (or refreshes) and publishes the index of the current snapshot. */
  public BuildResult build() {
    return build(SnapshotRef.current());
  }

  /** {@link #build(SnapshotRef, boolean)} without repair. */
  public BuildResult build(SnapshotRef ref) {
    return build(ref, false);
  }

  /**
   * Builds and publishes the index of the snapshot {@code ref} names, shard after shard on this
   * machine ({@link #plan} and {@link BundleBuild} let an engine spread the shards instead).
   * Reuses every shard of the nearest ancestor's bundle (same columns and config) whose files
   * are unchanged, re-masks shards whose files gained deletes, and builds the rest. A no-op when
   * the snapshot already has an equal bundle.
   *
   * @param repair first read and verify every shard of the bundle the build would start from
   *     (the snapshot's own, else the nearest ancestor's) and rebuild the damaged ones from rows
   *     ({@link #plan(SnapshotRef, boolean)})
   * @throws EmptyInputException if the table has no snapshot, or the column holds only nulls
   */
  public BuildResult build(SnapshotRef ref, boolean repair) {
    long start = System.nanoTime();
    Plan plan = plan(ref, repair);
    if (plan.registered() != null) {
      return BuildResult.registered(plan.registered(), seconds(start));
    }
    BundleBuild build = plan.build();
    Path dir = workDir != null ? workDir : LocalFiles.tempDir("lakeann-build-");
    try {
      List<BuiltShard> built = new ArrayList<>();
      for (int s = 0; s < build.shards().size(); s++) {
        BuiltShard shard = build.runShard(s, table, shardCache(), dir.resolve("shard-" + s
            + ".rbpx"));
        built.add(shard);
        LOG.info("lakeann build of {} at snapshot {}: shard {}/{} {} ({} rows)",
            build.binding().describe(), build.snapshotId(), s + 1, build.shards().size(),
            shard.made().name().toLowerCase(Locale.ROOT), shard.entry().rows());
      }
      BundleStore.Published published = store().publish(build.manifest(built),
          built.stream().map(BuiltShard::file).toList(), plan.repaired() > 0);
      return BuildResult.of(published, built, plan.repaired(), seconds(start));
    } finally {
      if (workDir == null) {
        try {
          LocalFiles.deleteTree(dir);
        } catch (UncheckedIOException e) {
          LOG.warn("Could not delete the build directory {}: {}", dir, e.getMessage());
        }
      }
    }
  }

  /**
   * What building {@code ref}'s snapshot takes: either the bundle already registered for it
   * (same columns and config), or a {@link BundleBuild} to run.
   *
   * @param registered the equal bundle already registered, or null
   * @param build the build to run, or null when {@code registered} is set
   * @param repaired damaged shards of the bundle it starts from that the build rebuilds from
   *     rows (a repair); its bundle then replaces the registered one even if equal to it
   */
  public record Plan(RegisteredBundle registered, BundleBuild build, int repaired) {}

  /** {@link #plan(SnapshotRef, boolean)} without repair. */
  public Plan plan(SnapshotRef ref) {
    return plan(ref, false);
  }

  /**
   * Plans the build of the snapshot {@code ref} names. With {@code repair}, every shard of the
   * bundle the build starts from (the snapshot's own, else the nearest ancestor's) is first read
   * from the statistics file and verified ({@link ShardCheck}); shards that fail are rebuilt from
   * rows instead of reused, and a snapshot whose own bundle is intact stays a no-op.
   *
   * @throws EmptyInputException if the table has no snapshot
   */
  public Plan plan(SnapshotRef ref, boolean repair) {
    table.refresh();
    Snapshot snapshot = ref.resolve(table);
    if (snapshot == null) {
      throw new EmptyInputException(String.format(Locale.ROOT,
          "Table %s has no snapshot yet: nothing was ever written to it; append rows, then "
              + "build", table.name()));
    }
    long snapshotId = snapshot.snapshotId();
    ColumnBinding binding = binding();
    BundleStore store = store();
    Optional<RegisteredBundle> existing = compatible(quietFind(store, snapshotId, binding),
        binding);
    Optional<RegisteredBundle> previous = existing.isPresent() ? existing
        : compatible(store.findNearest(snapshotId, binding.vectorFieldId()), binding);
    Set<Integer> damaged = repair && previous.isPresent() ? damaged(store, previous.get())
        : Set.of();
    if (existing.isPresent() && damaged.isEmpty()) {
      LOG.info("lakeann index of {} at snapshot {} is already registered{}", binding.describe(),
          snapshotId, repair ? ", and every shard passed verification" : "");
      return new Plan(existing.get(), null, 0);
    }
    List<FileScanTask> tasks = new ArrayList<>(JoinPlanner.liveFiles(table, snapshotId)
        .values());
    List<ShardPlanner.PlannedShard> shards = new ArrayList<>();
    for (ShardPlanner.PlannedShard shard : new ShardPlanner(targetRows)
        .plan(tasks, previous.map(RegisteredBundle::manifest).orElse(null))) {
      boolean rebuild = shard.action() != ShardPlanner.Action.BUILD
          && damaged.contains(shard.previousShard());
      shards.add(rebuild ? new ShardPlanner.PlannedShard(ShardPlanner.Action.BUILD,
          shard.tasks(), -1) : shard);
    }
    return new Plan(null, new BundleBuild(table.uuid().toString(), snapshotId, binding, config,
        targetRows, maxMaskedFraction, RowLineage.of(table, snapshotId) != null,
        previous.orElse(null), shards), damaged.size());
  }

  /** The shards of {@code bundle} whose bytes fail verification, each logged with its reason. */
  private Set<Integer> damaged(BundleStore store, RegisteredBundle bundle) {
    Set<Integer> out = new TreeSet<>();
    for (ShardCheck check : ShardCheck.verifyAll(store, bundle,
        Runtime.getRuntime().availableProcessors())) {
      if (!check.ok()) {
        LOG.warn("Repairing shard {} of the lakeann bundle in {} (snapshot {}): {}; it is "
            + "rebuilt from its rows", check.shard(), bundle.statisticsPath(),
            bundle.snapshotId(), check.problem());
        out.add(check.shard());
      }
    }
    return out;
  }

  private Optional<RegisteredBundle> compatible(Optional<RegisteredBundle> bundle,
      ColumnBinding binding) {
    return bundle.filter(b -> {
      BundleManifest m = b.manifest();
      ColumnBinding c = m.binding();
      return m.config().equals(config) && c.idFieldId() == binding.idFieldId()
          && c.idKind() == binding.idKind() && c.encoding() == binding.encoding();
    });
  }

  private static Optional<RegisteredBundle> quietFind(BundleStore store, long snapshotId,
      ColumnBinding binding) {
    try {
      return store.find(snapshotId, binding.vectorFieldId());
    } catch (ManifestMismatchException e) {
      LOG.warn("Rebuilding over an unusable lakeann bundle: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Opens the snapshot {@code ref} names for search, through its own bundle or an ancestor's
   * with the rows changed since masked or searched exactly. Close it when done.
   *
   * @throws NoIndexException if no bundle serves the snapshot
   */
  public SnapshotIndex open(SnapshotRef ref) {
    return open(JoinPlanner.resolve(table, Consistency.frozen(ref)));
  }

  /** {@link #open(SnapshotRef)} of snapshot {@code snapshotId}, planned by the join planner. */
  SnapshotIndex open(long snapshotId) {
    BundleStore store = store();
    return SnapshotIndex.open(table,
        JoinPlanner.plan(table, snapshotId, binding().vectorFieldId(), store, null, null), store,
        shardCache(), maxDeltaRows);
  }

  /** A searcher that follows {@code consistency}. Close it when done. */
  public Searcher searcher(Consistency consistency) {
    return new Searcher(this, consistency);
  }

  /** The bundles registered for this column, newest snapshot first. */
  public List<RegisteredBundle> bundles() {
    table.refresh();
    int fieldId = binding().vectorFieldId();
    BundleStore store = store();
    List<RegisteredBundle> out = new ArrayList<>();
    for (org.apache.iceberg.StatisticsFile stats : table.statisticsFiles()) {
      try {
        store.find(stats.snapshotId(), fieldId).ifPresent(out::add);
      } catch (ManifestMismatchException e) {
        LOG.warn("Unusable lakeann bundle: {}", e.getMessage());
      }
    }
    out.sort(Comparator.comparingLong((RegisteredBundle b) ->
        table.snapshot(b.snapshotId()).sequenceNumber()).reversed());
    return out;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

}
