package io.lakeann.spark;

/**
 * What one ANN join did. Immutable.
 *
 * @param snapshotId the snapshot searched (-1 for a path bundle, which has no snapshots)
 * @param bundleSnapshotId the snapshot of the bundle used (equal, or an ancestor; -1 for a path
 *     bundle)
 * @param shards shards searched
 * @param deltaGroups groups of rows added since the bundle, searched exactly
 * @param queries query rows with a vector
 * @param skippedNullQueries query rows skipped because their vector was null
 * @param queryBlocks blocks the queries were searched in
 * @param tasks (block, piece) searches run
 * @param loads shards loaded into an executor cache by this join (0 when all were cached)
 * @param cacheHits shard searches served from an executor's cache
 * @param viewLoads shard states at the snapshot (masks, filter, revived rows) computed by this
 *     join; a state is kept in the executor's cache beside its shard, under the same budget
 * @param viewHits shard searches whose state was found in an executor's cache
 * @param deltaLoads groups of rows added since the bundle read by this join
 * @param deltaHits searches of such a group found in an executor's cache
 * @param indexedRows rows searched through the indexes
 * @param deltaRows rows searched exactly: added since the bundle, or of a damaged shard
 * @param maskedRows rows of the indexes hidden as not in the snapshot
 * @param damagedShards shards that could not be loaded (damaged or unreadable bytes), whose
 *     live rows were searched exactly instead; each is logged as a warning naming the damage
 * @param repeatedIds results left out because a nearer result of the same query had the same id
 *     (two rows of the table share it; Iceberg does not enforce unique ids): a neighbour is never
 *     returned twice, and a warning says so
 * @param seconds wall time of the search
 */
public record JoinStats(long snapshotId, long bundleSnapshotId, int shards, int deltaGroups,
    long queries, long skippedNullQueries, int queryBlocks, long tasks, long loads,
    long cacheHits, long viewLoads, long viewHits, long deltaLoads, long deltaHits,
    long indexedRows, long deltaRows, long maskedRows, int damagedShards, long repeatedIds,
    double seconds) {}
