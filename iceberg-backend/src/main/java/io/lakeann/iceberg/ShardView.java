package io.lakeann.iceberg;

import io.lakeann.core.RabitqIndex;
import io.lakeann.core.SearchRequest;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.cache.Lease;
import io.lakeann.core.search.RowFilter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.iceberg.FileScanTask;

/**
 * One shard of a bundle brought up to a later snapshot: its cached index, the rows it may return
 * there (its own mask, rows deleted since, and the rows a filter rejects, all hidden), and the
 * files that must be read again as new rows. Holds a lease on the shard until closed; searches
 * are thread-safe.
 */
public final class ShardView implements AutoCloseable {
  private final Lease<Object> lease;
  private final RabitqIndex index;
  private final RowFilter allowed;
  private final String[] stringIds;
  private final ColumnBinding.IdKind idKind;
  private final ShardMasks masks;
  private final LongAdder scanned = new LongAdder();

  private ShardView(Lease<Object> lease, RabitqIndex index, RowFilter allowed, String[] stringIds,
      ColumnBinding.IdKind idKind, ShardMasks masks) {
    this.lease = lease;
    this.index = index;
    this.allowed = allowed;
    this.stringIds = stringIds;
    this.idKind = idKind;
    this.masks = masks;
  }

  /**
   * What a shard is at one snapshot, apart from its index: the rows the snapshot no longer holds
   * and the rows a search may return. It depends only on the shard's content, the snapshot and
   * the filter, so it may be cached apart from the shard. Immutable.
   */
  public record State(ShardMasks masks, RowFilter allowed) {
    /** The bytes it occupies, for a cache's budget. */
    public long bytes() {
      // A moved row: its number, a reference to its file's name and its position.
      return masks.deleted().size() / 8 + allowed.bytes() + 20L * masks.moved().size();
    }
  }

  /**
   * Opens shard {@code shard} of {@code plan}'s bundle at the plan's snapshot, with the plan's
   * filter.
   *
   * @param onLoad run when the shard had to be loaded rather than found in the cache
   */
  public static ShardView open(ShardReader reader, ShardCache cache, BundleStore store,
      SnapshotPlan plan, int shard, Runnable onLoad) {
    Lease<Object> lease = cache.acquire(store, plan.bundle(), shard, onLoad);
    try {
      return of(lease, plan.bundle(), state(reader, lease, plan, shard));
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /**
   * The state of shard {@code shard} of {@code plan}'s bundle, whose loaded index {@code lease}
   * holds, at the plan's snapshot: its masks (rows a rewrite moved into the plan's carriers
   * unmasked) and the rows the plan's filter allows, found where the rows are now.
   */
  public static State state(ShardReader reader, Lease<Object> lease, SnapshotPlan plan,
      int shard) {
    ShardEntry entry = plan.manifest().shards().get(shard);
    ShardCache.LoadedShard loaded = (ShardCache.LoadedShard) lease.value();
    Map<String, FileScanTask> live = plan.liveFiles(shard);
    ShardMasks masks = ShardMasks.compute(reader, entry, loaded.sections(),
        loaded.file().deletedRows(), live, plan.lineage(), plan.carriers(),
        plan.shard(shard).successors());
    int rows = loaded.file().index().size();
    BitSet allowed = (BitSet) masks.deleted().clone();
    allowed.flip(0, rows);
    List<FileScanTask> read = new ArrayList<>(live.values());
    read.addAll(masks.moved().tasks());
    AllowedRows filter = plan.allowedRows(reader.io(), reader.tableSchema(), read);
    if (filter != null) {
      BitSet selected = filter.rowsOf(entry.files().stream().map(DataFileRef::location).toList(),
          loaded.sections().rowsPerFile(), loaded.sections().positions());
      ShardMasks.Moved moved = masks.moved();
      for (int i = 0; i < moved.size(); i++) {
        selected.set(moved.rows()[i], filter.allows(moved.files()[i], moved.positions()[i]));
      }
      allowed.and(selected);
    }
    return new State(masks, RowFilter.of(allowed));
  }

  /**
   * A view of the shard {@code lease} holds, in {@code state}; closing the view closes the
   * lease.
   */
  public static ShardView of(Lease<Object> lease, RegisteredBundle bundle, State state) {
    ShardCache.LoadedShard loaded = (ShardCache.LoadedShard) lease.value();
    return new ShardView(lease, loaded.file().index(), state.allowed(),
        loaded.sections().stringIds(), bundle.manifest().binding().idKind(), state.masks());
  }

  public RabitqIndex index() {
    return index;
  }

  /** Rows a search may return. */
  public int allowedRows() {
    return allowed.allowedCount();
  }

  /** Rows of the index hidden because the snapshot no longer holds them (filter aside). */
  public long maskedRows() {
    return masks.deleted().cardinality();
  }

  /** Rows masked beyond the shard's own deletion mask. */
  public long newlyMaskedRows() {
    return masks.newlyMasked();
  }

  /**
   * Files to search again as new rows: the shard's own whose removed delete file revived rows,
   * and successors with rows it does not recognise (read without {@link #movedPositions}).
   */
  public List<FileScanTask> reread() {
    return masks.reread();
  }

  /** The positions of the rows it serves where a rewrite moved them, by file. */
  public Map<String, long[]> movedPositions() {
    return masks.moved().positionsByFile();
  }

  /**
   * The nearest allowed rows of this shard to each query, with the table's ids.
   *
   * @param bars per query, the distance a row must beat because k rows at least that close were
   *     found elsewhere (+infinity for none), or null for no bars
   */
  public List<List<Hit>> searchBatch(float[][] queries, SearchParams params, float[] bars) {
    return searchBatch(index, allowed, idKind, stringIds, queries, params, bars, scanned);
  }

  /** Rows whose codes this view's searches scanned so far (their work). */
  public long rowsScanned() {
    return scanned.sum();
  }

  /**
   * The nearest rows of {@code index} to each query, with ids as the table holds them: the one
   * place that turns search params into a shard search.
   *
   * @param allowed the rows a search may return, or null for all
   * @param stringIds the shard's string ids by row (string id columns only), else null
   * @param bars per query, the distance a row must beat, or null for none
   * @param scanned counts the rows scanned, or null
   */
  public static List<List<Hit>> searchBatch(RabitqIndex index, RowFilter allowed,
      ColumnBinding.IdKind idKind, String[] stringIds, float[][] queries, SearchParams params,
      float[] bars, LongAdder scanned) {
    List<List<Hit>> out = new java.util.ArrayList<>(queries.length);
    if (allowed != null && allowed.allowedCount() == 0) {
      for (int q = 0; q < queries.length; q++) {
        out.add(List.of());
      }
      return out;
    }
    for (int q = 0; q < queries.length; q++) {
      SearchRequest request = index.search(queries[q]).k(params.k()).filter(allowed);
      if (params.nprobe() > 0) {
        request = request.nprobe(Math.min(params.nprobe(), index.nlist()));
      }
      if (!Double.isNaN(params.recall())) {
        request = request.recall(params.recall());
      }
      if (!Float.isNaN(params.epsilon())) {
        request = request.epsilon(params.epsilon());
      }
      if (bars != null) {
        request = request.bar(bars[q]);
      }
      Neighbors found = request.run();
      if (scanned != null) {
        scanned.add(found.rowsScanned());
      }
      out.add(Hits.of(found, idKind, stringIds));
    }
    return out;
  }

  @Override
  public void close() {
    lease.close();
  }
}
