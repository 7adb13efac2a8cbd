package io.lakeann.spark;

import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.Hit;
import java.util.List;

/**
 * What an ANN join searches, planned on the driver and broadcast once: the pieces of one index
 * ({@link Work}) and how an executor searches a query block in each. {@link JoinPlan} is an
 * Iceberg snapshot (shards with masks, and rows added since searched exactly);
 * {@link PathJoinPlan} a bundle written to a path (its shards, nothing else). Immutable.
 */
interface JoinTarget extends java.io.Serializable {
  /** The index, for messages and the job description (e.g. "lake.db.docs.embedding"). */
  String describe();

  /** The dimension of the indexed vectors (0 when unknown: nothing indexed). */
  int dim();

  /** The type of the neighbours' ids. */
  ColumnBinding.IdKind idKind();

  /** The snapshot searched, or null for an index without snapshots. */
  Long snapshot();

  /** The snapshot of the bundle used, or -1 for an index without snapshots. */
  long bundleSnapshot();

  /** The pieces to search, each in its own (block, piece) tasks. */
  List<Work> works();

  /** The witness of the shard a piece searches, or null for a piece that is no shard. */
  Witness witness(Work work);

  /**
   * Runs on an executor: the hits of every query of {@code block} in {@code work}, with the
   * piece's rows; shard loads and cache hits go to {@code stats}.
   */
  Searched search(Work work, QueryBlock block, JoinTaskStats stats);

  /**
   * What one search of a piece found.
   *
   * @param hits per query of the block, its nearest rows in the piece
   * @param allowedRows rows the piece may return (for the join's coverage)
   * @param exactRows of those, rows searched exactly (all of a delta group or of a damaged
   *     shard; of a shard, rows revived or written by rewrites that it does not hold)
   * @param maskedRows rows of the piece's shard hidden as not in the snapshot
   * @param damage why the piece's shard could not be used, its rows then searched exactly; null
   *     when it was used
   */
  record Searched(List<List<Hit>> hits, long allowedRows, long exactRows, long maskedRows,
      String damage) {}
}
