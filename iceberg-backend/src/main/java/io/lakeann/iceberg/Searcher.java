package io.lakeann.iceberg;

import java.util.List;

/**
 * Searches one indexed column under a {@link Consistency}: FRESH looks at the table's current
 * snapshot on every call, EVENTUAL at most once per ttl (a clock the {@link JoinPlanner} keeps
 * per table, shared with joins), FROZEN pins the snapshot resolved when the searcher was made.
 * Each snapshot is planned by the {@link JoinPlanner}, as the Spark join plans it; the snapshot
 * index is reopened only when the snapshot changes (loads are shared through the shard cache).
 * Thread-safe.
 */
public final class Searcher implements AutoCloseable {
  private final LakeAnnTable table;
  private final Consistency consistency;
  /** The snapshot a FROZEN searcher searches, resolved when it was made; else null. */
  private final Long pinned;
  private SnapshotIndex current;

  /** Results of one search with the coverage of the snapshot searched. */
  public record Result(List<Hit> hits, Coverage coverage) {}

  /** Results of a batch search with the coverage of the snapshot searched. */
  public record BatchResult(List<List<Hit>> hits, Coverage coverage) {}

  Searcher(LakeAnnTable table, Consistency consistency) {
    this.table = table;
    this.consistency = consistency;
    this.pinned = consistency.mode() == Consistency.Mode.FROZEN
        ? JoinPlanner.resolve(table.table(), consistency) : null;
  }

  public Consistency consistency() {
    return consistency;
  }

  public Result search(float[] query, SearchParams params) {
    SnapshotIndex index = index();
    return new Result(index.search(query, params), index.coverage());
  }

  public BatchResult searchBatch(float[][] queries, SearchParams params) {
    SnapshotIndex index = index();
    return new BatchResult(index.searchBatch(queries, params), index.coverage());
  }

  /**
   * The snapshot index searched now: the snapshot the {@link JoinPlanner} resolves under this
   * searcher's consistency, reopened only when that snapshot changed.
   */
  public synchronized SnapshotIndex index() {
    long snapshotId = pinned != null ? pinned : JoinPlanner.resolve(table.table(), consistency);
    if (current != null && current.snapshotId() == snapshotId) {
      return current;
    }
    SnapshotIndex next = table.open(snapshotId);
    if (current != null) {
      current.close();
    }
    current = next;
    return current;
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
