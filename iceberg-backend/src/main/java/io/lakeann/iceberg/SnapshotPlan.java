package io.lakeann.iceberg;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.io.FileIO;

/**
 * What a search of one snapshot reads, as {@link JoinPlanner#plan} decided it: the bundle
 * serving the snapshot, the shards to open (each with the live scan tasks of its files), the
 * groups of rows added since to search exactly, and the filter. Serializable, so the Spark join
 * can ship it to executors. Immutable.
 *
 * @param snapshotId the snapshot searched
 * @param bundle the registered bundle serving it (its own or an ancestor's)
 * @param binding the indexed columns, under their names in the table's current schema
 * @param shards the non-empty shards the filter may touch, ascending
 * @param deltaGroups the scan tasks of rows no shard covers, in groups, to search exactly
 * @param filter the rows a filtered search may return, collected beforehand, or null
 * @param predicate the filter as an expression evaluated where the rows are read, or null
 * @param nullsStillLive null-vector rows counted at build time in files still live
 */
public record SnapshotPlan(long snapshotId, RegisteredBundle bundle, ColumnBinding binding,
    List<Shard> shards, List<List<FileScanTask>> deltaGroups, AllowedRows filter,
    RowPredicate predicate, long nullsStillLive) implements Serializable {

  /**
   * One shard of the bundle and the live scan tasks of its files, by location (a file missing
   * here was removed since the bundle, so its rows are masked).
   */
  public record Shard(int index, Map<String, FileScanTask> liveFiles) implements Serializable {}

  public SnapshotPlan {
    shards = List.copyOf(shards);
    deltaGroups = deltaGroups.stream().map(List::copyOf).toList();
  }

  public BundleManifest manifest() {
    return bundle.manifest();
  }

  /** The dimension of the indexed vectors (0 when the bundle indexed none). */
  public int dim() {
    return bundle.manifest().dim();
  }

  /**
   * The live scan tasks of the files of shard {@code index} (its number in the bundle).
   *
   * @throws IllegalArgumentException if the plan does not hold that shard
   */
  public Map<String, FileScanTask> liveFiles(int index) {
    for (Shard shard : shards) {
      if (shard.index() == index) {
        return shard.liveFiles();
      }
    }
    throw new IllegalArgumentException("Shard " + index + " of " + binding.describe()
        + " at snapshot " + snapshotId + " is not in this plan");
  }

  /**
   * The rows of {@code tasks} a search may return: the collected filter, or the predicate
   * evaluated on those tasks here (on the executor that reads them), or null for all rows.
   */
  public AllowedRows allowedRows(FileIO io, Schema tableSchema, Collection<FileScanTask> tasks) {
    if (filter != null) {
      return filter;
    }
    return predicate == null ? null : predicate.allowedRows(io, tableSchema, tasks);
  }

  /** Every task of rows added since, in group order. */
  public List<FileScanTask> deltaTasks() {
    return deltaGroups.stream().flatMap(List::stream).toList();
  }
}
