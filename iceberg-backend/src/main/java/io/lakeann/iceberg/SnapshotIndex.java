package io.lakeann.iceberg;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;

/**
 * The index of one snapshot: the registered bundle of that snapshot or of its nearest ancestor,
 * each shard opened as a {@link ShardView} (every row the snapshot no longer holds masked out)
 * and every row added since searched exactly ({@link ExactRows}). A search therefore returns
 * what an index built on the snapshot would return (never a deleted row; every added row can be
 * found). Holds leases on its shards until closed; searches are thread-safe.
 */
public final class SnapshotIndex implements AutoCloseable {
  private final ColumnBinding binding;
  private final Metric metric;
  private final int dim;
  private final List<ShardView> shards;
  private final ExactRows delta;
  private final Coverage coverage;

  private SnapshotIndex(ColumnBinding binding, Metric metric, int dim, List<ShardView> shards,
      ExactRows delta, Coverage coverage) {
    this.binding = binding;
    this.metric = metric;
    this.dim = dim;
    this.shards = shards;
    this.delta = delta;
    this.coverage = coverage;
  }

  /**
   * The share of a snapshot's searched rows that may be searched exactly (added since the bundle,
   * or in files a rewrite replaced) before a refresh is due, however few rows that is.
   */
  public static final double MAX_EXACT_SHARE = 0.1;

  /**
   * Opens the snapshot {@code plan} planned ({@link JoinPlanner#plan}) in this JVM: every
   * planned shard as a view, and every row added since read for exact search.
   *
   * @param maxDeltaRows rows added or masked since the bundle above which a refresh is due (as
   *     it is when more than {@link #MAX_EXACT_SHARE} of the rows are searched exactly)
   */
  public static SnapshotIndex open(Table table, SnapshotPlan plan, BundleStore store,
      ShardCache cache, long maxDeltaRows) {
    BundleManifest manifest = plan.manifest();
    ShardReader reader = new ShardReader(table.io(), table.schema(), plan.binding());
    List<ShardView> views = new ArrayList<>();
    try {
      long indexed = 0;
      long masked = 0;
      long newlyMasked = 0;
      List<FileScanTask> deltaTasks = new ArrayList<>();
      // Positions of those files a read leaves out: rows a shard serves where they moved.
      Map<String, long[]> skip = new HashMap<>();
      for (SnapshotPlan.Shard shard : plan.shards()) {
        ShardView view = ShardView.open(reader, cache, store, plan, shard.index(), () -> { });
        views.add(view);
        deltaTasks.addAll(view.reread());
        skip.putAll(view.movedPositions());
        indexed += view.allowedRows();
        masked += view.maskedRows();
        newlyMasked += view.newlyMaskedRows();
      }
      deltaTasks.addAll(plan.deltaTasks());
      skip.putAll(plan.carriedPositions(table.io(), table.schema(), deltaTasks, true));
      ExactRows delta = ExactRows.of(reader.read(deltaTasks, manifest.dim(), skip),
          manifest.config().metric(), plan.allowedRows(table.io(), table.schema(), deltaTasks));
      int dim = manifest.dim() > 0 ? manifest.dim() : delta.dim();
      Coverage coverage = new Coverage(plan.snapshotId(), plan.bundle().snapshotId(),
          views.size(), indexed, delta.size(), masked,
          delta.skippedNulls() + plan.nullsStillLive(),
          delta.size() + newlyMasked > maxDeltaRows
              || delta.size() > MAX_EXACT_SHARE * (indexed + delta.size()));
      return new SnapshotIndex(plan.binding(), manifest.config().metric(), dim, views, delta,
          coverage);
    } catch (RuntimeException e) {
      views.forEach(ShardView::close);
      throw e;
    }
  }

  public Coverage coverage() {
    return coverage;
  }

  public long snapshotId() {
    return coverage.snapshotId();
  }

  public ColumnBinding binding() {
    return binding;
  }

  public Metric metric() {
    return metric;
  }

  /** The vector dimension (0 when the snapshot holds no vector at all). */
  public int dim() {
    return dim;
  }

  /** The nearest rows to {@code query}, nearest first. */
  public List<Hit> search(float[] query, SearchParams params) {
    return searchBatch(new float[][] {query}, params).get(0);
  }

  /**
   * {@link #search} for every query, shard by shard, each result merged per query. Once a query
   * holds k hits, their k-th distance is the bar later shards must beat: a shard stops as soon
   * as nothing unprobed in it can beat the bar, so many shards cost little more than one.
   */
  public List<List<Hit>> searchBatch(float[][] queries, SearchParams params) {
    for (int q = 0; q < queries.length; q++) {
      checkQuery(queries[q], queries.length == 1 ? "query" : "query " + q);
    }
    List<List<Hit>> hits = new ArrayList<>(queries.length);
    float[] bars = new float[queries.length];
    for (int q = 0; q < queries.length; q++) {
      hits.add(new ArrayList<>());
      bars[q] = Float.POSITIVE_INFINITY;
    }
    for (ShardView shard : shards) {
      addAll(hits, shard.searchBatch(queries, params, bars));
      for (int q = 0; q < queries.length; q++) {
        List<Hit> top = Hits.top(hits.get(q), params.k());
        hits.set(q, top);
        // Just above the k-th distance: a tie with a smaller id may still win the merge.
        bars[q] = top.size() < params.k() ? Float.POSITIVE_INFINITY
            : Math.nextUp(top.get(params.k() - 1).distance());
      }
    }
    addAll(hits, delta.searchBatch(queries, params));
    hits.replaceAll(h -> Hits.top(h, params.k()));
    return hits;
  }

  /** Rows whose codes searches of this snapshot's shards scanned so far (their work). */
  public long rowsScanned() {
    long sum = 0;
    for (ShardView shard : shards) {
      sum += shard.rowsScanned();
    }
    return sum;
  }

  private static void addAll(List<List<Hit>> into, List<List<Hit>> found) {
    for (int q = 0; q < into.size(); q++) {
      into.get(q).addAll(found.get(q));
    }
  }

  private void checkQuery(float[] query, String what) {
    if (query == null) {
      throw new InvalidVectorException(String.format(Locale.ROOT,
          "%s against %s is null; give a %d-dimensional vector", what, binding.describe(), dim));
    }
    if (dim > 0 && query.length != dim) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s has %d dimensions but %s holds %d-dimensional vectors; query with vectors of the "
              + "indexed column's length", what, query.length, binding.describe(), dim));
    }
    VectorChecks.requireFinite(query, 0, query.length, what + " against " + binding.describe());
  }

  /** Releases the shards' leases. */
  @Override
  public void close() {
    shards.forEach(ShardView::close);
  }
}
