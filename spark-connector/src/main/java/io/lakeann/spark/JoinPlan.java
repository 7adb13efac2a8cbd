package io.lakeann.spark;

import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.SnapshotPlan;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;

/**
 * An Iceberg snapshot to join against, as the {@link io.lakeann.iceberg.JoinPlanner} planned it,
 * with what executors need beside the plan: the table (a serializable copy, for its file IO and
 * schema) and the search params. Broadcast once; the Spark side only distributes the plan's
 * pieces. Immutable.
 *
 * @param key identifies the snapshot, bundle and filter, for executor-side caches
 */
record JoinPlan(String key, Table table, SnapshotPlan plan, SearchParams params)
    implements JoinTarget {

  @Override
  public String describe() {
    return plan.binding().describe();
  }

  @Override
  public int dim() {
    return plan.dim();
  }

  @Override
  public ColumnBinding.IdKind idKind() {
    return plan.binding().idKind();
  }

  @Override
  public Long snapshot() {
    return plan.snapshotId();
  }

  @Override
  public long bundleSnapshot() {
    return plan.bundle().snapshotId();
  }

  /** The planned shards (by their number in the bundle), then the groups of rows added since. */
  @Override
  public List<Work> works() {
    List<Work> works = new ArrayList<>();
    for (SnapshotPlan.Shard shard : plan.shards()) {
      works.add(new Work(false, shard.index()));
    }
    for (int g = 0; g < plan.deltaGroups().size(); g++) {
      works.add(new Work(true, g));
    }
    return works;
  }

  @Override
  public Witness witness(Work work) {
    return work.delta() ? null : plan.manifest().shards().get(work.index()).witness();
  }

  @Override
  public Searched search(Work work, QueryBlock block, JoinTaskStats stats) {
    return ExecutorSearch.search(this, work, block, stats);
  }
}
