package io.lakeann.iceberg;

import java.util.List;

/**
 * Searches one indexed column under a {@link Consistency}: FRESH looks at the table's current
 * snapshot on every call, EVENTUAL at most once per ttl, FROZEN pins the snapshot resolved when
 * the searcher was made. The snapshot index is reopened only when the snapshot changes (loads
 * are shared through the shard cache). Thread-safe.
 */
public final class Searcher implements AutoCloseable {
  private final LakeAnnTable table;
  private final Consistency consistency;
  private final SnapshotRef pinned;
  private SnapshotIndex current;
  private long checkedAtNanos;

  /** Results of one search with the coverage of the snapshot searched. */
  public record Result(List<Hit> hits, Coverage coverage) {}

  /** Results of a batch search with the coverage of the snapshot searched. */
  public record BatchResult(List<List<Hit>> hits, Coverage coverage) {}

  Searcher(LakeAnnTable table, Consistency consistency) {
    this.table = table;
    this.consistency = consistency;
    if (consistency.mode() == Consistency.Mode.FROZEN) {
      table.table().refresh();
      org.apache.iceberg.Snapshot s = consistency.ref().resolve(table.table());
      if (s == null) {
        throw new NoIndexException("Table " + table.table().name() + " has no snapshot yet, "
            + "so nothing to freeze on; append rows and build");
      }
      this.pinned = SnapshotRef.id(s.snapshotId());
    } else {
      this.pinned = SnapshotRef.current();
    }
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

  /** The snapshot index searched now, reopened if the consistency mode calls for it. */
  public synchronized SnapshotIndex index() {
    long now = System.nanoTime();
    boolean check = current == null
        || consistency.mode() == Consistency.Mode.FRESH
        || (consistency.mode() == Consistency.Mode.EVENTUAL
            && now - checkedAtNanos >= consistency.ttl().toNanos());
    if (!check) {
      return current;
    }
    checkedAtNanos = now;
    if (current != null && consistency.mode() != Consistency.Mode.FROZEN) {
      table.table().refresh();
      org.apache.iceberg.Snapshot s = table.table().currentSnapshot();
      if (s != null && s.snapshotId() == current.snapshotId()) {
        return current;
      }
    }
    SnapshotIndex next = table.open(pinned);
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
