package io.lakeann.spark;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.iceberg.AllowedRows;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ExactRows;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardReader;
import io.lakeann.iceberg.ShardView;
import io.lakeann.iceberg.SnapshotPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.FileScanTask;

/**
 * The executor side of a join: searches one query block against one piece of the index. Shards
 * come from the JVM's {@link ShardCache} (keyed by witness, loaded once); a shard brought up to a
 * snapshot (its masks, its filter) and the exact rows added since are kept in small LRU maps
 * keyed by the plan, so later blocks and later joins on the same snapshot reuse them and load
 * nothing. Thread-safe.
 */
final class ExecutorSearch {
  /** Opened shard views kept per executor; an evicted view releases its shard. */
  static final int MAX_VIEWS = 256;
  static final int MAX_DELTAS = 32;

  private static final Map<String, Opened> VIEWS = lru(MAX_VIEWS);
  private static final Map<String, ExactRows> DELTAS = lru(MAX_DELTAS);

  private ExecutorSearch() {}

  /**
   * A shard brought up to a snapshot, and the rows of its files it must search exactly because
   * the snapshot revived them (a delete file was removed).
   */
  private record Opened(ShardView view, ExactRows revived) {
    List<List<Hit>> searchBatch(float[][] queries, io.lakeann.iceberg.SearchParams params) {
      List<List<Hit>> hits = view.searchBatch(queries, params, null);
      if (revived.size() == 0) {
        return hits;
      }
      List<List<Hit>> extra = revived.searchBatch(queries, params);
      for (int q = 0; q < queries.length; q++) {
        List<Hit> merged = new java.util.ArrayList<>(hits.get(q));
        merged.addAll(extra.get(q));
        hits.set(q, io.lakeann.iceberg.Hits.top(merged, params.k()));
      }
      return hits;
    }

    long allowedRows() {
      return view.allowedRows() + revived.size();
    }
  }

  private static <V> Map<String, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        if (size() > max) {
          if (eldest.getValue() instanceof Opened opened) {
            opened.view().close();
          }
          return true;
        }
        return false;
      }
    };
  }

  /**
   * Fails unless every query of {@code block} has the dimension of {@code target}'s vectors
   * (any dimension when nothing is indexed).
   */
  static void checkDimensions(JoinTarget target, QueryBlock block) {
    for (float[] v : block.vectors()) {
      if (target.dim() > 0 && v.length != target.dim()) {
        throw new DimensionMismatchException(String.format(Locale.ROOT,
            "A query vector has %d dimensions but %s holds %d-dimensional vectors; give query "
                + "vectors of the indexed column's length", v.length, target.describe(),
            target.dim()));
      }
    }
  }

  /** The hits of every query of {@code block} in {@code work}, with the piece's rows. */
  static JoinTarget.Searched search(JoinPlan plan, Work work, QueryBlock block,
      JoinTaskStats stats) {
    if (work.delta()) {
      ExactRows rows = delta(plan, work.index());
      return new JoinTarget.Searched(rows.searchBatch(block.vectors(), plan.params()),
          rows.size(), 0);
    }
    Opened opened = view(plan, work.index(), stats);
    return new JoinTarget.Searched(opened.searchBatch(block.vectors(), plan.params()),
        opened.allowedRows(), opened.view().maskedRows());
  }

  private static Opened view(JoinPlan plan, int shard, JoinTaskStats stats) {
    String key = plan.key() + "/shard/" + shard;
    synchronized (VIEWS) {
      Opened opened = VIEWS.get(key);
      if (opened != null) {
        stats.add(JoinTaskStats.CacheEvent.HIT);
        return opened;
      }
    }
    SnapshotPlan snapshot = plan.plan();
    ShardReader reader = reader(plan);
    // The filter's rows of this shard, found here: they never travel through the driver.
    AllowedRows allowed = snapshot.allowedRows(plan.table().io(), plan.table().schema(),
        snapshot.liveFiles(shard).values());
    ShardView view = stats.acquire(onLoad -> ShardView.open(reader, ShardCache.global(),
        new BundleStore(plan.table(), BundleStore.DEFAULT_PART_BYTES), snapshot.bundle(), shard,
        snapshot.liveFiles(shard), allowed, onLoad));
    Opened opened;
    try {
      opened = new Opened(view, ExactRows.of(reader.read(view.reread(), plan.dim()),
          snapshot.manifest().config().metric(), allowed));
    } catch (RuntimeException e) {
      view.close();
      throw e;
    }
    synchronized (VIEWS) {
      Opened raced = VIEWS.putIfAbsent(key, opened);
      if (raced != null) {
        view.close();
        return raced;
      }
      return opened;
    }
  }

  private static ExactRows delta(JoinPlan plan, int group) {
    String key = plan.key() + "/delta/" + group;
    synchronized (DELTAS) {
      ExactRows rows = DELTAS.get(key);
      if (rows != null) {
        return rows;
      }
    }
    SnapshotPlan snapshot = plan.plan();
    List<FileScanTask> tasks = snapshot.deltaGroups().get(group);
    ExactRows read = ExactRows.of(reader(plan).read(tasks, plan.dim()),
        snapshot.manifest().config().metric(),
        snapshot.allowedRows(plan.table().io(), plan.table().schema(), tasks));
    synchronized (DELTAS) {
      DELTAS.putIfAbsent(key, read);
      return DELTAS.get(key);
    }
  }

  private static ShardReader reader(JoinPlan plan) {
    return new ShardReader(plan.table().io(), plan.table().schema(), plan.plan().binding());
  }
}
