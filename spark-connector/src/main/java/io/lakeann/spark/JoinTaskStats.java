package io.lakeann.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.util.AccumulatorV2;

/**
 * What the tasks of one ANN join report, typed, merged on the driver: per query partition its
 * query rows with and without a vector, per piece of the index where it was searched and how
 * many rows it could return, and the shard cache events as they happened (loads, hits). A
 * partition or piece computed twice (a lost block, a retried task) reports the same values under
 * the same key, so it is counted once; cache events are counted as they occur. Not thread-safe
 * (Spark gives every task its own copy).
 */
final class JoinTaskStats extends AccumulatorV2<JoinTaskStats.Report, JoinTaskStats.Totals> {
  /** One report of a task. */
  sealed interface Report extends Serializable permits QueryPartition, Piece, CacheEvent {}

  /** The query rows of partition {@code partition}: with a vector, and skipped as null. */
  record QueryPartition(int partition, long queries, long nullQueries) implements Report {}

  /**
   * Piece {@code work} searched on executor {@code location}: the rows it may return and the
   * rows of its shard masked as not in the snapshot.
   */
  record Piece(Work work, String location, long allowedRows, long maskedRows)
      implements Report {}

  /** A shard search that had to load its shard, or found it loaded (in the view or the cache). */
  enum CacheEvent implements Report { LOAD, HIT }

  /**
   * The merged reports: query rows with a vector and skipped as null, every piece's report by
   * piece, and the shard loads and cache hits.
   */
  record Totals(long queries, long nullQueries, Map<Work, Piece> pieces, long loads, long hits)
      implements Serializable {
    /** The report of piece {@code work}, or null when no task searched it (no query blocks). */
    Piece piece(Work work) {
      return pieces.get(work);
    }
  }

  private Map<Integer, QueryPartition> partitions = new HashMap<>();
  private Map<Work, Piece> pieces = new HashMap<>();
  private long loads;
  private long hits;

  @Override
  public boolean isZero() {
    return partitions.isEmpty() && pieces.isEmpty() && loads == 0 && hits == 0;
  }

  @Override
  public JoinTaskStats copy() {
    JoinTaskStats copy = new JoinTaskStats();
    copy.merge(this);
    return copy;
  }

  @Override
  public void reset() {
    partitions = new HashMap<>();
    pieces = new HashMap<>();
    loads = 0;
    hits = 0;
  }

  @Override
  public void add(Report report) {
    if (report instanceof QueryPartition p) {
      partitions.put(p.partition(), p);
    } else if (report instanceof Piece p) {
      pieces.put(p.work(), p);
    } else if (report == CacheEvent.LOAD) {
      loads++;
    } else {
      hits++;
    }
  }

  @Override
  public void merge(AccumulatorV2<Report, Totals> other) {
    JoinTaskStats o = (JoinTaskStats) other;
    partitions.putAll(o.partitions);
    pieces.putAll(o.pieces);
    loads += o.loads;
    hits += o.hits;
  }

  @Override
  public Totals value() {
    long queries = 0;
    long nulls = 0;
    for (QueryPartition p : partitions.values()) {
      queries += p.queries();
      nulls += p.nullQueries();
    }
    return new Totals(queries, nulls, Map.copyOf(pieces), loads, hits);
  }

  /**
   * Acquires a shard through {@code acquire}, which is given the callback to run when it has to
   * load the shard: a load is counted then, a hit otherwise.
   */
  <T> T acquire(Function<Runnable, T> acquire) {
    boolean[] loaded = {false};
    T value = acquire.apply(() -> {
      loaded[0] = true;
      add(CacheEvent.LOAD);
    });
    if (!loaded[0]) {
      add(CacheEvent.HIT);
    }
    return value;
  }
}
