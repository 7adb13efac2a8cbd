package io.lakeann.spark;

import io.lakeann.iceberg.ShardCache;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.util.AccumulatorV2;

/**
 * What the tasks of one ANN join report, typed, merged on the driver: per query partition its
 * query rows with and without a vector, per piece of the index where it was searched and how
 * many rows it could return, and the cache events as they happened (loads and hits of shards, of
 * shards' states at the snapshot, of exact rows added since). A
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
   * Piece {@code work} searched on executor {@code location}: the rows it may return, how many
   * of them it searched exactly, the rows of its shard masked as not in the snapshot, and why
   * its shard could not be used (its rows then searched exactly), or null.
   */
  record Piece(Work work, String location, long allowedRows, long exactRows, long maskedRows,
      String damage) implements Report {}

  /** What a search takes from an executor's cache; its label is the cache group's kind. */
  enum Kind {
    /** A loaded shard. */
    SHARD(ShardCache.KIND),
    /** A shard's state at the plan's snapshot: its masks, its filter, the rows it revived. */
    VIEW("view"),
    /** A group of rows added since the bundle, read for exact search. */
    DELTA("delta"),
    /** The rows of a shard that could not be loaded (damaged, unreadable), read for exact search. */
    EXACT_SHARD("exact-shard");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** A search that had to load a value of {@code kind}, or found it in the cache. */
  record CacheEvent(Kind kind, boolean loaded) implements Report {}

  /**
   * The merged reports: query rows with a vector and skipped as null, every piece's report by
   * piece, and the cache's loads and hits of each kind.
   */
  record Totals(long queries, long nullQueries, Map<Work, Piece> pieces, Map<Kind, Long> loads,
      Map<Kind, Long> hits) implements Serializable {
    /** The report of piece {@code work}, or null when no task searched it (no query blocks). */
    Piece piece(Work work) {
      return pieces.get(work);
    }

    long loads(Kind kind) {
      return loads.getOrDefault(kind, 0L);
    }

    long hits(Kind kind) {
      return hits.getOrDefault(kind, 0L);
    }
  }

  private Map<Integer, QueryPartition> partitions = new HashMap<>();
  private Map<Work, Piece> pieces = new HashMap<>();
  private Map<Kind, Long> loads = new EnumMap<>(Kind.class);
  private Map<Kind, Long> hits = new EnumMap<>(Kind.class);

  @Override
  public boolean isZero() {
    return partitions.isEmpty() && pieces.isEmpty() && loads.isEmpty() && hits.isEmpty();
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
    loads = new EnumMap<>(Kind.class);
    hits = new EnumMap<>(Kind.class);
  }

  @Override
  public void add(Report report) {
    if (report instanceof QueryPartition p) {
      partitions.put(p.partition(), p);
    } else if (report instanceof Piece p) {
      pieces.put(p.work(), p);
    } else if (report instanceof CacheEvent e) {
      (e.loaded() ? loads : hits).merge(e.kind(), 1L, Long::sum);
    }
  }

  @Override
  public void merge(AccumulatorV2<Report, Totals> other) {
    JoinTaskStats o = (JoinTaskStats) other;
    partitions.putAll(o.partitions);
    pieces.putAll(o.pieces);
    o.loads.forEach((kind, n) -> loads.merge(kind, n, Long::sum));
    o.hits.forEach((kind, n) -> hits.merge(kind, n, Long::sum));
  }

  @Override
  public Totals value() {
    long queries = 0;
    long nulls = 0;
    for (QueryPartition p : partitions.values()) {
      queries += p.queries();
      nulls += p.nullQueries();
    }
    return new Totals(queries, nulls, Map.copyOf(pieces), Map.copyOf(loads), Map.copyOf(hits));
  }

  /**
   * Acquires a value of {@code kind} through {@code acquire}, which is given the callback to run
   * when it has to load the value: a load is counted then, a hit otherwise.
   */
  <T> T acquire(Kind kind, Function<Runnable, T> acquire) {
    boolean[] loaded = {false};
    T value = acquire.apply(() -> {
      loaded[0] = true;
      add(new CacheEvent(kind, true));
    });
    if (!loaded[0]) {
      add(new CacheEvent(kind, false));
    }
    return value;
  }
}
