package io.lakeann.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What one {@link AnnJoin#run} returned: the neighbours (the query columns with
 * {@code neighbor_id}, {@code distance}, {@code rank} and {@code snapshot_id}) and what the join
 * did. The rows are computed once and kept cached (the numbered queries and the neighbours) so
 * that reading them again does not search again; {@link #unpersist} releases them once they
 * were written or collected, after which they are recomputed if used again. Immutable but for
 * that release.
 */
public final class JoinResult {
  private final Dataset<Row> rows;
  private final JoinStats stats;
  private final List<Dataset<Row>> cached;

  JoinResult(Dataset<Row> rows, JoinStats stats, List<Dataset<Row>> cached) {
    this.rows = rows;
    this.stats = stats;
    this.cached = List.copyOf(cached);
  }

  /** The neighbours, one row per (query, neighbour), nearest first per query. */
  public Dataset<Row> rows() {
    return rows;
  }

  /** What the join did: the snapshot, shards, rows, loads and cache hits. */
  public JoinStats stats() {
    return stats;
  }

  /** Releases the cached data behind {@link #rows}; safe to call more than once. */
  public void unpersist() {
    for (Dataset<Row> d : cached) {
      if (!d.sparkSession().sparkContext().isStopped()) {
        d.unpersist(false);
      }
    }
  }
}
