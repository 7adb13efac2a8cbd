package io.lakeann.iceberg;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param lineage the row lineage of the bundle's snapshot when the snapshot searched is a later
 *     one of a table that keeps lineage, else null
 * @param carriers the files added since the bundle that may hold rows a rewrite copied from
 *     the bundle's files (with lineage only; they are among the delta groups' files)
 */
public record SnapshotPlan(long snapshotId, RegisteredBundle bundle, ColumnBinding binding,
    List<Shard> shards, List<List<FileScanTask>> deltaGroups, AllowedRows filter,
    RowPredicate predicate, long nullsStillLive, RowLineage lineage, List<Carrier> carriers)
    implements Serializable {

  /**
   * One shard of the bundle and the live scan tasks of its files, by location (a file missing
   * here was removed since the bundle, so its rows are masked), with the files rewrites wrote in
   * place of its files on a table without row lineage: the rows it recognises there it serves,
   * the rest it searches exactly (no delta group reads them).
   */
  public record Shard(int index, Map<String, FileScanTask> liveFiles,
      List<FileScanTask> successors) implements Serializable {
    public Shard {
      successors = List.copyOf(successors);
    }
  }

  /**
   * A file added since the bundle that may hold rows of the bundle's snapshot, copied by a
   * rewrite, with the range of row ids it holds (from its footer).
   */
  public record Carrier(FileScanTask task, long minRowId, long maxRowId)
      implements Serializable {
    /** Whether it may hold a row id of {@code [min, max]}. */
    boolean overlaps(long min, long max) {
      return minRowId <= max && min <= maxRowId;
    }
  }

  public SnapshotPlan {
    shards = List.copyOf(shards);
    deltaGroups = deltaGroups.stream().map(List::copyOf).toList();
    carriers = List.copyOf(carriers);
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
    return shard(index).liveFiles();
  }

  /**
   * Shard {@code index} (its number in the bundle).
   *
   * @throws IllegalArgumentException if the plan does not hold that shard
   */
  public Shard shard(int index) {
    for (Shard shard : shards) {
      if (shard.index() == index) {
        return shard;
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

  /**
   * For each carrier among {@code tasks}, the positions of its live rows that are rows of the
   * bundle ({@code carried}) or that are not (ascending): the rows a shard serves, which an
   * exact pass over the file leaves out, or the only ones it takes. Files that carry nothing
   * are not named.
   */
  public Map<String, long[]> carriedPositions(FileIO io, Schema tableSchema,
      Collection<FileScanTask> tasks, boolean carried) {
    Map<String, long[]> out = new HashMap<>();
    if (carriers.isEmpty()) {
      return out;
    }
    Set<String> wanted = new HashSet<>();
    tasks.forEach(t -> wanted.add(t.file().location()));
    for (Carrier carrier : carriers) {
      if (!wanted.contains(carrier.task().file().location())) {
        continue;
      }
      RowLineage.Rows rows = RowLineage.read(io, tableSchema, carrier.task());
      if (rows == null) {
        continue;
      }
      long[] positions = new long[rows.size()];
      int count = 0;
      for (int i = 0; i < positions.length; i++) {
        if (lineage.carried(rows.rowIds()[i], rows.updated()[i]) == carried) {
          positions[count++] = rows.positions()[i];
        }
      }
      out.put(carrier.task().file().location(), Arrays.copyOf(positions, count));
    }
    return out;
  }

  /** The carriers' scan tasks. */
  public List<FileScanTask> carrierTasks() {
    return carriers.stream().map(Carrier::task).toList();
  }

  /** Every task of rows added since, in group order. */
  public List<FileScanTask> deltaTasks() {
    return deltaGroups.stream().flatMap(List::stream).toList();
  }
}
