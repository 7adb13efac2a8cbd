package io.lakeann.iceberg;

import io.lakeann.core.witness.Witness;
import java.util.List;

/**
 * One shard as a bundle manifest records it. A shard whose files hold no live vectors has no
 * rbpx ({@code witness} null, zero rows) but still covers its files, so they are not searched
 * again as new rows. Every file listed is live in the bundle's snapshot. Immutable.
 *
 * @param witness the shard's rbpx witness, or null for an empty shard
 * @param rows rows in the shard's index (masked ones included)
 * @param maskedRows rows of the index masked out by its deletion mask
 * @param skippedNulls rows of its files skipped because their vector was null
 * @param builtSnapshotId the snapshot whose rows it was built from
 * @param bytes the length of its rbpx
 * @param files its data files, in shard order, with the deletes its rows reflect
 * @param rowLineage whether its rbpx records its rows' row lineage (section 1027), so that a
 *     search finds its rows where rewrites moved them by lineage ({@link RowLineage})
 */
public record ShardEntry(Witness witness, long rows, long maskedRows, long skippedNulls,
    long builtSnapshotId, long bytes, List<DataFileRef> files, boolean rowLineage)
    implements java.io.Serializable {

  public ShardEntry {
    files = List.copyOf(files);
  }

  /** A shard whose rbpx records no row lineage. */
  public ShardEntry(Witness witness, long rows, long maskedRows, long skippedNulls,
      long builtSnapshotId, long bytes, List<DataFileRef> files) {
    this(witness, rows, maskedRows, skippedNulls, builtSnapshotId, bytes, files, false);
  }

  public boolean isEmpty() {
    return witness == null;
  }

  /** Rows a search of this shard can return. */
  public long liveRows() {
    return rows - maskedRows;
  }
}
