package io.lakeann.spark;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.cache.CacheGroup;
import io.lakeann.core.cache.CacheLoadException;
import io.lakeann.core.cache.Lease;
import io.lakeann.core.cache.Loaded;
import io.lakeann.core.cache.Loader;
import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ExactRows;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.Hits;
import io.lakeann.iceberg.ManifestMismatchException;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardReader;
import io.lakeann.iceberg.ShardView;
import io.lakeann.iceberg.SnapshotPlan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.FileScanTask;

/**
 * The executor side of a join: searches one query block against one piece of the index. Every
 * value it needs lives in the JVM's one cache, under its one byte budget
 * ({@code lakeann.cache.bytes}), and is counted there per table: the shard itself (kind {@code
 * shard}, keyed by its witness), the shard's state at the plan's snapshot (kind {@code view}:
 * its masks, its filter, the rows a removed delete file revived) and the rows added since the
 * bundle (kind {@code delta}), both keyed by the plan and the piece. So later blocks and later
 * joins on the same snapshot reuse them, and any of them may be evicted between two searches. A
 * search holds its leases only while it runs: nothing stays pinned beyond a running task. A
 * shard whose bytes are damaged or unreadable is replaced by an exact search of its live rows
 * (kind {@code exact-shard}), reported with the damage, so the join's answer stays right.
 * Thread-safe.
 */
final class ExecutorSearch {
  /**
   * Shards of registered bundles this JVM found damaged (by statistics file and index; a repair
   * registers a new file), so later searches go straight to their rows. Bounded: emptied when
   * full, which only costs another refused load.
   */
  private static final Map<String, String> REFUSED = new ConcurrentHashMap<>();
  private static final int MAX_REFUSED = 4096;

  private ExecutorSearch() {}

  /**
   * A shard's state at a snapshot, and the rows of its files it must search exactly because the
   * snapshot revived them (a delete file was removed).
   */
  private record Opened(ShardView.State state, ExactRows revived) {
    List<List<Hit>> searchBatch(ShardView view, float[][] queries, SearchParams params) {
      List<List<Hit>> hits = view.searchBatch(queries, params, null);
      if (revived.size() == 0) {
        return hits;
      }
      List<List<Hit>> extra = revived.searchBatch(queries, params);
      for (int q = 0; q < queries.length; q++) {
        List<Hit> merged = new ArrayList<>(hits.get(q));
        merged.addAll(extra.get(q));
        hits.set(q, Hits.top(merged, params.k()));
      }
      return hits;
    }

    long allowedRows() {
      return state.allowed().allowedCount() + revived.size();
    }

    long bytes() {
      return state.bytes() + revived.bytes();
    }
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

  /**
   * The hits of every query of {@code block} in {@code work}, with the piece's rows. A shard that
   * cannot be loaded (its bytes damaged or unreadable) never fails the search: its live rows at
   * the snapshot are read from the table and searched exactly, and the damage is reported.
   */
  static JoinTarget.Searched search(JoinPlan plan, Work work, QueryBlock block,
      JoinTaskStats stats) {
    SnapshotPlan snapshot = plan.plan();
    if (work.delta()) {
      return searchExactly(plan, JoinTaskStats.Kind.DELTA, work.index(),
          snapshot.deltaGroups().get(work.index()), true, block, stats, null);
    }
    int shard = work.index();
    Loading loading = loadShard(plan, shard, stats);
    if (loading.lease() == null) {
      // The shard's rows a rewrite moved are only known to the shard: its successors are
      // searched too and, if it lost files, every row the carriers hold of the bundle (rows
      // of other shards among them come twice).
      List<FileScanTask> tasks = new ArrayList<>(snapshot.liveFiles(shard).values());
      tasks.addAll(snapshot.shard(shard).successors());
      if (snapshot.liveFiles(shard).size()
          < snapshot.manifest().shards().get(shard).files().size()) {
        tasks.addAll(snapshot.carrierTasks());
      }
      return searchExactly(plan, JoinTaskStats.Kind.EXACT_SHARD, shard, tasks, false, block,
          stats, loading.damage());
    }
    Lease<Object> shardLease = loading.lease();
    try (shardLease; Lease<Object> stateLease = cached(plan, JoinTaskStats.Kind.VIEW, shard,
        stats, () -> {
          Opened opened = open(plan, shardLease, shard);
          return new Loaded<>(opened, opened.bytes());
        })) {
      Opened opened = (Opened) stateLease.value();
      ShardView view = ShardView.of(shardLease, snapshot.bundle(), opened.state());
      return new JoinTarget.Searched(opened.searchBatch(view, block.vectors(), plan.params()),
          opened.allowedRows(), opened.revived().size(), view.maskedRows(), null);
    }
  }

  /** A lease on a loaded shard, or (lease null) why it could not be loaded. */
  private record Loading(Lease<Object> lease, String damage) {}

  /**
   * Loads shard {@code shard} of the plan's bundle into the JVM's cache, unless this JVM found
   * it damaged before; a shard refused as damaged is remembered, one that could not be read is
   * tried again next time.
   */
  private static Loading loadShard(JoinPlan plan, int shard, JoinTaskStats stats) {
    SnapshotPlan snapshot = plan.plan();
    String refused = REFUSED.get(refusalKey(snapshot, shard));
    if (refused != null) {
      return new Loading(null, refused);
    }
    BundleStore store = new BundleStore(plan.table(), BundleStore.DEFAULT_PART_BYTES);
    try {
      return new Loading(stats.acquire(JoinTaskStats.Kind.SHARD,
          onLoad -> ShardCache.global().acquire(store, snapshot.bundle(), shard, onLoad)), null);
    } catch (ManifestMismatchException e) {
      if (REFUSED.size() >= MAX_REFUSED) {
        REFUSED.clear();
      }
      REFUSED.put(refusalKey(snapshot, shard), e.getMessage());
      return new Loading(null, e.getMessage());
    } catch (CacheLoadException e) {
      return new Loading(null, unreadable(snapshot, shard, e));
    }
  }

  private static String refusalKey(SnapshotPlan snapshot, int shard) {
    return snapshot.bundle().statisticsPath() + "#" + shard;
  }

  /** Why shard {@code shard} could not be read, from the load's failure and its causes. */
  private static String unreadable(SnapshotPlan snapshot, int shard, CacheLoadException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.format(Locale.ROOT, "shard %d of the lakeann bundle in %s could not be read "
        + "(%s)", shard, snapshot.bundle().statisticsPath(), root);
  }

  /**
   * Searches the rows of {@code tasks} exactly, kept in the cache as the value of {@code kind}
   * for piece {@code index}; {@code damage} is reported with them.
   *
   * @param skipCarried whether to leave out the carriers' rows of the bundle (which their
   *     shards serve) or to take only those
   */
  private static JoinTarget.Searched searchExactly(JoinPlan plan, JoinTaskStats.Kind kind,
      int index, List<FileScanTask> tasks, boolean skipCarried, QueryBlock block,
      JoinTaskStats stats, String damage) {
    try (Lease<Object> lease = cached(plan, kind, index, stats, () -> {
      ExactRows rows = exactRows(plan, tasks, skipCarried);
      return new Loaded<>(rows, rows.bytes());
    })) {
      ExactRows rows = (ExactRows) lease.value();
      return new JoinTarget.Searched(rows.searchBatch(block.vectors(), plan.params()),
          rows.size(), rows.size(), 0, damage);
    }
  }

  /** Shard {@code shard}, which {@code lease} holds loaded, brought up to the plan's snapshot. */
  private static Opened open(JoinPlan plan, Lease<Object> lease, int shard) {
    SnapshotPlan snapshot = plan.plan();
    // The filter's rows of this shard are found here: they never travel through the driver.
    ShardView.State state = ShardView.state(reader(plan), lease, snapshot, shard);
    return new Opened(state, exactRows(plan, state.masks().reread(),
        state.masks().moved().positionsByFile()));
  }

  /**
   * The rows of {@code tasks} for exact search, within the plan's filter, leaving out the
   * carriers' rows of the bundle ({@code skipCarried}) or taking only those.
   */
  private static ExactRows exactRows(JoinPlan plan, List<FileScanTask> tasks,
      boolean skipCarried) {
    return exactRows(plan, tasks, plan.plan().carriedPositions(plan.table().io(),
        plan.table().schema(), tasks, skipCarried));
  }

  /**
   * The rows of {@code tasks} for exact search, within the plan's filter, leaving out the
   * positions {@code skip} names for a file.
   */
  private static ExactRows exactRows(JoinPlan plan, List<FileScanTask> tasks,
      Map<String, long[]> skip) {
    SnapshotPlan snapshot = plan.plan();
    return ExactRows.of(reader(plan).read(tasks, plan.dim(), skip),
        snapshot.manifest().config().metric(),
        snapshot.allowedRows(plan.table().io(), plan.table().schema(), tasks));
  }

  /**
   * A lease on the value of {@code kind} for piece {@code index} of {@code plan} in the JVM's
   * cache, loaded by {@code loader} unless cached, counted to the plan's table.
   */
  private static Lease<Object> cached(JoinPlan plan, JoinTaskStats.Kind kind, int index,
      JoinTaskStats stats, Loader<Object> loader) {
    Witness witness = new Framing(DomainTags.SPARK_JOIN_PIECE)
        .bytes(plan.key().getBytes(StandardCharsets.UTF_8)).u8(kind.ordinal()).u32(index)
        .finish();
    CacheGroup group = new CacheGroup(plan.table().name(), kind.label());
    String source = plan.key() + "/" + kind.label() + "/" + index;
    return stats.acquire(kind, onLoad -> ShardCache.global().acquireValue(witness, group, source,
        () -> {
          onLoad.run();
          return loader.load();
        }));
  }

  private static ShardReader reader(JoinPlan plan) {
    return new ShardReader(plan.table().io(), plan.table().schema(), plan.plan().binding());
  }
}
