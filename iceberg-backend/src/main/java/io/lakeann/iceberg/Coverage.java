package io.lakeann.iceberg;

/**
 * What a lookup searched: which snapshot, which bundle, and where each row came from. Every row
 * of the snapshot with a vector is counted exactly once, in {@code indexedRows} or in
 * {@code deltaRows}. Immutable.
 *
 * @param snapshotId the snapshot searched
 * @param bundleSnapshotId the snapshot the bundle was registered for (equal, or an ancestor)
 * @param shards shards searched
 * @param indexedRows rows searched through the bundle's indexes
 * @param deltaRows rows added since the bundle, searched exactly
 * @param maskedRows rows of the indexes masked out as not in the snapshot
 * @param skippedNullVectors rows of the snapshot skipped because their vector is null
 * @param refreshDue whether the delta passed the configured limit: refresh the index
 */
public record Coverage(long snapshotId, long bundleSnapshotId, int shards, long indexedRows,
    long deltaRows, long maskedRows, long skippedNullVectors, boolean refreshDue) {}
