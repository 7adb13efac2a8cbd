package io.lakeann.spark;

import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.AllowedRows;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.ShardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.spark.util.LongAccumulator;

/**
 * Everything executors need to search one snapshot, planned on the driver and broadcast once:
 * the table (serializable copy, for its file IO and schema), the bundle serving the snapshot, the
 * live scan tasks of each shard's files (to mask rows deleted since), the groups of rows added
 * since, and the filter. Immutable.
 *
 * @param key identifies the snapshot, bundle and filter, for executor-side caches
 * @param shardFiles per shard of the bundle, the live tasks of its files by location
 * @param deltaGroups the scan tasks of rows added since the bundle, in groups
 * @param filter the rows a filtered join may return, or null
 */
record JoinPlan(String key, Table table, long snapshotId, RegisteredBundle bundle,
    ColumnBinding binding, SearchParams params, List<Map<String, FileScanTask>> shardFiles,
    List<List<FileScanTask>> deltaGroups, AllowedRows filter) implements JoinTarget {

  @Override
  public String describe() {
    return binding.describe();
  }

  @Override
  public int dim() {
    return bundle.manifest().dim();
  }

  @Override
  public ColumnBinding.IdKind idKind() {
    return binding.idKind();
  }

  @Override
  public Long snapshot() {
    return snapshotId;
  }

  @Override
  public long bundleSnapshot() {
    return bundle.snapshotId();
  }

  /** The shards with rows the filter may touch, then the groups of rows added since. */
  @Override
  public List<Work> works() {
    List<Work> works = new ArrayList<>();
    List<ShardEntry> shards = bundle.manifest().shards();
    for (int s = 0; s < shards.size(); s++) {
      if (!shards.get(s).isEmpty()
          && (filter == null || filter.touches(shards.get(s).files()))) {
        works.add(new Work(false, s));
      }
    }
    for (int g = 0; g < deltaGroups.size(); g++) {
      works.add(new Work(true, g));
    }
    return works;
  }

  @Override
  public Witness witness(Work work) {
    return work.delta() ? null : bundle.manifest().shards().get(work.index()).witness();
  }

  @Override
  public List<List<Hit>> search(Work work, QueryBlock block, LongAccumulator loads) {
    return ExecutorSearch.search(this, work, block, loads);
  }

  @Override
  public long allowedRows(Work work, LongAccumulator loads) {
    return ExecutorSearch.allowedRows(this, work, loads);
  }

  @Override
  public long maskedRows(Work work, LongAccumulator loads) {
    return ExecutorSearch.maskedRows(this, work, loads);
  }
}
