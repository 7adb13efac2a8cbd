package io.lakeann.iceberg;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.ExactSearch;
import io.lakeann.core.Metric;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.VectorChecks;
import io.lakeann.core.cache.Lease;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The index of one snapshot: the registered bundle of that snapshot or of its nearest ancestor,
 * with every row the snapshot no longer holds masked out and every row added since searched
 * exactly. A search therefore returns what an index built on the snapshot would return (never
 * a deleted row; every added row can be found). Holds leases on its shards until closed;
 * searches are thread-safe.
 */
public final class SnapshotIndex implements AutoCloseable {
  private final ColumnBinding binding;
  private final Metric metric;
  private final int dim;
  private final List<ShardView> shards;
  private final ShardRows delta;
  private final ExactSearch deltaSearch;
  private final Coverage coverage;

  /** A shard opened for search: its index, the rows it may return, its string ids. */
  private record ShardView(Lease<Object> lease, RabitqIndex index, RowFilter allowed,
      String[] stringIds) {}

  private SnapshotIndex(ColumnBinding binding, Metric metric, int dim, List<ShardView> shards,
      ShardRows delta, Coverage coverage) {
    this.binding = binding;
    this.metric = metric;
    this.dim = dim;
    this.shards = shards;
    this.delta = delta;
    this.deltaSearch = delta.size() == 0 ? null : new ExactSearch(delta.toVectorSet(), metric);
    this.coverage = coverage;
  }

  /**
   * Opens snapshot {@code snapshotId} of {@code table} for search.
   *
   * @param maxDeltaRows rows added or masked since the bundle above which a refresh is due
   * @throws NoIndexException if neither the snapshot nor any ancestor has a bundle
   */
  public static SnapshotIndex open(Table table, long snapshotId, ColumnBinding binding,
      BundleStore store, ShardCache cache, long maxDeltaRows) {
    RegisteredBundle bundle = store.findNearest(snapshotId, binding.vectorFieldId())
        .orElseThrow(() -> new NoIndexException(String.format(Locale.ROOT,
            "No lakeann index for %s at snapshot %d nor at any ancestor (none was built, or its "
                + "registration was replaced or expired); build one first",
            binding.describe(), snapshotId)));
    BundleManifest manifest = bundle.manifest();
    ColumnBinding current = binding.renamedIn(table.schema());
    ShardReader reader = new ShardReader(table.io(), table.schema(), current);
    Map<String, FileScanTask> live = liveFiles(table, snapshotId);
    Set<String> covered = new HashSet<>();
    List<FileScanTask> deltaTasks = new ArrayList<>();
    List<ShardView> views = new ArrayList<>();
    long indexed = 0;
    long masked = 0;
    long newlyMasked = 0;
    try {
      for (int s = 0; s < manifest.shards().size(); s++) {
        ShardEntry entry = manifest.shards().get(s);
        entry.files().forEach(f -> covered.add(f.location()));
        if (entry.isEmpty()) {
          for (DataFileRef file : entry.files()) {
            FileScanTask task = live.get(file.location());
            if (task != null && !DataFileRef.of(task).equals(file)) {
              deltaTasks.add(task);
            }
          }
          continue;
        }
        Lease<Object> lease = cache.acquire(store, bundle, s);
        ShardCache.LoadedShard loaded = (ShardCache.LoadedShard) lease.value();
        ShardMasks masks = ShardMasks.compute(reader, entry, loaded.sections(),
            loaded.file().deletedRows(), live);
        deltaTasks.addAll(masks.reread());
        RabitqIndex index = loaded.file().index();
        BitSet allowed = masks.deleted();
        allowed.flip(0, index.size());
        views.add(new ShardView(lease, index, RowFilter.of(allowed),
            loaded.sections().stringIds()));
        indexed += allowed.cardinality();
        masked += index.size() - allowed.cardinality();
        newlyMasked += masks.newlyMasked();
      }
      for (FileScanTask task : live.values()) {
        if (!covered.contains(task.file().location())) {
          deltaTasks.add(task);
        }
      }
      deltaTasks.sort((a, b) -> a.file().location().compareTo(b.file().location()));
      ShardRows delta = reader.read(deltaTasks, manifest.dim());
      int dim = manifest.dim() > 0 ? manifest.dim() : delta.dim();
      boolean refreshDue = delta.size() + newlyMasked > maxDeltaRows;
      Coverage coverage = new Coverage(snapshotId, bundle.snapshotId(), views.size(), indexed,
          delta.size(), masked, delta.skippedNulls() + nullsStillLive(manifest, live),
          refreshDue);
      return new SnapshotIndex(current, manifest.config().metric(), dim, views, delta, coverage);
    } catch (RuntimeException e) {
      views.forEach(v -> v.lease().close());
      throw e;
    }
  }

  /** Null-vector rows counted at build time in files still live (an estimate once deleted). */
  private static long nullsStillLive(BundleManifest manifest, Map<String, FileScanTask> live) {
    long nulls = 0;
    for (ShardEntry entry : manifest.shards()) {
      boolean allLive = entry.files().stream().allMatch(f -> live.containsKey(f.location()));
      if (allLive) {
        nulls += entry.skippedNulls();
      }
    }
    return nulls;
  }

  /** The whole-file scan tasks of a snapshot, by data file location. */
  static Map<String, FileScanTask> liveFiles(Table table, long snapshotId) {
    Map<String, FileScanTask> live = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId)
        .planFiles()) {
      for (FileScanTask task : tasks) {
        live.put(task.file().location(), task);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot plan the files of " + table.name()
          + " snapshot " + snapshotId, e);
    }
    return live;
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
    checkQuery(query, "query");
    List<Hit> hits = new ArrayList<>();
    for (ShardView shard : shards) {
      if (shard.allowed().allowedCount() == 0) {
        continue;
      }
      RabitqIndex index = shard.index();
      Neighbors found = index.search(query).k(params.k()).filter(shard.allowed())
          .nprobe(nprobe(params, index)).epsilon(epsilon(params, index)).run();
      addHits(hits, found, shard.stringIds());
    }
    if (deltaSearch != null) {
      addHits(hits, deltaSearch.search(query, params.k(), null), delta.stringIds());
    }
    return top(hits, params.k());
  }

  /** {@link #search} for every query; each shard is scanned once for the whole batch. */
  public List<List<Hit>> searchBatch(float[][] queries, SearchParams params) {
    List<List<Hit>> hits = new ArrayList<>(queries.length);
    for (int q = 0; q < queries.length; q++) {
      checkQuery(queries[q], "query " + q);
      hits.add(new ArrayList<>());
    }
    for (ShardView shard : shards) {
      if (shard.allowed().allowedCount() == 0 || queries.length == 0) {
        continue;
      }
      RabitqIndex index = shard.index();
      List<Neighbors> found = index.searchBatch(queries).k(params.k()).filter(shard.allowed())
          .nprobe(nprobe(params, index)).epsilon(epsilon(params, index)).run();
      for (int q = 0; q < queries.length; q++) {
        addHits(hits.get(q), found.get(q), shard.stringIds());
      }
    }
    for (int q = 0; q < queries.length; q++) {
      if (deltaSearch != null) {
        addHits(hits.get(q), deltaSearch.search(queries[q], params.k(), null), delta.stringIds());
      }
      hits.set(q, top(hits.get(q), params.k()));
    }
    return hits;
  }

  /** The lists to probe in {@code index}: as asked, capped at its list count, or its default. */
  private static int nprobe(SearchParams params, RabitqIndex index) {
    return params.nprobe() > 0 ? Math.min(params.nprobe(), index.nlist()) : index.defaultNprobe();
  }

  private static float epsilon(SearchParams params, RabitqIndex index) {
    return Float.isNaN(params.epsilon()) ? index.config().epsilon() : params.epsilon();
  }

  private void checkQuery(float[] query, String what) {
    if (query == null) {
      throw new io.lakeann.core.InvalidVectorException(String.format(Locale.ROOT,
          "%s against %s is null; give a %d-dimensional vector", what, binding.describe(), dim));
    }
    if (dim > 0 && query.length != dim) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s has %d dimensions but %s holds %d-dimensional vectors; query with vectors of the "
              + "indexed column's length", what, query.length, binding.describe(), dim));
    }
    VectorChecks.requireFinite(query, 0, query.length, what + " against " + binding.describe());
  }

  private void addHits(List<Hit> out, Neighbors found, String[] stringIds) {
    for (int i = 0; i < found.size(); i++) {
      out.add(new Hit(userId(found.id(i), stringIds), found.distance(i)));
    }
  }

  private Object userId(long id, String[] stringIds) {
    switch (binding.idKind()) {
      case LONG:
        return id;
      case INT:
        return (int) id;
      default:
        return stringIds[(int) id];
    }
  }

  private static List<Hit> top(List<Hit> hits, int k) {
    hits.sort(Hit.ORDER);
    return new ArrayList<>(hits.subList(0, Math.min(k, hits.size())));
  }

  /** Releases the shards' leases; searching afterwards is refused by the cache. */
  @Override
  public void close() {
    for (ShardView shard : shards) {
      shard.lease().close();
    }
  }
}
