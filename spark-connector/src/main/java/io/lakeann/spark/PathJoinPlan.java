package io.lakeann.spark;

import io.lakeann.core.cache.Lease;
import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardView;
import io.lakeann.spark.source.BundleFiles;
import io.lakeann.spark.source.PathBundle;
import java.util.ArrayList;
import java.util.List;

/**
 * A join against a bundle written to a path by the {@code lakeann} data source: its pieces are
 * the shards its manifest lists, each searched whole (a path bundle has no snapshots, so nothing
 * is masked and no rows were added since). Executors load a shard by its witness into the JVM's
 * shard cache, once. Immutable.
 *
 * @param files the bundle's files
 * @param bundle its manifest, read on the driver
 * @param params how to search
 */
record PathJoinPlan(BundleFiles files, PathBundle bundle, SearchParams params)
    implements JoinTarget {

  @Override
  public String describe() {
    return files.describe(bundle.vectorColumn());
  }

  @Override
  public int dim() {
    return bundle.dim();
  }

  @Override
  public ColumnBinding.IdKind idKind() {
    return bundle.idKind();
  }

  @Override
  public Long snapshot() {
    return null;
  }

  @Override
  public long bundleSnapshot() {
    return -1;
  }

  @Override
  public List<Work> works() {
    List<Work> works = new ArrayList<>();
    for (int s = 0; s < bundle.shards().size(); s++) {
      if (!bundle.shards().get(s).isEmpty()) {
        works.add(new Work(false, s));
      }
    }
    return works;
  }

  @Override
  public Witness witness(Work work) {
    return bundle.shards().get(work.index()).witness();
  }

  @Override
  public Searched search(Work work, QueryBlock block, JoinTaskStats stats) {
    try (Lease<Object> lease = stats.acquire(JoinTaskStats.Kind.SHARD,
        onLoad -> files.acquire(bundle, work.index(), onLoad))) {
      ShardCache.LoadedShard shard = (ShardCache.LoadedShard) lease.value();
      List<List<Hit>> hits = ShardView.searchBatch(shard.file().index(), null, bundle.idKind(),
          shard.sections().stringIds(), block.vectors(), params, null, null);
      return new Searched(hits, bundle.shards().get(work.index()).rows(), 0, 0, null);
    }
  }
}
