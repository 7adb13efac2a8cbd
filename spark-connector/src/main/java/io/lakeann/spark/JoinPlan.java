package io.lakeann.spark;

import io.lakeann.iceberg.AllowedRows;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.SearchParams;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;

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
    List<List<FileScanTask>> deltaGroups, AllowedRows filter) implements java.io.Serializable {

  int dim() {
    return bundle.manifest().dim();
  }
}
