package io.lakeann.iceberg;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.EmptyInputException;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.cache.Lease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;

/**
 * The build of one snapshot's bundle: planned once ({@link LakeAnnTable#plan}), then executed
 * shard by shard on any machine that can read the table ({@link #runShard}), then published in
 * one commit ({@link #publish}). Immutable and serializable, so a distributed engine can ship it
 * to its workers; the same shard run anywhere gives the same bytes.
 *
 * @param tableUuid the table's uuid
 * @param snapshotId the snapshot to index
 * @param binding the columns
 * @param config the index config of every shard
 * @param targetRowsPerShard the planner's target, recorded in the manifest
 * @param maxMaskedFraction share of an old shard's rows a re-mask may hide before rebuilding
 * @param rowLineage whether the table keeps row lineage, which then each shard records
 * @param previous the earlier bundle shards are reused from, or null
 * @param shards the plan
 */
public record BundleBuild(String tableUuid, long snapshotId, ColumnBinding binding,
    IndexConfig config, long targetRowsPerShard, double maxMaskedFraction, boolean rowLineage,
    RegisteredBundle previous, List<ShardPlanner.PlannedShard> shards)
    implements java.io.Serializable {

  public BundleBuild {
    shards = List.copyOf(shards);
  }

  /** The dimension the shards must share: the earlier bundle's, or 0 (the first vector's). */
  public int expectedDim() {
    return previous == null ? 0 : previous.manifest().dim();
  }

  /**
   * Runs shard {@code index}: reuses, re-masks or builds it as planned, writing a new file to
   * {@code out}; a re-mask that would hide too much becomes a build.
   *
   * @param table the table, for its file IO and schema (a serializable copy will do)
   */
  public BuiltShard runShard(int index, Table table, ShardCache cache, Path out) {
    ShardPlanner.PlannedShard planned = shards.get(index);
    ShardReader reader = new ShardReader(table.io(), table.schema(), binding);
    if (planned.action() != ShardPlanner.Action.BUILD) {
      ShardEntry old = previous.manifest().shards().get(planned.previousShard());
      if (old.isEmpty()) {
        return new BuiltShard(old, null, 0, ShardPlanner.Action.REUSE);
      }
      BundleStore store = new BundleStore(table, BundleStore.DEFAULT_PART_BYTES);
      if (planned.action() == ShardPlanner.Action.REUSE) {
        // Copied into the new bundle as it is: its bytes are needed, not its index.
        return new BuiltShard(old, cache.localCopy(store, previous, planned.previousShard()),
            previous.manifest().dim(), ShardPlanner.Action.REUSE);
      }
      try (Lease<Object> lease = cache.acquire(store, previous, planned.previousShard())) {
        ShardCache.LoadedShard loaded = (ShardCache.LoadedShard) lease.value();
        BuiltShard remasked = remask(reader, loaded, old, planned, out);
        if (remasked != null) {
          return remasked;
        }
      }
    }
    ShardRows rows = reader.read(planned.tasks(), expectedDim());
    return new ShardBuilder(tableUuid, config).build(rows,
        rowLineage ? lineage(table, planned.tasks()) : null, snapshotId, out);
  }

  /** The row lineage of each of {@code tasks}' files, or null if one of them has none. */
  private static List<RowLineage.Rows> lineage(Table table, List<FileScanTask> tasks) {
    List<RowLineage.Rows> out = new ArrayList<>(tasks.size());
    for (FileScanTask task : tasks) {
      RowLineage.Rows rows = RowLineage.read(table.io(), table.schema(), task);
      if (rows == null) {
        return null;
      }
      out.add(rows);
    }
    return out;
  }

  /** The old shard re-masked to the snapshot, or null when it must be rebuilt instead. */
  private BuiltShard remask(ShardReader reader, ShardCache.LoadedShard loaded, ShardEntry old,
      ShardPlanner.PlannedShard planned, Path out) {
    Map<String, FileScanTask> live = new HashMap<>();
    planned.tasks().forEach(t -> live.put(t.file().location(), t));
    ShardMasks masks = ShardMasks.compute(reader, old, loaded.sections(),
        loaded.file().deletedRows(), live);
    int rows = loaded.file().index().size();
    int masked = masks.deleted().cardinality();
    if (!masks.reread().isEmpty() || masked > maxMaskedFraction * rows || masked == rows) {
      return null;
    }
    List<DataFileRef> files = planned.tasks().stream().map(DataFileRef::of).toList();
    return new ShardBuilder(tableUuid, config).remask(binding, loaded.file(), old, files,
        masks.deleted(), snapshotId, out);
  }

  /**
   * The manifest of the built shards (in plan order), after checking that they share one
   * dimension and hold at least one vector unless the snapshot holds no row at all.
   */
  public BundleManifest manifest(List<BuiltShard> built) {
    int dim = expectedDim();
    int dimShard = -1;
    long rows = 0;
    long nulls = 0;
    for (int s = 0; s < built.size(); s++) {
      BuiltShard shard = built.get(s);
      rows += shard.entry().liveRows();
      nulls += shard.entry().skippedNulls();
      if (shard.dim() == 0) {
        continue;
      }
      if (dim == 0) {
        dim = shard.dim();
        dimShard = s;
      } else if (shard.dim() != dim) {
        throw new DimensionMismatchException(String.format(Locale.ROOT,
            "%s: shard %d (files %s...) holds %d-dimensional vectors but %s holds %d; make every "
                + "vector of the column the same length", binding.describe(), s,
            shard.entry().files().get(0).location(), shard.dim(),
            dimShard < 0 ? "the index" : "shard " + dimShard, dim));
      }
    }
    if (rows == 0 && nulls > 0) {
      throw new EmptyInputException(String.format(Locale.ROOT,
          "%s holds no vector at snapshot %d: all %d rows are null; fill the column or index "
              + "another one", binding.describe(), snapshotId, nulls));
    }
    return new BundleManifest(tableUuid, snapshotId, binding, dim, config, targetRowsPerShard,
        built.stream().map(BuiltShard::entry).toList());
  }
}
